/* Karigar's web editor: take location and camera metadata out of a photo before the editor sees it.
 *
 * A photo saved by the editor is pushed to a public repository at once, so a phone's GPS
 * position must never reach it. Sveltia CMS can only re-encode an image (a lossy WebP) to
 * change it, so this runs first: every file chosen in a file input or dropped on the page is
 * rewritten here, losslessly, before the editor's own handlers get the event.
 *
 * - JPEG: every segment is copied as is except APP1 (Exif, XMP), APP13 (IPTC, Photoshop) and
 *   comments; the image data is never decoded. The colour profile (ICC, APP2) stays, and an
 *   orientation other than "upright" is kept in a new Exif block holding that tag alone.
 * - PNG: the eXIf chunk and the text chunks (tEXt, zTXt, iTXt: XMP lives there) are dropped.
 * - WebP: the EXIF and XMP chunks are dropped (and the VP8X flags saying they exist cleared).
 * Anything else passes unchanged (`karigar check` still reads every photo of a pull request).
 * Files reach the editor three ways, all covered: a file input, a drop, a paste.
 */
(function () {
  "use strict";

  var AGAIN = "__karigarCleaned";

  function u16be(b, i) { return (b[i] << 8) | b[i + 1]; }
  function u32le(b, i) { return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0; }
  function u32be(b, i) { return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0; }

  // The Orientation tag (0x0112) of an APP1 Exif segment's first image directory, or 0.
  function exifOrientation(b, start, end) {
    var tiff = start + 10; // after FF E1, the length and "Exif\0\0"
    if (end - tiff < 8) { return 0; }
    var little = b[tiff] === 0x49;
    var rd16 = function (i) { return little ? (b[i] | (b[i + 1] << 8)) : u16be(b, i); };
    var rd32 = function (i) { return little ? u32le(b, i) : u32be(b, i); };
    var ifd = tiff + rd32(tiff + 4);
    if (ifd + 2 > end) { return 0; }
    var count = rd16(ifd);
    for (var n = 0; n < count; n++) {
      var entry = ifd + 2 + n * 12;
      if (entry + 12 > end) { return 0; }
      if (rd16(entry) === 0x0112) { return rd16(entry + 8); }
    }
    return 0;
  }

  // An APP1 segment holding an Exif block with the orientation tag alone (big-endian TIFF).
  function orientationSegment(orientation) {
    return new Uint8Array([
      0xFF, 0xE1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // APP1, length 34, "Exif\0\0"
      0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // "MM", 42, first directory at 8
      0x00, 0x01, // one entry: Orientation, SHORT, 1 value
      0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation & 0xFF, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, // no next directory
    ]);
  }

  function concat(parts) {
    var size = 0;
    parts.forEach(function (p) { size += p.length; });
    var out = new Uint8Array(size);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function cleanJpeg(b) {
    var parts = [b.subarray(0, 2)];
    var i = 2;
    var orientationAt = -1;
    var orientation = 0;
    while (i + 4 <= b.length) {
      if (b[i] !== 0xFF) { return null; } // not a segment: leave the file to karigar check
      var marker = b[i + 1];
      if (marker === 0xFF) { i += 1; continue; } // fill byte
      if (marker === 0xDA || marker === 0xD9) { break; } // image data: copied below as it is
      if ((marker >= 0xD0 && marker <= 0xD7) || marker === 0x01) { parts.push(b.subarray(i, i + 2)); i += 2; continue; }
      var end = i + 2 + u16be(b, i + 2);
      if (end > b.length) { return null; }
      var isExif = marker === 0xE1 && b[i + 4] === 0x45 && b[i + 5] === 0x78 && b[i + 6] === 0x69 && b[i + 7] === 0x66;
      if (isExif && orientationAt < 0) {
        orientation = exifOrientation(b, i, end);
        orientationAt = parts.length;
      }
      if (marker !== 0xE1 && marker !== 0xED && marker !== 0xFE) { parts.push(b.subarray(i, end)); }
      i = end;
    }
    parts.push(b.subarray(i));
    if (orientation > 1 && orientation <= 8) { parts.splice(orientationAt, 0, orientationSegment(orientation)); }
    return concat(parts);
  }

  var PNG_DROPPED = { eXIf: 1, tEXt: 1, zTXt: 1, iTXt: 1 };

  function cleanPng(b) {
    var parts = [b.subarray(0, 8)];
    var i = 8;
    while (i + 12 <= b.length) {
      var size = u32be(b, i);
      var type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
      var end = i + 12 + size;
      if (end > b.length) { return null; }
      if (!PNG_DROPPED[type]) { parts.push(b.subarray(i, end)); }
      i = end;
    }
    return concat(parts);
  }

  function cleanWebp(b) {
    var parts = [];
    var i = 12;
    var vp8x = -1;
    while (i + 8 <= b.length) {
      var type = String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]);
      var end = i + 8 + u32le(b, i + 4);
      end += end % 2; // chunks are padded to an even size
      if (end > b.length) { return null; }
      if (type !== "EXIF" && type !== "XMP ") {
        if (type === "VP8X") { vp8x = parts.length; }
        parts.push(b.slice(i, end));
      }
      i = end;
    }
    if (vp8x >= 0) { parts[vp8x][8] &= ~(0x08 | 0x04); } // flags: no Exif, no XMP
    var body = concat(parts);
    var head = b.slice(0, 12);
    var riff = body.length + 4;
    head[4] = riff & 0xFF; head[5] = (riff >> 8) & 0xFF; head[6] = (riff >> 16) & 0xFF; head[7] = (riff >>> 24) & 0xFF;
    return concat([head, body]);
  }

  function cleanBytes(b) {
    if (b.length > 3 && b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) { return cleanJpeg(b); }
    if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4E && b[3] === 0x47) { return cleanPng(b); }
    if (b.length > 12 && String.fromCharCode(b[0], b[1], b[2], b[3], b[8], b[9], b[10], b[11]) === "RIFFWEBP") {
      return cleanWebp(b);
    }
    return null;
  }

  function cleanFile(file) {
    return file.arrayBuffer().then(function (buffer) {
      var cleaned = cleanBytes(new Uint8Array(buffer));
      return cleaned ? new File([cleaned], file.name, { type: file.type, lastModified: file.lastModified }) : file;
    });
  }

  function cleanFiles(files) {
    return Promise.all(Array.prototype.map.call(files, cleanFile)).then(function (cleaned) {
      var transfer = new DataTransfer();
      cleaned.forEach(function (f) { transfer.items.add(f); });
      return transfer;
    });
  }

  // A file input's `input` and `change` events: held back until the files are clean, then sent again.
  function onFileInput(event) {
    var input = event.target;
    if (event[AGAIN] || !(input instanceof HTMLInputElement) || input.type !== "file" || !input.files ||
        !input.files.length) {
      return;
    }
    event.stopImmediatePropagation();
    if (event.type !== "change") { return; } // the clean files are announced once, by both events
    cleanFiles(input.files).then(function (transfer) {
      input.files = transfer.files;
      ["input", "change"].forEach(function (type) {
        var again = new Event(type, { bubbles: true });
        again[AGAIN] = true;
        input.dispatchEvent(again);
      });
    });
  }

  // A dropped or pasted image: the event is held back, and the same event made again with
  // the clean files (`remake` builds it from a DataTransfer holding them).
  function holdFiles(event, files, remake) {
    if (event[AGAIN] || !files || !files.length) { return; }
    event.stopImmediatePropagation();
    event.preventDefault();
    var target = event.target;
    cleanFiles(files).then(function (transfer) {
      var again = remake(transfer);
      again[AGAIN] = true;
      target.dispatchEvent(again);
    });
  }

  function onDrop(event) {
    holdFiles(event, event.dataTransfer && event.dataTransfer.files, function (transfer) {
      return new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer });
    });
  }

  // A pasted image (Ctrl+V on the editor's drop area) comes as a paste event's files...
  function onPaste(event) {
    holdFiles(event, event.clipboardData && event.clipboardData.files, function (transfer) {
      return new ClipboardEvent("paste", { bubbles: true, cancelable: true, clipboardData: transfer });
    });
  }

  // ... or, from the "Paste Image" button, through the asynchronous clipboard API.
  if (navigator.clipboard && navigator.clipboard.read && window.ClipboardItem) {
    var read = navigator.clipboard.read.bind(navigator.clipboard);
    navigator.clipboard.read = function () {
      return read().then(function (items) {
        return items.map(function (item) {
          var parts = {};
          item.types.forEach(function (type) {
            parts[type] = item.getType(type).then(function (blob) {
              return type.indexOf("image/") === 0 ? cleanFile(new File([blob], "pasted", { type: type })) : blob;
            });
          });
          return new ClipboardItem(parts);
        });
      });
    };
  }

  window.addEventListener("input", onFileInput, true);
  window.addEventListener("change", onFileInput, true);
  window.addEventListener("drop", onDrop, true);
  window.addEventListener("paste", onPaste, true);
  // For tests and maintainers: the same cleaning, callable on bytes.
  window.karigarCleanPhotoBytes = cleanBytes;
})();

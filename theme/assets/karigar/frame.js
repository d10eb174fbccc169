/* The page frame's behaviour on every page, in place of Material's bundle (see theme/main.html):
   the light/dark palette toggle, a keyboard-usable menu button (Enter opens the phone's drawer,
   Escape closes it), and the `focus-visible`
   class Material's styles key their keyboard focus rings on.  Everything else in the frame
   (drawer, tabs, language list) works with CSS alone. */
(function () {
  "use strict";

  // Material's inline head script defines these (theme-scoped localStorage); its palette
  // restore reads "__palette" before the body paints, so the format stays Material's.
  var read = typeof __md_get === "function" ? __md_get : function () { return null; };
  var write = typeof __md_set === "function" ? __md_set : function () {};

  var form = document.querySelector("form[data-md-component=palette]");
  if (form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
    var apply = function (index, remember) {
      var input = inputs[index];
      if (!input) return;
      var color = {
        media: input.getAttribute("data-md-color-media"),
        scheme: input.getAttribute("data-md-color-scheme"),
        primary: input.getAttribute("data-md-color-primary"),
        accent: input.getAttribute("data-md-color-accent")
      };
      Object.keys(color).forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      // Each option's label switches to the next option: only the chosen one's label shows.
      inputs.forEach(function (other, i) {
        other.checked = i === index;
        var label = other.nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = i !== index;
      });
      if (remember) write("__palette", {index: index, color: color});
    };
    var saved = read("__palette");
    var index = saved && typeof saved.index === "number" ? saved.index : inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    });
    apply(Math.max(0, Math.min(index, inputs.length - 1)), false);
    form.addEventListener("change", function (event) {
      apply(inputs.indexOf(event.target), true);
    });
  }

  var drawer = document.getElementById("__drawer");
  // The menu button is Material's <label> for the drawer's checkbox: a tap opens the drawer, with or
  // without script, but a label cannot be reached with Tab. With script it becomes a real button
  // (same look, same place), named like the drawer's navigation, saying whether the drawer is open.
  var navigation = document.querySelector(".md-nav--primary");
  var menuButtons = [];
  var showState = function () {
    menuButtons.forEach(function (button) {
      button.setAttribute("aria-expanded", drawer && drawer.checked ? "true" : "false");
    });
  };
  if (drawer) {
    Array.prototype.slice.call(document.querySelectorAll("label.md-header__button[for=__drawer]"))
      .forEach(function (label) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = label.className + " kg-menu-button";
        button.setAttribute("aria-label", (navigation && navigation.getAttribute("aria-label")) || "Menu");
        while (label.firstChild) button.appendChild(label.firstChild);
        button.addEventListener("click", function () {
          drawer.checked = !drawer.checked;
          showState();
        });
        label.replaceWith(button);
        menuButtons.push(button);
      });
    drawer.addEventListener("change", showState);
    showState();
  }
  // "/" goes to search, as on most sites with a search box: the search page's own box, else the
  // header's (on a narrow screen, where only its button shows, the search page).
  var typing = function (target) {
    return target instanceof Element &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  };
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.checked = false;
      showState();
    }
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      var box = document.getElementById("kg-search-q") || document.getElementById("kg-header-q");
      if (!box) return;
      event.preventDefault();
      if (box.offsetParent !== null) box.focus();
      else if (box.form) location.href = box.form.action;
    }
  });

  // Material's styles draw focus rings only on `.focus-visible` (its bundle polyfilled the class).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches(":focus-visible")) target.classList.add("focus-visible");
  });
  document.addEventListener("focusout", function (event) {
    if (event.target instanceof Element) event.target.classList.remove("focus-visible");
  });
})();

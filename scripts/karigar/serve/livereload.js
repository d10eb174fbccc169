/* Live reload for `karigar serve`: reload the page when the site has been rebuilt.
 *
 * Served only by the dev server (never part of a built site), as an external
 * file so it runs under the site's strict Content-Security-Policy.  The tag
 * carries the build the page came from (data-build); the script long-polls
 * /__karigar__/events?since=<build>, which answers as soon as the build id
 * differs -- after a successful rebuild and after a failed one, so the error
 * page appears too -- or after a while with the same id, when it asks again.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : null;
  var retryMs = 1000;

  if (build === null || typeof window.fetch !== "function") {
    return;
  }

  function poll() {
    window.fetch("/__karigar__/events?since=" + encodeURIComponent(build), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("karigar live reload: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (String(data.build) !== build) {
          window.location.reload();
          return;
        }
        poll();
      })
      .catch(function () {
        // The server is restarting or gone: ask again a little later, not in a tight loop.
        window.setTimeout(poll, retryMs);
      });
  }

  poll();
})();

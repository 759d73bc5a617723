// The progress of a dispatch, updated without reloading the page: the screen
// names its JSON endpoint in data-progress-url (only while the dispatch runs).
(function () {
  "use strict";
  var root = document.querySelector("[data-progress-url]");
  if (!root || !root.dataset.progressUrl) {
    return;
  }
  var url = root.dataset.progressUrl;
  var every = 2000;
  var bar = document.getElementById("dispatch-progress");
  var live = root.querySelector("[data-progress-live]");

  function show(state) {
    root.querySelectorAll("[data-progress-field]").forEach(function (node) {
      var value = state[node.dataset.progressField];
      node.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
    });
    if (bar) {
      bar.max = state.total;
      bar.value = state.sent;
      bar.textContent = state.percent + " %";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.running) {
          window.setTimeout(poll, every);
        } else {
          // Pause and cancel no longer fit: the reloaded page shows what does.
          root.querySelectorAll("[data-progress-while-running]").forEach(function (node) {
            node.hidden = true;
          });
          if (live) {
            live.textContent = root.dataset.progressDone || "";
          }
        }
      })
      .catch(function () {
        // A hiccup (network, a restart): try again, more slowly.
        window.setTimeout(poll, every * 3);
      });
  }

  window.setTimeout(poll, every);
})();

/* Interactive maps and videos (theme/embeds.py): nothing is asked of the other
   site until the reader presses "Load". Then the button is replaced by a frame,
   sandboxed, sending no referrer, allowed nothing but full screen. Without this
   script the button stays hidden and the link under the image is the way. */
(function () {
  "use strict";

  function load(button) {
    var stage = button.closest("[data-embed-stage]");
    var frame = document.createElement("iframe");
    frame.className = "embed__frame";
    frame.title = button.getAttribute("data-embed-title");
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    );
    frame.setAttribute("allow", "fullscreen");
    frame.src = button.getAttribute("data-embed-src");
    stage.replaceChildren(frame);
    stage.closest("[data-embed]").classList.add("embed--loaded");
    frame.focus();
  }

  function start() {
    // Each block includes this script; a button already set up is left alone.
    var buttons = document.querySelectorAll("[data-embed-load]:not([data-embed-ready])");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("data-embed-ready", "");
      button.hidden = false;
      button.addEventListener("click", function () {
        load(button);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

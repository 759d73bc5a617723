/*
 * Title suggestions for a search form marked data-suggest-url: the field
 * becomes an ARIA 1.2 combobox (list autocomplete) over a listbox of titles.
 * Without this script the form is an ordinary GET form.
 *
 * Keyboard: Down/Up move through the titles (Down opens the list), Enter opens
 * the chosen title or, with none chosen, searches; Escape closes the list,
 * then clears the field; Tab leaves as usual. A status region tells screen
 * readers how many titles there are.
 *
 * Gentle on the server: asks after a 250 ms pause, from two characters, one
 * request at a time (an older one is aborted), the query lower-cased and
 * trimmed so that readers share cached answers, and each answer kept here.
 */
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_LENGTH = 2;

  function normalised(value) {
    return value.replace(/\s+/g, " ").trim().toLowerCase();
  }

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input || !window.fetch) {
      return;
    }
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-form__suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.suggestLabel || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var answers = {};
    var timer = null;
    var pending = null;
    var active = -1;
    var items = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "search-form__suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = suggestion.title;
        // mousedown, not click: the field would lose focus and close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(suggestion.url);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = (form.dataset.suggestFound || "").replace(
          "%(count)s",
          String(suggestions.length)
        );
      } else {
        close();
        status.textContent = "";
      }
    }

    function ask() {
      var query = normalised(input.value);
      if (query.length < MIN_LENGTH) {
        show([]);
        return;
      }
      if (answers[query]) {
        show(answers[query]);
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = window.AbortController ? new AbortController() : null;
      var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "omit",
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          answers[query] = data.suggestions || [];
          if (normalised(input.value) === query) {
            show(answers[query]);
          }
        })
        .catch(function () {
          /* Aborted or offline: the form still searches. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = list.children.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) {
          if (count) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            ask();
          }
          return;
        }
        choose(count ? (active + 1) % count : -1);
      } else if (event.key === "ArrowUp") {
        if (!list.hidden && count) {
          event.preventDefault();
          choose(active <= 0 ? count - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(enhance);
})();

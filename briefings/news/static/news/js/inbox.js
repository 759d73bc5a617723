/* The news inbox: tick a page or every match, show the chosen action's
   fields, and work through the rows from the keyboard. Without this script
   the listing, the filters and the bulk form all still work. */
(() => {
  "use strict";
  const root = document.querySelector("[data-news-inbox]");
  if (!root) return;
  const form = document.getElementById("news-bulk");
  const boxes = Array.from(
    document.querySelectorAll('input[type="checkbox"][name="item"][form="news-bulk"]')
  );
  const pageBox = root.querySelector("[data-select-page]");
  const count = root.querySelector("[data-selected-count]");
  const offer = root.querySelector("[data-select-all-offer]");
  const done = root.querySelector("[data-select-all-done]");
  const allInput = root.querySelector("[data-select-all-input]");
  const total = Number(root.dataset.total || 0);

  const selectingAll = () => Boolean(allInput && allInput.value);

  function update() {
    const ticked = boxes.filter((box) => box.checked).length;
    if (pageBox) {
      pageBox.checked = ticked > 0 && ticked === boxes.length;
      pageBox.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (selectingAll() && ticked < boxes.length) allInput.value = "";
    const all = selectingAll();
    if (offer) offer.hidden = all || ticked === 0 || ticked < boxes.length;
    if (done) done.hidden = !all;
    if (count) {
      const template = all
        ? count.dataset.all
        : ticked
          ? count.dataset.some
          : count.dataset.none;
      count.textContent = template.replace("{count}", all ? total : ticked);
    }
  }

  if (pageBox) {
    pageBox.addEventListener("change", () => {
      boxes.forEach((box) => {
        box.checked = pageBox.checked;
      });
      update();
    });
  }
  boxes.forEach((box) => box.addEventListener("change", update));
  root.querySelector("[data-select-all-matching]")?.addEventListener("click", () => {
    allInput.value = "1";
    update();
    done?.querySelector("button")?.focus();
  });
  root.querySelector("[data-select-all-clear]")?.addEventListener("click", () => {
    allInput.value = "";
    boxes.forEach((box) => {
      box.checked = false;
    });
    update();
    pageBox?.focus();
  });

  // Only the chosen action's own fields are shown.
  const action = form?.querySelector("[data-bulk-action]");
  function showActionFields() {
    form.querySelectorAll("[data-bulk-fields]").forEach((fields) => {
      fields.hidden = fields.dataset.bulkFields !== action.value;
    });
  }
  if (action) {
    action.addEventListener("change", showActionFields);
    showActionFields();
  }

  // Keyboard: j / k move, x ticks, e opens the excerpt, / goes to the search.
  const rows = Array.from(root.querySelectorAll("[data-inbox-row]"));
  let current = -1;
  function move(step) {
    if (!rows.length) return;
    rows[current]?.classList.remove("is-current");
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    const row = rows[current];
    row.classList.add("is-current");
    row.querySelector("[data-row-link]")?.focus();
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target.closest("input, select, textarea, [contenteditable]")) return;
    const row = rows[current];
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "x": {
        const box = row?.querySelector('input[name="item"]');
        if (!box) return;
        box.checked = !box.checked;
        update();
        break;
      }
      case "e": {
        const excerpt = row?.querySelector("[data-row-excerpt]");
        if (!excerpt) return;
        excerpt.open = !excerpt.open;
        break;
      }
      case "/":
        root.querySelector("[data-inbox-search]")?.focus();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
  rows.forEach((row, index) => {
    row.addEventListener("focusin", () => {
      rows[current]?.classList.remove("is-current");
      current = index;
      row.classList.add("is-current");
    });
  });

  update();
  // For whoever waits on the keys (the browser tests): they work from now.
  root.dataset.inboxReady = "";
})();

// Names for the admin's script-made controls that arrive without one: the body editor's writing
// area (django-prose-editor) and the search-as-you-type pickers (the admin's select2). Each is
// named by its field's own label, so a screen reader says "Body" or "Authors", not "edit text".
// The pickers' "clear all" cross also moves out of their list of choices, where it read as one.
(function () {
  "use strict";

  function labelId(fieldId) {
    const label = fieldId && document.querySelector(`label[for="${CSS.escape(fieldId)}"]`);
    if (!label) return null;
    if (!label.id) label.id = `${fieldId}-label`;
    return label.id;
  }

  function nameEditors() {
    document.querySelectorAll(".prose-editor").forEach((editor) => {
      const field = editor.querySelector("textarea");
      const area = editor.querySelector('[contenteditable="true"]');
      const label = labelId(field && field.id);
      if (area && label && area.getAttribute("aria-labelledby") !== label) {
        area.setAttribute("aria-labelledby", label);
      }
    });
  }

  function namePickers() {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = labelId(select.id);
      const picker = select.nextElementSibling;
      if (!label || !picker || !picker.classList.contains("select2")) return;
      const shown = picker.querySelector(".select2-selection__rendered[id]");
      const box = picker.querySelector('.select2-selection--single[role="combobox"]');
      if (box && shown) {
        // The label, then what is chosen: "Featured image, Tenants on the march".
        const names = `${label} ${shown.id}`;
        box.setAttribute("aria-labelledby", names);
        shown.setAttribute("aria-labelledby", names);
      }
      const search = picker.querySelector(".select2-search__field");
      if (search) search.setAttribute("aria-labelledby", label);
      const list = picker.querySelector("ul.select2-selection__rendered");
      const clear = list && list.querySelector(":scope > .select2-selection__clear");
      if (clear) list.before(clear);
    });
  }

  let queued = false;
  function nameAll() {
    queued = false;
    nameEditors();
    namePickers();
  }

  function queue() {
    if (!queued) {
      queued = true;
      requestAnimationFrame(nameAll);
    }
  }

  function start() {
    nameAll();
    new MutationObserver(queue).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

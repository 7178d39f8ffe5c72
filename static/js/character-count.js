// A live character count under a field that carries data-count-limit (the article form's
// headline and standfirst, articles/admin/forms.py): how much of it search results and social
// cards show. It never stops anyone typing or saving. The count itself is read with the field
// (aria-describedby); a polite status speaks only when the text crosses the limit, either way.
function canaryCharacterCounts() {
  "use strict";
  document.querySelectorAll("[data-count-limit]").forEach(function (field) {
    var limit = parseInt(field.getAttribute("data-count-limit"), 10);
    var where = field.getAttribute("data-count-where") || "";
    if (!limit) return;
    var count = document.createElement("div");
    count.className = "help character-count"; // "help" lines it up under the field
    count.id = field.id + "-count";
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("role", "status");
    spoken.setAttribute("aria-live", "polite");
    // Under the field: after the admin's row of label and field when there is one.
    var row = field.closest(".flex-container") || field;
    row.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", spoken);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + count.id);
    var wasOver = null;

    function update() {
      var length = Array.from(field.value).length; // characters as people count them, not UTF-16 units
      var over = length > limit;
      count.textContent =
        length + (length === 1 ? " character" : " characters") + "; " + where + " show about " + limit +
        (over ? ", so the rest may be cut off" : "");
      count.classList.toggle("character-count-over", over);
      if (wasOver !== null && over !== wasOver) {
        spoken.textContent = over ? "Longer than " + where + " show." : "Short enough for " + where + " again.";
      }
      wasOver = over;
    }

    field.addEventListener("input", update);
    update();
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", canaryCharacterCounts);
} else {
  canaryCharacterCounts();
}

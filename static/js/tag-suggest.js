// Suggest existing tags while an editor types in the comma-separated tag box: the last
// fragment is looked up, and each suggestion completes the whole box, so the browser's own
// <datalist> menu (keyboard and screen-reader friendly) can offer it.
// The admin loads form media in <head>, before the form exists: wait for it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;

    function suggest() {
      var parts = input.value.split(",");
      var fragment = parts.pop().trim();
      if (fragment.length < 2) { list.replaceChildren(); return; }
      var before = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(fragment);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.tags
            .filter(function (name) { return before.indexOf(name) === -1; })
            .map(function (name) {
              var option = document.createElement("option");
              option.value = before.concat([name]).join(", ") + ", ";
              return option;
            }));
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
  });
});

// Readers' "Most read" on article pages: fetched from this site as a small fragment, cached
// on its own, so the article itself stays cached whole while the list changes every few
// minutes. Sent without cookies, so every reader shares the one cached copy.
(function () {
  "use strict";
  document.querySelectorAll("[data-most-read]").forEach(function (slot) {
    fetch(slot.dataset.mostRead, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var list = new DOMParser().parseFromString(html, "text/html").querySelector(".most-read");
        if (!list) return;
        // The story being read is not suggested to its own reader.
        list.querySelectorAll("li a").forEach(function (link) {
          if (link.pathname === location.pathname) link.parentNode.remove();
        });
        slot.replaceWith(document.adoptNode(list));
      })
      .catch(function () { /* the list is an extra: the page is whole without it */ });
  });
})();

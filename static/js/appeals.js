// Cached pages carry every live appeal and ad for a place; show one of them, chosen by
// weight, here in the reader's browser. A banner the reader closed stays closed for a
// while: that is remembered in this browser only and never sent to us.
(function () {
  "use strict";
  var DISMISS_DAYS = 14;

  function dismissed(id) {
    try {
      var until = Number(window.localStorage.getItem("canary:closed:" + id));
      return until > Date.now();
    } catch (error) {
      return false;
    }
  }

  function remember(id) {
    try {
      window.localStorage.setItem("canary:closed:" + id, String(Date.now() + DISMISS_DAYS * 864e5));
    } catch (error) { /* private mode: the banner comes back next time, no harm done */ }
  }

  function pick(items) {
    var total = items.reduce(function (sum, item) { return sum + Number(item.dataset.weight || 1); }, 0);
    var ticket = Math.random() * total;
    for (var i = 0; i < items.length; i++) {
      ticket -= Number(items[i].dataset.weight || 1);
      if (ticket < 0) return items[i];
    }
    return items[0];
  }

  document.querySelectorAll(".appeals, .ad-slot").forEach(function (slot) {
    var items = Array.prototype.slice.call(slot.querySelectorAll("[data-weight]"));
    items = items.filter(function (item) { return !dismissed(item.dataset.id); });
    slot.querySelectorAll("[data-weight]").forEach(function (item) { item.hidden = true; });
    if (!items.length) { slot.hidden = true; return; }
    var chosen = pick(items);
    chosen.hidden = false;
    var close = chosen.querySelector(".appeal__close");
    if (close) {
      close.hidden = false;
      close.addEventListener("click", function () {
        remember(chosen.dataset.id);
        slot.hidden = true;
      });
    }
  });
})();

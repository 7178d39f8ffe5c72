// Readership: one count for this page view, and one when the reader reaches the end of the
// story. Sent to this site only, with the page, the referring site's host (never its full
// address), the kind of source and the appeal shown. No cookie, nothing about the reader.
// Nothing is sent by a browser that asks not to be tracked (Global Privacy Control, Do Not
// Track) or whose reader objected on the privacy notice (remembered in this browser only).
(function () {
  "use strict";
  var OBJECTED = "canary:readership:objected";
  var script = document.currentScript;
  var endpoint = script && script.dataset.endpoint;

  function objected() {
    try { return window.localStorage.getItem(OBJECTED) === "1"; } catch (error) { return false; }
  }

  function declined() {
    return navigator.globalPrivacyControl === true || navigator.doNotTrack === "1" ||
      window.doNotTrack === "1" || objected();
  }

  // The objection button on the privacy notice: writes to local storage only when pressed.
  document.querySelectorAll("[data-readership-objection]").forEach(function (box) {
    var button = box.querySelector("button");
    var status = box.querySelector("[data-readership-status]");
    function show() {
      var no = objected();
      button.textContent = no ? "Count my visits again" : "Don't count my visits";
      button.setAttribute("aria-pressed", no ? "true" : "false");
      status.textContent = no ? "This browser sends no counts." :
        (declined() ? "Your browser asks sites not to track it, so it sends no counts." : "This browser's visits are counted (no cookie, nothing about you).");
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      try {
        if (objected()) { window.localStorage.removeItem(OBJECTED); } else { window.localStorage.setItem(OBJECTED, "1"); }
      } catch (error) { /* private mode: nothing stored, so nothing to count with either */ }
      show();
    });
    show();
  });

  if (!endpoint || !navigator.sendBeacon || declined()) return;

  function send(fields) {
    var body = new URLSearchParams(fields);
    body.set("p", location.pathname);
    navigator.sendBeacon(endpoint, body);
  }

  function via() {
    var params = new URLSearchParams(location.search);
    var medium = (params.get("utm_medium") || params.get("via") || "").toLowerCase();
    if (medium === "email" || medium === "newsletter") return "newsletter";
    if (medium === "appeal") return "appeal";
    return "";
  }

  // The newsletter issue whose link brought the reader (its redirect adds "issue"), digits only.
  function issue() {
    var value = new URLSearchParams(location.search).get("issue") || "";
    return via() === "newsletter" && /^[0-9]{1,9}$/.test(value) ? value : "";
  }

  function referrerHost() {
    try { return document.referrer ? new URL(document.referrer).hostname : ""; } catch (error) { return ""; }
  }

  function shownAppeal() {
    var shown = document.querySelector(".appeals [data-weight]:not([hidden])");
    return shown ? shown.dataset.id : "";
  }

  function watchTheEnd() {
    var body = document.querySelector("article.story .story__body");
    if (!body || !window.IntersectionObserver) return;
    var end = document.createElement("div");
    end.setAttribute("aria-hidden", "true");
    body.appendChild(end);
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        send({ e: "read" });
      }
    });
    observer.observe(end);
  }

  function counted() {
    send({ e: "view", r: referrerHost(), v: via(), a: shownAppeal(), n: issue() });
    watchTheEnd();
  }

  // Runs once per load: a page restored from the back-forward cache does not run it again.
  // A prerendered page counts only if the reader is shown it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", counted, { once: true });
  } else {
    counted();
  }
})();

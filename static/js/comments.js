// The article page is cached and shared, so its comment form carries no CSRF token.
// When a reader starts to write, fetch a token and a signed "form shown" time, and send
// the form straight to the posting endpoint. Without this script the form goes through
// a preview step that works with no JavaScript at all.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !window.fetch) return;
  var ready = false;

  function prepare() {
    if (ready) return;
    ready = true;
    fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
      .then(function (data) {
        form.querySelector("[name=csrfmiddlewaretoken]").value = data.csrf;
        form.querySelector("[name=rendered]").value = data.rendered;
        form.action = form.dataset.postUrl;
      })
      .catch(function () { ready = false; });
  }

  form.addEventListener("focusin", prepare);
  form.addEventListener("input", prepare);
})();

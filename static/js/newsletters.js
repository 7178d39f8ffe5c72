// Pages with the newsletter sign-up form are cached and shared, so the form carries no CSRF
// token. When a reader starts to fill it in, fetch a token and send the form straight to the
// sign-up address. Without this script the form goes through a step that needs no JavaScript.
(function () {
  "use strict";
  if (!window.fetch) return;
  document.querySelectorAll("form.newsletter-signup__form").forEach(function (form) {
    var ready = false;
    function prepare() {
      if (ready) return;
      ready = true;
      fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (data) {
          form.querySelector("[name=csrfmiddlewaretoken]").value = data.csrf;
          form.action = form.dataset.postUrl;
        })
        .catch(function () { ready = false; });
    }
    form.addEventListener("focusin", prepare);
    form.addEventListener("input", prepare);
  });
})();

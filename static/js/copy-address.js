// A "Copy" button beside each feed address. Without this script the buttons stay hidden and the
// addresses can still be selected and copied by hand.
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { copied(button); }, function () {});
      } else if (document.execCommand("copy")) {
        copied(button);
      }
    });
  });
})();

// The call-to-action form: show only the fields that apply to the chosen placement, and draw a
// live preview of the appeal as readers will see it. The admin loads form media in <head>.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var placement = document.querySelector("select[data-applies-to]");
  if (!placement) { return; }
  var form = placement.form;
  var appliesTo = JSON.parse(placement.dataset.appliesTo);

  function showFitting() {
    Object.keys(appliesTo).forEach(function (name) {
      var row = form.querySelector(".form-row.field-" + name);
      if (row) { row.hidden = appliesTo[name].indexOf(placement.value) === -1; }
    });
    // A set whose every field is hidden goes too, heading and all.
    form.querySelectorAll("fieldset").forEach(function (fieldset) {
      var rows = fieldset.querySelectorAll(".form-row");
      fieldset.hidden = rows.length > 0 && Array.prototype.every.call(rows, function (row) { return row.hidden; });
    });
  }

  var preview = document.querySelector(".appeal-preview[data-preview-url]");
  var frame = preview && preview.querySelector("iframe");
  var shown = ["placement", "headline", "text", "button_label", "after_paragraph"];
  var timer = null;

  function fitFrame() {
    // Measured from a small frame: the readers' page fills its window, so a shorter preview
    // would keep the last one's height.
    var page = frame.contentDocument && frame.contentDocument.documentElement;
    if (!page) { return; }
    frame.style.height = "40px";
    frame.style.height = Math.min(page.scrollHeight + 2, 900) + "px";
  }

  function redraw() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    shown.forEach(function (name) {
      if (form.elements[name]) { data.append(name, form.elements[name].value); }
    });
    fetch(preview.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        frame.srcdoc = html;
        frame.hidden = false;
        preview.querySelector(".appeal-preview__note").textContent =
          "The preview follows your changes as you type.";
      })
      .catch(function () {
        preview.querySelector(".appeal-preview__note").textContent =
          "The preview could not be drawn just now; your changes are still in the form.";
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(redraw, 250);
  }

  showFitting();
  placement.addEventListener("change", showFitting);
  if (frame) {
    frame.addEventListener("load", fitFrame);
    shown.forEach(function (name) {
      var field = form.elements[name];
      if (field) {
        field.addEventListener("input", later);
        field.addEventListener("change", later);
      }
    });
    redraw();
  }
});

// The support form: preset amounts per frequency, and a submit button that always says
// exactly what will happen ("Give £5 a month"), so nobody starts a monthly gift by mistake.
(function () {
  "use strict";
  var form = document.getElementById("support-form");
  if (!form) return;
  var amount = form.querySelector("[name=amount]");
  var button = document.getElementById("give-button");
  var words = { monthly: "a month", annual: "a year", one_off: "once" };

  function frequency() {
    var checked = form.querySelector("[name=frequency]:checked");
    return checked ? checked.value : "monthly";
  }

  function pounds(text) {
    var match = /^\s*£?\s*(\d+(?:,\d{3})*)(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!match) return null;
    var value = Number(match[1].replace(/,/g, "") + "." + (match[2] || "0"));
    return value > 0 ? value : null;
  }

  function money(value) {
    return "£" + (Number.isInteger(value) ? value.toLocaleString("en-GB") : value.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  }

  function update() {
    var value = pounds(amount.value);
    button.textContent = value ? "Give " + money(value) + " " + words[frequency()] : "Give";
    form.querySelectorAll(".presets").forEach(function (group) {
      var visible = group.dataset.frequency === frequency();
      group.querySelectorAll(".preset").forEach(function (preset) {
        preset.hidden = !visible;
        preset.setAttribute("aria-pressed", String(visible && pounds(amount.value) * 100 === Number(preset.dataset.amount)));
      });
    });
  }

  form.addEventListener("click", function (event) {
    var preset = event.target.closest(".preset");
    if (!preset) return;
    amount.value = String(Number(preset.dataset.amount) / 100);
    update();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "frequency") {
      var first = form.querySelector('.presets[data-frequency="' + frequency() + '"] .preset');
      if (first) amount.value = String(Number(first.dataset.amount) / 100);
    }
    update();
  });
  amount.addEventListener("input", update);
  update();
})();

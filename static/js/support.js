// The support form: preset amounts per frequency, and a submit button that always says
// exactly what will happen ("Give £5 a month"), so nobody starts a monthly gift by mistake.
// An amount outside what we can take online is never promised: the button asks for at least the
// smallest gift (or at most the largest) and a hint says why, while the reader keeps typing.
(function () {
  "use strict";
  var form = document.getElementById("support-form");
  if (!form) return;
  var amount = form.querySelector("[name=amount]");
  var button = document.getElementById("give-button");
  var limit = document.getElementById("amount-limit");
  var words = { monthly: "a month", annual: "a year", one_off: "once" };
  var minimum = Number(form.dataset.minPence) / 100 || 0;
  var maximum = Number(form.dataset.maxPence) / 100 || Infinity;

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

  function update(initial) {
    var value = pounds(amount.value);
    var hint = "";
    if (!value) {
      button.textContent = "Give";
    } else if (value < minimum) {
      button.textContent = "Give at least " + money(minimum) + " " + words[frequency()];
      hint = "The smallest gift we can take is " + money(minimum) + ".";
    } else if (value > maximum) {
      button.textContent = "Give at most " + money(maximum) + " " + words[frequency()];
      hint = "The largest gift we can take online is " + money(maximum) + ". For more, please get in touch.";
    } else {
      button.textContent = "Give " + money(value) + " " + words[frequency()];
    }
    // After a refused submit the server's own message already says it: no second copy.
    if (limit && !(initial === true && document.getElementById("amount-error"))) limit.textContent = hint;
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
      // The amount the newsroom chose as this frequency's default, else the first offered.
      var group = '.presets[data-frequency="' + frequency() + '"] ';
      var chosen = form.querySelector(group + ".preset[data-default]") || form.querySelector(group + ".preset");
      if (chosen) amount.value = String(Number(chosen.dataset.amount) / 100);
    }
    update();
  });
  amount.addEventListener("input", update);
  update(true);

  // A refused submit comes back with its errors: take the reader to the first field to fix.
  var summary = document.getElementById("support-errors");
  if (summary) {
    var invalid = form.querySelector('[aria-invalid="true"]');
    (invalid || summary).focus();
  }
})();

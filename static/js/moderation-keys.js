// Keyboard shortcuts on the comment list (articles/admin/moderation.py): a approves, s marks as
// spam, r removes the comment in the row that has focus, by pressing that row's own button, so
// the server does exactly what a click does. Nowhere else does a letter do anything: not in a
// text box, not outside the list. A visible switch turns them off; the choice is remembered in
// this browser only (localStorage). A polite live region tells screen readers what happened.
// The admin puts a list's scripts in the page's head: wait for the list to exist.
function canaryModerationKeys() {
  "use strict";
  var table = document.getElementById("result_list");
  if (!table || !table.querySelector(".moderate-buttons")) return;

  var STORE = "canary.moderation-keys";
  var FOCUS_NEXT = "canary.moderation-keys-focus";
  var KEYS = { a: ".moderate-approve", s: ".moderate-spam", r: ".moderate-remove" };
  var HELP = "Shortcuts on the row that has focus: a approves, s marks as spam, r removes.";

  function remembered() {
    try {
      return window.localStorage.getItem(STORE) !== "off";
    } catch (error) {
      return true; // storage refused (private mode): on, and not remembered
    }
  }

  function remember(on) {
    try {
      window.localStorage.setItem(STORE, on ? "on" : "off");
    } catch (error) {
      /* nothing to keep it in: the switch still works on this page */
    }
  }

  // The switch and the live region, above the list.
  var bar = document.createElement("div");
  bar.className = "moderation-keys";
  var label = document.createElement("label");
  var toggle = document.createElement("input");
  toggle.type = "checkbox";
  toggle.id = "moderation-keys-toggle";
  label.htmlFor = toggle.id;
  label.appendChild(toggle);
  label.appendChild(document.createTextNode(" Keyboard shortcuts"));
  var help = document.createElement("span");
  help.id = "moderation-keys-help";
  help.className = "quiet-line";
  help.textContent = HELP;
  var status = document.createElement("span");
  status.className = "moderation-keys-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  bar.appendChild(label);
  bar.appendChild(help);
  bar.appendChild(status);
  var form = document.getElementById("changelist-form");
  form.parentNode.insertBefore(bar, form);

  var rows = Array.prototype.filter.call(table.querySelectorAll("tbody tr"), function (row) {
    return row.querySelector(".moderate-buttons");
  });

  function apply(on) {
    toggle.checked = on;
    help.hidden = !on;
    rows.forEach(function (row) {
      if (on) {
        row.tabIndex = 0;
        row.setAttribute("aria-describedby", help.id);
      } else {
        row.removeAttribute("tabindex");
        row.removeAttribute("aria-describedby");
      }
      Object.keys(KEYS).forEach(function (key) {
        var button = row.querySelector(KEYS[key]);
        if (!button) return;
        if (on) button.setAttribute("aria-keyshortcuts", key);
        else button.removeAttribute("aria-keyshortcuts");
      });
    });
  }

  function say(words) {
    status.textContent = words;
  }

  toggle.addEventListener("change", function () {
    remember(toggle.checked);
    apply(toggle.checked);
    say(toggle.checked ? "Keyboard shortcuts on. " + HELP : "Keyboard shortcuts off.");
  });

  document.addEventListener("keydown", function (event) {
    if (!toggle.checked || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var selector = KEYS[event.key];
    var target = event.target;
    if (!selector || !target || !target.closest) return;
    var row = target.closest("#result_list tbody tr");
    if (!row || rows.indexOf(row) === -1) return;
    // Letters typed into a field are words, not shortcuts.
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (target.tagName === "INPUT" && target.type !== "checkbox") return;
    event.preventDefault();
    var button = row.querySelector(selector);
    if (!button) {
      say("Nothing to do: this comment is already in that state.");
      return;
    }
    say(button.getAttribute("aria-label") + "…");
    try {
      window.sessionStorage.setItem(FOCUS_NEXT, "1");
    } catch (error) {
      /* the next page simply starts without a row in focus */
    }
    button.click();
  });

  apply(remembered());

  // After a shortcut the list comes back with the next comment first: put the focus on it, so
  // a moderator can go down the queue without the mouse.
  var focusNext = false;
  try {
    focusNext = window.sessionStorage.getItem(FOCUS_NEXT) === "1";
    window.sessionStorage.removeItem(FOCUS_NEXT);
  } catch (error) {
    focusNext = false;
  }
  if (focusNext && toggle.checked && rows.length) rows[0].focus();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", canaryModerationKeys);
} else {
  canaryModerationKeys();
}

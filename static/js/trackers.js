/* Trackers phrase editor: turns the "one phrase per line" textarea into numbered rows that
 * can be added, removed and reordered without a page reload, keeps the textarea in sync (it
 * is what the form sends), splits pasted lines into rows, and marks rows with the errors and
 * tips the server's live check returns (#tracker-feedback data attributes). Without
 * JavaScript the textarea works on its own.
 *
 * The phrase limit comes from the page (data-max-phrases, written from symbl_admin.contract):
 * the script keeps no copy of it. Enter on a filled row opens the next row; Enter on an empty
 * row adds none and saves nothing: it moves to the next row if there is one, else it does
 * nothing (Tab leaves the list). Moving on to the note field instead would let a second Enter
 * submit the form by accident.
 */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = "1";
    var max = function () { return parseInt(textarea.getAttribute("data-max-phrases"), 10); };
    var field = textarea.closest(".field");
    var rows = field.querySelector("#phrase-rows");
    var counter = field.querySelector("#phrase-counter");
    var help = field.querySelector(".help");
    if (help) help.textContent = "Type a phrase and press Enter for the next one. Paste many lines at once to add them all. Only . ' and - punctuation.";
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    rows.hidden = false;
    rows.setAttribute("role", "list");
    rows.setAttribute("aria-label", "Phrases");

    var addButton = el("button", { type: "button", "class": "btn btn-secondary phrase-add" }, "+ Add a phrase");
    rows.after(addButton);

    function values() {
      return Array.prototype.map.call(rows.querySelectorAll("input"), function (i) { return i.value; });
    }

    function sync(notify) {
      var lines = values().map(function (v) { return v.trim(); }).filter(function (v) { return v; });
      textarea.value = lines.join("\n");
      var limit = max();
      if (limit > 0) {
        counter.textContent = lines.length + " of " + limit;
        counter.classList.toggle("over", lines.length > limit);
      } else {
        counter.textContent = String(lines.length);
      }
      renumber();
      if (notify) textarea.closest("[hx-post]").dispatchEvent(new CustomEvent("phrases-changed", { bubbles: true }));
    }

    function renumber() {
      rows.querySelectorAll(".phrase-row").forEach(function (row, i) {
        row.querySelector(".phrase-num").textContent = i + 1;
        row.querySelector("input").setAttribute("aria-label", "Phrase " + (i + 1));
        row.querySelector(".up").setAttribute("aria-label", "Move phrase " + (i + 1) + " up");
        row.querySelector(".down").setAttribute("aria-label", "Move phrase " + (i + 1) + " down");
        row.querySelector(".remove").setAttribute("aria-label", "Remove phrase " + (i + 1));
      });
    }

    function makeRow(value) {
      var row = el("div", { "class": "phrase-row", role: "listitem" });
      row.appendChild(el("span", { "class": "phrase-num", "aria-hidden": "true" }));
      var input = el("input", { type: "text", autocomplete: "off", maxlength: "2000" });
      input.value = value || "";
      row.appendChild(input);
      var tools = el("span", { "class": "row-tools" });
      tools.appendChild(el("button", { type: "button", "class": "btn btn-ghost up", title: "Move up" }, "↑"));
      tools.appendChild(el("button", { type: "button", "class": "btn btn-ghost down", title: "Move down" }, "↓"));
      tools.appendChild(el("button", { type: "button", "class": "btn btn-ghost remove", title: "Remove" }, "✕"));
      row.appendChild(tools);
      nextRowId += 1;
      var msg = el("div", { "class": "row-msg", "aria-live": "polite", id: "phrase-msg-" + nextRowId });
      row.appendChild(msg);
      return row;
    }

    function addRow(value, after, focus) {
      var row = makeRow(value);
      if (after) after.after(row); else rows.appendChild(row);
      if (focus) row.querySelector("input").focus();
      return row;
    }

    var initial = textarea.value.split("\n").map(function (v) { return v.trim(); }).filter(Boolean);
    if (!initial.length) initial = [""];
    initial.forEach(function (v) { addRow(v); });
    sync(false);

    addButton.addEventListener("click", function () {
      var rowsNow = rows.querySelectorAll(".phrase-row");
      addRow("", rowsNow[rowsNow.length - 1], true);
      sync(false);
    });

    rows.addEventListener("input", function () { sync(false); });


    rows.addEventListener("keydown", function (event) {
      var input = event.target.closest("input");
      if (!input) return;
      var row = input.closest(".phrase-row");
      if (event.key === "Enter") {
        event.preventDefault();
        var next = row.nextElementSibling;
        if (next && (!next.querySelector("input").value || !input.value.trim())) next.querySelector("input").focus();
        else if (input.value.trim()) addRow("", row, true);
        sync(false);
      } else if (event.key === "Backspace" && !input.value && rows.children.length > 1) {
        event.preventDefault();
        var prev = row.previousElementSibling || row.nextElementSibling;
        row.remove();
        if (prev) prev.querySelector("input").focus();
        sync(true);
      }
    });

    rows.addEventListener("paste", function (event) {
      var input = event.target.closest("input");
      var text = (event.clipboardData || window.clipboardData).getData("text");
      if (!input || text.indexOf("\n") === -1) return;
      event.preventDefault();
      var lines = text.replace(/\r\n?/g, "\n").split("\n").map(function (v) { return v.trim(); }).filter(Boolean);
      var row = input.closest(".phrase-row");
      var start = input.selectionStart, end = input.selectionEnd;
      var before = input.value.slice(0, start), after = input.value.slice(end);
      input.value = before + lines[0];
      var last = row;
      for (var i = 1; i < lines.length; i++) last = addRow(lines[i], last, false);
      last.querySelector("input").value += after;
      last.querySelector("input").focus();
      sync(true);
      if (window.SymblAdmin) window.SymblAdmin.announce(lines.length + " phrases added");
    });

    rows.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var row = button.closest(".phrase-row");
      if (button.classList.contains("remove")) {
        var focusTo = row.nextElementSibling || row.previousElementSibling;
        if (rows.children.length > 1) row.remove(); else row.querySelector("input").value = "";
        if (focusTo) focusTo.querySelector("input").focus();
      } else if (button.classList.contains("up") && row.previousElementSibling) {
        row.previousElementSibling.before(row);
        button.focus();
      } else if (button.classList.contains("down") && row.nextElementSibling) {
        row.nextElementSibling.after(row);
        button.focus();
      }
      sync(true);
    });

    function markRows() {
      var feedback = document.getElementById("tracker-feedback");
      if (!feedback) return;
      var errors = {}, hints = {};
      try {
        errors = JSON.parse(feedback.getAttribute("data-phrase-errors") || "{}");
        hints = JSON.parse(feedback.getAttribute("data-phrase-hints") || "{}");
      } catch (e) { return; }
      // Indexes count non-empty phrases, as the server splits them.
      var index = 0;
      rows.querySelectorAll(".phrase-row").forEach(function (row) {
        var input = row.querySelector("input");
        var msg = row.querySelector(".row-msg");
        msg.textContent = "";
        row.classList.remove("invalid");
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        if (!input.value.trim()) return;
        var e = errors[index] || [], h = hints[index] || [];
        e.forEach(function (text) { msg.appendChild(el("p", { "class": "error" }, text.charAt(0).toUpperCase() + text.slice(1))); });
        h.forEach(function (text) { msg.appendChild(el("p", { "class": "warning-text" }, "Tip: " + text)); });
        if (e.length) { row.classList.add("invalid"); input.setAttribute("aria-invalid", "true"); }
        if (e.length || h.length) input.setAttribute("aria-describedby", msg.id);
        index++;
      });
    }

    markCurrent = function () { markRows(); markLanguages(); };
    markRows();
    markLanguages();
    // After load: the browser's scroll to the #fragment would take the focus away again.
    if (document.readyState === "complete") focusLinkedPhrase(rows);
    else window.addEventListener("load", function () { focusLinkedPhrase(rows); });
  }

  // The languages the check refused: their chips are marked (static/js/fields.js draws them).
  function markLanguages() {
    var feedback = document.getElementById("tracker-feedback");
    var field = document.querySelector('input[data-chips][name="languages"]');
    if (!feedback || !field) return;
    var refused = feedback.getAttribute("data-invalid-languages") || "[]";
    if (field.getAttribute("data-chips-invalid") === refused) return;
    field.setAttribute("data-chips-invalid", refused);
    field.dispatchEvent(new Event("chips:render"));
  }

  // The quality report links to a phrase as ?phrase=N or ?excluded=N (from 0): start there.
  function focusLinkedPhrase(rows) {
    var params = new URLSearchParams(location.search);
    var n = parseInt(params.get("phrase"), 10);
    var target = isNaN(n) ? null : rows.querySelectorAll(".phrase-row input")[n];
    var excluded = document.getElementById("id_excluded");
    var m = parseInt(params.get("excluded"), 10);
    if (!target && excluded && !isNaN(m)) {
      var lines = excluded.value.split("\n");
      var start = lines.slice(0, m).join("\n").length + (m > 0 ? 1 : 0);
      excluded.closest("details").open = true;
      excluded.focus();
      excluded.setSelectionRange(start, start + (lines[m] || "").length);
      return;
    }
    if (target) target.focus();
  }

  // The form region is swapped whole after an invalid save, and enhanced again: one listener
  // marks the rows of whichever editor is on the page now (not one more per swap). On <body>,
  // so it runs before app.js's document listener moves focus to the first invalid field.
  var markCurrent = null;
  var nextRowId = 0;
  document.body.addEventListener("htmx:afterSettle", function () {
    if (markCurrent) markCurrent();
  });

  // The phrases to ignore stay a textarea; its count (the summary's badge) follows typing
  // as the phrases' counter does, counting non-empty lines as the server splits them.
  function countExcluded(details) {
    var textarea = details.querySelector("textarea");
    var badge = details.querySelector("summary .badge");
    if (!textarea || !badge || textarea.dataset.counting) return;
    textarea.dataset.counting = "1";
    var update = function () {
      var n = textarea.value.split("\n").filter(function (v) { return v.trim(); }).length;
      badge.textContent = String(n);
    };
    textarea.addEventListener("input", update);
    update();
  }

  function init(root) {
    root = root || document;
    root.querySelectorAll("textarea[data-phrase-editor]").forEach(setup);
    root.querySelectorAll("details.excluded").forEach(countExcluded);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();

/* Audit log screen. Loaded with `defer`; no inline scripts (strict CSP).
 *
 * The filter form updates the table through htmx as filters change, so the "Apply filters"
 * button is only needed without JavaScript: hide it once this script runs.
 *
 * Focus: the filters sit outside the swapped table, so typing keeps its focus. A pager link
 * is inside it: when the swap removes the focused element, focus goes to the same link in
 * the new table (or the table itself), never back to the top of the page.
 * Errors: see clearStaleErrors.
 * Zone: see sendZone. The integrity region keeps focus across its swaps: keepIntegrityFocus.
 */
(function () {
  "use strict";

  function refocus(event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "audit-table") return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var table = document.getElementById("audit-table");
    if (!table) return;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var rel = source && source.getAttribute ? source.getAttribute("rel") : null;
    var again = rel ? table.querySelector('a[rel="' + rel + '"]') : null;
    (again || table.querySelector(".pagination a") || table).focus();
  }

  // A field error rendered with the full page goes stale once htmx lists a valid filter
  // (the form itself is not swapped); the table's own alert speaks for a new error.
  function clearStaleErrors(event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "audit-table") return;
    var table = document.getElementById("audit-table");
    if (!table || table.querySelector(".callout-error")) return;
    var form = document.querySelector("[data-audit-filters]");
    if (!form) return;
    form.querySelectorAll(".has-error").forEach(function (field) {
      field.classList.remove("has-error");
      field.querySelectorAll("[aria-invalid]").forEach(function (input) {
        input.removeAttribute("aria-invalid");
      });
      field.querySelectorAll("[id$='_error']").forEach(function (error) {
        error.remove();
      });
    });
  }

  // The table shows times in the browser's zone (app.js, data-local), so the date filters
  // are days there: the zone goes with every filter request (audit/zones.py). A page read in
  // another zone is listed again when it has dates, else its note is brought up to date.
  function sendZone() {
    var form = document.querySelector("[data-audit-filters]");
    var input = form && form.querySelector("[data-audit-tz]");
    if (!input) return;
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return;
    }
    if (!zone) return;
    input.value = zone;
    var note = document.getElementById("audit-zone");
    if (!note || note.getAttribute("data-zone") === zone) return;
    var dated = Array.prototype.some.call(
      form.querySelectorAll('input[type="date"]'),
      function (field) { return field.value; }
    );
    if (dated && window.htmx) {
      window.htmx.trigger(form, "submit");
    } else if (!dated) {
      note.textContent = "Dates are read in " + zone + " (your browser’s time zone).";
      note.setAttribute("data-zone", zone);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-audit-filters]") && window.htmx) {
      document.documentElement.classList.add("js-live");
    }
    sendZone();
  });
  // The integrity region swaps itself (the full check's button, then its polled progress,
  // then its result): focus that was in it stays in it, on its button or its status line,
  // and a poll never takes focus from elsewhere (the filters being typed in).
  var focusInIntegrity = false;
  function noteIntegrityFocus(event) {
    var target = event.detail && event.detail.target;
    focusInIntegrity = !!(target && target.id === "audit-integrity" &&
      target.contains(document.activeElement));
  }

  function keepIntegrityFocus(event) {
    var target = event.detail && event.detail.target;
    if (!focusInIntegrity || !target || target.id !== "audit-integrity") return;
    focusInIntegrity = false;
    var region = document.getElementById("audit-integrity");
    var again = region &&
      (region.querySelector("button") || region.querySelector("[data-full-check-status]"));
    if (again) again.focus();
  }

  document.addEventListener("htmx:beforeSwap", noteIntegrityFocus);
  document.addEventListener("htmx:afterSettle", keepIntegrityFocus);
  document.addEventListener("htmx:afterSettle", refocus);
  document.addEventListener("htmx:afterSettle", clearStaleErrors);
})();

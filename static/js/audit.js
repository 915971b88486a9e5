/* Audit log screen. Loaded with `defer`; no inline scripts (strict CSP).
 *
 * The filter form updates the table through htmx as filters change, so the "Apply filters"
 * button is only needed without JavaScript: hide it once this script runs.
 *
 * Focus: the filters sit outside the swapped table, so typing keeps its focus. A pager link
 * is inside it: when the swap removes the focused element, focus goes to the same link in
 * the new table (or the table itself), never back to the top of the page.
 * Errors: see clearStaleErrors.
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

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-audit-filters]") && window.htmx) {
      document.documentElement.classList.add("js-live");
    }
  });
  document.addEventListener("htmx:afterSettle", refocus);
  document.addEventListener("htmx:afterSettle", clearStaleErrors);
})();

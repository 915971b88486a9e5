/* Bulk actions on a list (form[data-bulk], generic/object_list.html). Loaded with `defer`.
 *
 * - The header's box ([data-bulk-all]) ticks or clears every row of the page, and shows
 *   "mixed" when only some are ticked.
 * - The count ([data-bulk-number]) follows the ticked rows.
 *
 * Without this script the form works the same: the server reads the header's box and takes
 * every row of the page (page_ids); the count shown is the kept selection's.
 */
(function () {
  "use strict";

  function sync(form) {
    var rows = form.querySelectorAll("input[data-bulk-row]");
    var ticked = 0;
    rows.forEach(function (box) { if (box.checked) ticked += 1; });
    var all = form.querySelector("input[data-bulk-all]");
    if (all) {
      all.checked = rows.length > 0 && ticked === rows.length;
      all.indeterminate = ticked > 0 && ticked < rows.length;
    }
    var number = form.querySelector("[data-bulk-number]");
    if (number) number.textContent = String(ticked);
  }

  function syncAll() {
    document.querySelectorAll("form[data-bulk]").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box.closest ? box.closest("form[data-bulk]") : null;
    if (!form) return;
    if (box.matches("input[data-bulk-all]")) {
      form.querySelectorAll("input[data-bulk-row]").forEach(function (row) {
        row.checked = box.checked;
      });
    }
    if (box.matches("input[data-bulk-all], input[data-bulk-row]")) sync(form);
  });

  document.addEventListener("DOMContentLoaded", syncAll);
  document.addEventListener("htmx:afterSettle", syncAll);
  window.addEventListener("pageshow", syncAll); // a page from the back/forward cache keeps its ticks
})();

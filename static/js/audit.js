/* Audit log screen. Loaded with `defer`; no inline scripts (strict CSP).
 *
 * The filter form updates the table through htmx as filters change, so the "Apply filters"
 * button is only needed without JavaScript: hide it once this script runs.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-audit-filters]") && window.htmx) {
      document.documentElement.classList.add("js-live");
    }
  });
})();

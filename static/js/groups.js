/* Groups editor: the key suggestions follow the chosen kind of field (metadata keys or conversation fields). The builder's own
 * buttons (add, remove, switch mode) are plain submit buttons that htmx sends; without
 * JavaScript they submit the form and the server re-renders it.
 */
(function () {
  "use strict";

  function kinds(root) {
    root.querySelectorAll("select[data-kind]").forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      select.addEventListener("change", function () {
        var key = select.parentElement.querySelector('input[name$="-key"]');
        if (!key) return;
        var conversation = select.value === "conversation";
        key.setAttribute("list", conversation ? "conversation-fields" : "metadata-keys");
        key.placeholder = conversation ? "e.g. type" : "e.g. agentId";
      });
    });
  }

  function init(root) { kinds(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt.ownerDocument || document); });
})();

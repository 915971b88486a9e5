/* Groups editor: live character counters for name and description, and the key suggestions
 * follow the chosen kind of field (metadata keys or conversation fields). The builder's own
 * buttons (add, remove, switch mode) are plain submit buttons that htmx sends; without
 * JavaScript they submit the form and the server re-renders it.
 */
(function () {
  "use strict";

  function counters(root) {
    root.querySelectorAll("[data-counter]").forEach(function (input) {
      var label = root.querySelector('[data-counter-for="' + input.id + '"]');
      if (!label || input.dataset.counting) return;
      input.dataset.counting = "1";
      var max = parseInt(input.getAttribute("data-counter"), 10);
      var update = function () {
        var n = input.value.length;
        label.textContent = n + " / " + max;
        label.classList.toggle("over", n > max);
        // Marks the field while it is too long; a mark the server set stays.
        if (n > max) {
          input.setAttribute("aria-invalid", "true");
          input.dataset.counterInvalid = "1";
        } else if (input.dataset.counterInvalid) {
          input.removeAttribute("aria-invalid");
          delete input.dataset.counterInvalid;
        }
      };
      input.addEventListener("input", update);
      update();
    });
  }

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

  function init(root) { counters(root); kinds(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt.ownerDocument || document); });
})();

// Field helpers both editors share: live character counters (input[data-counter] with a
// [data-counter-for=its id] label part) and chip inputs.
//
// Chip inputs: a comma-separated text field (input[data-chips]) shown as removable chips
// with a typing box that offers the field's <datalist> suggestions. The original field stays
// the form's value (hidden once enhanced), so the form posts the same thing with or without
// JavaScript. Enter or a comma adds what was typed; Backspace in an empty box removes the last
// chip; each chip's × button removes it and keeps focus in the widget. A page's script marks
// refused values by setting data-chips-invalid on the field and dispatching "chips:render".
(function () {
  "use strict";

  function split(value) {
    return value.split(",").map(function (part) { return part.trim(); }).filter(Boolean);
  }

  function enhance(field) {
    if (field.dataset.chipsReady) return;
    field.dataset.chipsReady = "1";
    var noun = (field.dataset.chipsNoun || "item");
    var box = document.createElement("div");
    box.className = "chips-input";
    var list = document.createElement("ul");
    list.className = "chips chips-editable";
    list.setAttribute("aria-label", "Chosen " + (field.dataset.chipsPlural || noun + "s"));
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "chips-entry";
    entry.autocomplete = "off";
    if (field.getAttribute("list")) entry.setAttribute("list", field.getAttribute("list"));
    if (field.getAttribute("aria-describedby")) entry.setAttribute("aria-describedby", field.getAttribute("aria-describedby"));
    if (field.getAttribute("aria-invalid")) entry.setAttribute("aria-invalid", field.getAttribute("aria-invalid"));
    // The label points at the box the user types in.
    entry.id = field.id;
    field.id = field.id + "-value";
    field.removeAttribute("list");
    field.type = "hidden";
    box.appendChild(list);
    box.appendChild(entry);
    field.parentNode.insertBefore(box, field.nextSibling);

    function values() { return split(field.value); }

    function save(items) {
      field.value = items.join(", ");
      render();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    // The values a check refused (data-chips-invalid, a JSON list set by the editor's script):
    // their chips are outlined and say so to screen readers.
    function invalid() {
      try { return JSON.parse(field.getAttribute("data-chips-invalid") || "[]"); } catch (e) { return []; }
    }

    function render() {
      list.textContent = "";
      var refused = invalid();
      values().forEach(function (value, index) {
        var item = document.createElement("li");
        item.className = "chip";
        var text = document.createElement("span");
        text.textContent = value;
        var bad = refused.indexOf(value) !== -1;
        if (bad) {
          item.classList.add("chip-invalid");
          item.setAttribute("aria-invalid", "true");
          var why = document.createElement("span");
          why.className = "visually-hidden";
          why.textContent = " (not valid)";
          text.appendChild(why);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + noun + " " + value + (bad ? " (not valid)" : ""));
        remove.addEventListener("click", function () {
          var items = values();
          items.splice(index, 1);
          save(items);
          var next = list.querySelectorAll(".chip-remove")[index] || entry;
          next.focus();
        });
        item.appendChild(text);
        item.appendChild(remove);
        list.appendChild(item);
      });
      list.hidden = values().length === 0;
    }

    function commit() {
      var typed = split(entry.value);
      if (!typed.length) return false;
      var items = values();
      typed.forEach(function (value) { if (items.indexOf(value) === -1) items.push(value); });
      entry.value = "";
      save(items);
      return true;
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        // Enter adds the chip instead of submitting; an empty box lets Enter save the form.
        if (commit() || event.key === ",") event.preventDefault();
      } else if (event.key === "Backspace" && entry.value === "") {
        var items = values();
        if (items.length) { items.pop(); save(items); }
      }
    });
    // A comma typed or pasted anywhere in the box ends a value (a paste may bring several).
    entry.addEventListener("input", function () {
      if (entry.value.indexOf(",") !== -1) commit();
    });
    // A suggestion picked from the list arrives as a change without a key press.
    entry.addEventListener("change", commit);
    entry.addEventListener("blur", commit);
    field.addEventListener("chips:render", render);
    render();
  }

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

  function enhanceAll(root) {
    root = root || document;
    root.querySelectorAll("input[data-chips]").forEach(enhance);
    counters(root.ownerDocument || root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();

/* Tracker tester: moves the threshold live and keeps "Try it" in step with the editor.
 *
 * The results region (#tester-results) carries every match's score (data-score) and whether a
 * phrase to ignore suppresses it (data-suppressed), so a threshold is applied here exactly as
 * the server applies it (tester/scoring.py): a match is shown when its score reaches the
 * threshold, and catches the sentence unless it is suppressed. Counts, the "nothing caught"
 * notice, the "several trackers" badges and the slider's spoken value follow.
 *
 * In the tracker editor, typing in the form or the transcript (or the phrase rows'
 * phrases-changed) fires tester-refresh on the "Try it" form while the panel is open; htmx
 * debounces it (hx-trigger "tester-refresh delay:500ms") and posts the phrases as typed.
 */
(function () {
  "use strict";

  function apply(results, threshold) {
    var total = 0, caught = 0, several = 0, counts = {};
    results.querySelectorAll("[data-sentence]").forEach(function (sentence) {
      total += 1;
      var catching = 0;
      sentence.querySelectorAll(".match").forEach(function (match) {
        var shown = parseFloat(match.getAttribute("data-score")) >= threshold;
        match.hidden = !shown;
        if (shown && match.getAttribute("data-suppressed") !== "1") {
          catching += 1;
          var id = match.getAttribute("data-tracker-id");
          counts[id] = (counts[id] || 0) + 1;
        }
      });
      sentence.classList.toggle("is-caught", catching > 0);
      sentence.classList.toggle("is-several", catching > 1);
      sentence.querySelector("[data-several]").hidden = catching < 2;
      sentence.querySelector("[data-not-caught]").hidden = catching > 0;
      if (catching) caught += 1;
      if (catching > 1) several += 1;
    });
    results.querySelectorAll(".tester-counts li").forEach(function (item) {
      item.querySelector(".tester-count").textContent = counts[item.getAttribute("data-tracker-id")] || 0;
    });
    var nothing = results.querySelector("[data-nothing]");
    if (nothing) nothing.hidden = caught > 0;
    var status = results.querySelector("#tester-status");
    var words = caught + " of " + total + " sentence" + (total === 1 ? "" : "s") + " caught at " + threshold.toFixed(2) +
      (several ? " · " + several + " caught by several trackers" : "") + ".";
    if (status && status.textContent !== words) status.textContent = words;
    results.setAttribute("data-threshold", threshold.toFixed(2));
    return status ? caught + " of " + total + " caught" : "";
  }

  function update() {
    var slider = document.getElementById("tester-threshold");
    var results = document.getElementById("tester-results");
    if (!slider) return;
    var threshold = parseFloat(slider.value);
    var output = document.getElementById("tester-threshold-value");
    if (output) output.textContent = threshold.toFixed(2);
    var said = results ? apply(results, threshold) : "";
    slider.setAttribute("aria-valuetext", threshold.toFixed(2) + (said ? ", " + said : ""));
  }

  function panel() {
    var details = document.getElementById("try-it");
    return details && details.open ? document.getElementById("try-it-form") : null;
  }

  function refresh() {
    var form = panel();
    var transcript = document.getElementById("try-transcript");
    if (form && transcript && transcript.value.trim() && window.htmx) window.htmx.trigger(form, "tester-refresh");
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.id === "tester-threshold") { update(); return; }
    if (target.id === "try-transcript" || (target.closest && target.closest("#tracker-form"))) refresh();
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("#tracker-form")) refresh();
  });
  document.addEventListener("phrases-changed", refresh);
  document.addEventListener("toggle", function (event) {
    if (event.target.id === "try-it") refresh();
  }, true);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "tester-results" || event.target.querySelector && event.target.querySelector("#tester-results")) update();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();

/* "Across your conversations" (templates/tester/_across_panel.html): while the search runs,
 * the button is aria-disabled (it keeps the focus; htmx drops another press), the results are
 * aria-busy and the status region (role=status) says so; the answer puts its own status line
 * there (out of band). A request that fails outright says so, and nothing typed is touched
 * (only #across-results is ever swapped). */
(function () {
  "use strict";

  function across(event) {
    var form = event.detail && event.detail.elt;
    return form && form.id === "across-form";
  }

  function busy(running) {
    var results = document.getElementById("across-results");
    var button = document.getElementById("across-button");
    if (results) results.setAttribute("aria-busy", running ? "true" : "false");
    if (button) button.setAttribute("aria-disabled", running ? "true" : "false");
  }

  function say(words, running) {
    var status = document.getElementById("across-status");
    if (status) status.textContent = words;
    busy(running);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (across(event)) say("Searching your conversations…", true);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!across(event)) return;
    busy(false);
    if (!event.detail.successful) say("The search did not finish (the dashboard did not answer); your phrases are as you typed them. Try again.", false);
  });
})();

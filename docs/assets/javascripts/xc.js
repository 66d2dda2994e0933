/* Edition behaviour: the print button, the timeline's current step, usage notes that
 * fold away.
 *
 * Plain script, no Material APIs: editions open from file:// and navigation.instant
 * is off, so every page load runs this once. Nothing here makes a request.
 */
(function () {
  "use strict";

  // ---- Print button (delegated, so a button added later, or none, never throws)
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || typeof target.closest !== "function") return;
    var button = target.closest("[data-xc-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // ---- Timeline: mark the step the inspection is in, by this machine's date
  function isoToday() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }

  function markTimeline() {
    var lists = document.querySelectorAll("[data-xc-timeline]");
    Array.prototype.forEach.call(lists, function (list) {
      var steps = Array.prototype.slice.call(list.querySelectorAll("[data-date]"));
      if (!steps.length) return;
      var today = isoToday();
      // The last step already reached; before the first, the first is what comes next.
      var current = steps[0];
      steps.forEach(function (s) { if (s.getAttribute("data-date") <= today) current = s; });
      steps.forEach(function (s) {
        var now = s.querySelector(".xc-timeline__now");
        if (s === current) {
          s.setAttribute("aria-current", "step");
          if (now) now.hidden = false;
        } else {
          s.removeAttribute("aria-current");
          if (now) now.hidden = true;
        }
      });
    });
  }

  // ---- Usage notes: folded on narrow screens and once a page has been read before;
  // one tap opens them again.
  function foldUsage() {
    var notes = document.querySelectorAll(".admonition.xc-usage");
    if (!notes.length) return;
    var s = store();
    var key = "xc-seen:" + location.pathname;
    var seen = false;
    try { seen = !!(s && s.getItem(key)); if (s) s.setItem(key, "1"); } catch (e) { /* private mode */ }
    var narrow = window.matchMedia && window.matchMedia("(max-width: 44.9375em)").matches;
    Array.prototype.forEach.call(notes, function (note) {
      var title = note.querySelector(".admonition-title");
      if (!title) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "xc-usage__toggle";
      title.appendChild(button);
      function set(folded) {
        note.classList.toggle("xc-usage--collapsed", folded);
        button.textContent = folded ? "展开" : "收起";
        button.setAttribute("aria-expanded", folded ? "false" : "true");
      }
      // The whole title line is the tap target; the button inside it (reached by
      // keyboard) bubbles its click up to the same handler.
      title.style.cursor = "pointer";
      title.addEventListener("click", function () {
        set(!note.classList.contains("xc-usage--collapsed"));
      });
      set(narrow || seen);
    });
  }

  function init() {
    markTimeline();
    foldUsage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* Checklist ticks, kept in this browser's localStorage per edition and per list.
 *
 * Markup (macros/checklists.py): a container [data-xc-checklist=<list>][data-xc-edition=<id>]
 * holding input.xc-check[data-item], one [data-xc-progress] and one [data-xc-clear] button.
 * Editions are opened from disk (file://), where every file shares one storage origin,
 * so the key names the edition as well as the list. Pages without checklists: nothing runs.
 */
(function () {
  "use strict";

  var PREFIX = "xc-checklist:";

  function storage() {
    // localStorage may be missing or throw (disabled storage, some file:// policies):
    // ticking still works for the visit, it is just not remembered.
    try {
      var s = window.localStorage;
      var probe = PREFIX + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  function setup(list, store) {
    var key = PREFIX + (list.getAttribute("data-xc-edition") || "") + ":" + list.getAttribute("data-xc-checklist");
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input.xc-check[data-item]"));
    var progress = list.querySelector("[data-xc-progress]");
    var clear = list.querySelector("[data-xc-clear]");

    function read() {
      if (!store) return [];
      try {
        var v = JSON.parse(store.getItem(key) || "[]");
        return Array.isArray(v) ? v : [];
      } catch (e) {
        return [];
      }
    }

    function show() {
      var done = 0;
      boxes.forEach(function (b) {
        if (b.checked) done += 1;
        var row = b.closest("tr");
        if (row) row.classList.toggle("is-done", b.checked);
      });
      if (progress) progress.textContent = "已完成 " + done + " / " + boxes.length;
    }

    function save() {
      if (!store) return;
      var ticked = boxes.filter(function (b) { return b.checked; })
                        .map(function (b) { return b.getAttribute("data-item"); });
      try {
        if (ticked.length) store.setItem(key, JSON.stringify(ticked));
        else store.removeItem(key);
      } catch (e) { /* storage full or blocked: keep the ticks on screen only */ }
    }

    function load() {
      var ticked = read();
      boxes.forEach(function (b) { b.checked = ticked.indexOf(b.getAttribute("data-item")) !== -1; });
      show();
    }

    boxes.forEach(function (b) {
      b.addEventListener("change", function () { save(); show(); });
    });
    if (clear) {
      clear.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = false; });
        save();
        show();
      });
    }
    // Another tab of the same edition ticked something: follow it.
    window.addEventListener("storage", function (ev) {
      if (ev.key === key || ev.key === null) load();
    });
    load();
  }

  function init() {
    var lists = document.querySelectorAll("[data-xc-checklist]");
    if (!lists.length) return;
    var store = storage();
    Array.prototype.forEach.call(lists, function (list) { setup(list, store); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

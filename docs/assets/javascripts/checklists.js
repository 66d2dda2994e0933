/* Checklist ticks: kept in this browser, shared between a team's PCs as small JSON files.
 *
 * Markup (macros/checklists.py): a container [data-xc-checklist=<list>][data-xc-edition=<id>]
 * holding input.xc-check[data-item], a [data-xc-progress] and a [data-xc-clear] button.
 * Editions are opened from disk (file://), where every file shares one storage origin,
 * so the key names the edition as well as the list.
 *
 * Stored per list: {item id: {at: ISO time ticked, pc: this PC's name}}. Clearing asks
 * first and can be undone. Export writes the list's ticks to a file; import merges a
 * file into this browser (a tick is never lost: the earliest time of each item wins).
 * Everything stays offline and in this browser.
 */
(function () {
  "use strict";

  var PREFIX = "xc-checklist:";
  var PC_KEY = "xc-pc-name";

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

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function setup(list, store) {
    var edition = list.getAttribute("data-xc-edition") || "";
    var name = list.getAttribute("data-xc-checklist");
    var key = PREFIX + edition + ":" + name;
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input.xc-check[data-item]"));
    var ids = boxes.map(function (b) { return b.getAttribute("data-item"); });
    var progress = list.querySelector("[data-xc-progress]");
    var clear = list.querySelector("[data-xc-clear]");
    var bar = list.querySelector(".xc-checklist__bar");
    var state = {};
    var undo = null;

    function read() {
      if (!store) return state;
      try {
        var v = JSON.parse(store.getItem(key) || "{}");
        // Lists saved by earlier editions of this script are arrays of ids.
        if (Array.isArray(v)) {
          var o = {};
          v.forEach(function (id) { o[id] = {at: "", pc: ""}; });
          return o;
        }
        return v && typeof v === "object" ? v : {};
      } catch (e) {
        return {};
      }
    }

    function save() {
      if (!store) return;
      try {
        if (Object.keys(state).length) store.setItem(key, JSON.stringify(state));
        else store.removeItem(key);
      } catch (e) { /* storage full or blocked: keep the ticks on screen only */ }
    }

    function show() {
      var done = 0;
      boxes.forEach(function (b) {
        b.checked = Object.prototype.hasOwnProperty.call(state, b.getAttribute("data-item"));
        if (b.checked) done += 1;
        var row = b.closest("tr");
        if (row) row.classList.toggle("is-done", b.checked);
      });
      if (progress) progress.textContent = "已完成 " + done + " / " + boxes.length;
    }

    function pcName() {
      return (store && store.getItem(PC_KEY)) || "";
    }

    boxes.forEach(function (b) {
      b.addEventListener("change", function () {
        var id = b.getAttribute("data-item");
        if (b.checked) state[id] = {at: new Date().toISOString(), pc: pcName()};
        else delete state[id];
        save();
        show();
      });
    });

    // ---- Clear, with confirmation and undo
    var note = el("span", {"class": "xc-checklist__undo", "role": "status", "aria-live": "polite"});
    if (bar) bar.appendChild(note);
    if (clear) {
      clear.addEventListener("click", function () {
        var n = Object.keys(state).length;
        if (!n) return;
        if (!window.confirm("确定清除本清单的全部 " + n + " 项勾选吗？清除后可以撤销。")) return;
        undo = JSON.parse(JSON.stringify(state));
        state = {};
        save();
        show();
        note.textContent = "已清除 " + n + " 项勾选。";
        var again = el("button", {"type": "button", "class": "md-button xc-checklist__undo-button", "data-xc-undo": ""}, "撤销");
        again.addEventListener("click", function () {
          if (undo) state = undo;
          undo = null;
          save();
          show();
          note.textContent = "已恢复勾选。";
        });
        note.appendChild(again);
      });
    }

    // ---- Export and import, so a team on several PCs can combine its progress
    if (bar) {
      var pc = el("label", {"class": "xc-checklist__pc"}, "本机名称：");
      var pcInput = el("input", {"type": "text", "size": "10", "data-xc-pc": "", "placeholder": "如：办公室电脑"});
      pcInput.value = pcName();
      pcInput.addEventListener("change", function () {
        if (store) { try { store.setItem(PC_KEY, pcInput.value.trim()); } catch (e) { /* ignore */ } }
      });
      pc.appendChild(pcInput);
      var exp = el("button", {"type": "button", "class": "md-button", "data-xc-export": ""}, "导出勾选");
      var imp = el("label", {"class": "md-button xc-checklist__import"}, "导入勾选");
      var file = el("input", {"type": "file", "accept": ".json,application/json", "data-xc-import": ""});
      imp.appendChild(file);
      bar.insertBefore(pc, note);
      bar.insertBefore(exp, note);
      bar.insertBefore(imp, note);

      exp.addEventListener("click", function () {
        var data = {
          format: "xc-checklist-ticks/1", edition: edition, list: name, pc: pcName(),
          exported: new Date().toISOString(),
          items: Object.keys(state).filter(function (id) { return ids.indexOf(id) !== -1; })
            .map(function (id) { return {id: id, at: state[id].at || "", pc: state[id].pc || ""}; })
        };
        var blob = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
        var a = el("a", {"href": URL.createObjectURL(blob), "download": edition + "-" + name + "-勾选.json"});
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
        note.textContent = "已导出 " + data.items.length + " 项勾选。";
      });

      file.addEventListener("change", function () {
        var f = file.files && file.files[0];
        if (!f) return;
        var reader = new FileReader();
        reader.onload = function () {
          var data;
          try { data = JSON.parse(reader.result); } catch (e) { data = null; }
          if (!data || data.format !== "xc-checklist-ticks/1" || !Array.isArray(data.items)) {
            note.textContent = "导入失败：这不是勾选导出文件。";
          } else if (data.edition !== edition || data.list !== name) {
            note.textContent = "导入失败：文件属于另一份清单（" + data.edition + " / " + data.list + "）。";
          } else {
            var added = 0;
            data.items.forEach(function (it) {
              if (ids.indexOf(it.id) === -1) return;
              var mine = state[it.id];
              if (!mine) { state[it.id] = {at: it.at || "", pc: it.pc || data.pc || ""}; added += 1; }
              else if (it.at && (!mine.at || it.at < mine.at)) state[it.id] = {at: it.at, pc: it.pc || data.pc || ""};
            });
            save();
            show();
            note.textContent = "已导入并合并，新增 " + added + " 项勾选。";
          }
          file.value = "";
        };
        reader.readAsText(f);
      });
    }

    // Another tab of the same edition ticked something: follow it.
    window.addEventListener("storage", function (ev) {
      if (ev.key === key || ev.key === null) { state = read(); show(); }
    });
    state = read();
    show();
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

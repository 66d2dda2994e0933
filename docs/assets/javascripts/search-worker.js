/* Search for an edition, in place of Material's lunr worker (overrides/main.html points
 * the theme's search at this file). It speaks the theme's worker messages: SETUP with the
 * index, QUERY with the reader's words, RESULT with items grouped by page.
 *
 * Why not lunr: Chinese has no spaces, and a word index only finds the words its
 * segmenter cut. Here every query term is looked up as a substring of each page's title,
 * headings and text, so any word that is on a page finds it. The index holds the alias
 * groups of the edition (macros/search.py): a term also matches its other names.
 *
 * Runs as a Web Worker, or inside the iframe-worker shim when the edition is opened from
 * disk; it needs nothing but this file and the index. No request leaves the edition.
 */
/* global postMessage */
(function () {
  "use strict";

  var docs = [];
  var groups = [];
  var pageDoc = {};
  var pageLength = {};

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " " };

  function plain(html) {
    return String(html || "")
      .replace(/<[^>]*>/g, " ")
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, function (m, e) {
        if (e[0] === "#") {
          var code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          return isNaN(code) ? m : String.fromCodePoint(code);
        }
        return ENTITIES[e.toLowerCase()] || m;
      })
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
      // A space between two Chinese characters is only where a tag was.
      .replace(/\s+/g, " ")
      .replace(/([\u2e80-\u9fff\uff00-\uffef\u3000-\u303f“”‘’]) (?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f“”‘’])/g, "$1")
      .trim();
  }

  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function setup(data) {
    groups = ((data.config && data.config.aliases) || []).map(function (g) {
      return g.map(function (x) { return x.toLowerCase(); });
    });
    var byPage = {};
    docs = (data.docs || []).map(function (d) {
      var path = d.location.split("#")[0];
      var doc = {
        location: d.location,
        path: path,
        section: d.location.indexOf("#") >= 0,
        title: plain(d.title),
        text: plain(d.text)
      };
      doc.titleLow = doc.title.toLowerCase();
      doc.textLow = doc.text.toLowerCase();
      if (!doc.section) byPage[path] = doc;
      return doc;
    });
    pageDoc = byPage;
    pageLength = {};
    docs.forEach(function (d) {
      pageLength[d.path] = (pageLength[d.path] || 0) + d.text.length + d.title.length;
    });
  }

  /* The query's terms: split at spaces and punctuation. */
  function terms(query) {
    return String(query || "")
      .toLowerCase()
      .split(/[\s,.;:!?，。、；：！？“”‘’（）()《》【】]+/)
      .filter(function (t) { return t.length > 0; });
  }

  /* A term and its other names: each alias found in the term is swapped for the others. */
  function variants(term) {
    var out = [term];
    groups.forEach(function (g) {
      g.forEach(function (name) {
        if (term.indexOf(name) < 0) return;
        g.forEach(function (other) {
          if (other !== name) {
            var v = term.split(name).join(other);
            if (out.indexOf(v) < 0) out.push(v);
          }
        });
      });
    });
    return out;
  }

  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0 && n < 50) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  /* Wrap every occurrence of any variant in <mark>, escaping the rest. */
  function highlight(text, vs) {
    var low = text.toLowerCase();
    var spans = [];
    vs.forEach(function (v) {
      var i = low.indexOf(v);
      while (i >= 0) { spans.push([i, i + v.length]); i = low.indexOf(v, i + v.length); }
    });
    if (!spans.length) return escapeHTML(text);
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = "", pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) return;
      out += escapeHTML(text.slice(pos, s[0])) + "<mark>" + escapeHTML(text.slice(s[0], s[1])) + "</mark>";
      pos = s[1];
    });
    return out + escapeHTML(text.slice(pos));
  }

  var BREAK = /[。；！？：，、\s]/;
  var LEADING = /^[\s，。、；：！？”’）》】…—·,.;:!?)\]]+/;

  /* About 100 characters around the first match, starting after a punctuation mark (so
   * at the start of a phrase), never with punctuation. */
  function snippet(text, low, vs) {
    var at = -1;
    vs.forEach(function (v) {
      var i = low.indexOf(v);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0) at = 0;
    var start = Math.max(0, at - 36);
    if (start > 0) {
      for (var k = start; k < at; k++) {
        if (BREAK.test(text[k])) { start = k + 1; break; }
      }
      if (start < at - 36) start = at;
    }
    var end = Math.min(text.length, start + 110);
    var piece = text.slice(start, end).replace(LEADING, "");
    return highlight(piece, vs) + (end < text.length ? "…" : "");
  }

  function search(query) {
    var ts = terms(query);
    if (!ts.length) return { items: [] };
    var vs = ts.map(variants);
    var all = [].concat.apply([], vs);

    // Per document: where each term occurs. Per page: the same, summed over its sections.
    var pages = {}, order = [];
    docs.forEach(function (d) {
      var found = {}, any = false, docScore = 0;
      var perTerm = ts.map(function (t, i) {
        var inTitle = false, tf = 0;
        vs[i].forEach(function (v) {
          if (d.titleLow.indexOf(v) >= 0) inTitle = true;
          tf += count(d.textLow, v);
        });
        found[t] = inTitle || tf > 0;
        any = any || found[t];
        docScore += (inTitle ? (d.section ? 60 : 100) : 0) + Math.min(tf, 12) * 2 + (tf ? 5 : 0);
        return { title: inTitle ? (d.section ? 60 : 100) : 0, tf: tf };
      });
      if (!any) return;
      var p = pages[d.path];
      if (!p) {
        p = pages[d.path] = { docs: [], terms: ts.map(function () { return { title: 0, tf: 0 }; }) };
        order.push(d.path);
      }
      perTerm.forEach(function (x, i) {
        p.terms[i].title = Math.max(p.terms[i].title, x.title);
        p.terms[i].tf += x.tf;
      });
      p.docs.push({ doc: d, score: docScore, terms: found });
    });

    // A page ranks by a title or heading holding the term first, then by how densely its
    // text uses the term (a page that is about the word says it often for its length),
    // and a page with every term beats one with some.
    var ranked = order.map(function (path) {
      var p = pages[path], score = 0, matched = 0;
      var length = pageLength[path] || 1;
      p.terms.forEach(function (x) {
        if (x.title || x.tf) matched++;
        score += x.title + 1000 * x.tf / length;
      });
      return { path: path, page: p, score: score + (matched === ts.length ? 100000 : 0) };
    });
    ranked.sort(function (a, b) { return b.score - a.score; });

    var items = ranked.map(function (r) {
      var list = r.page.docs
        .sort(function (a, b) { return b.score - a.score; })
        .map(function (h) {
          return {
            location: h.doc.location,
            title: highlight(h.doc.title, all),
            text: snippet(h.doc.text, h.doc.textLow, all),
            score: h.score,
            terms: h.terms
          };
        });
      var page = pageDoc[r.path];
      if (page && !list.some(function (x) { return x.location === page.location; })) {
        list.push({ location: page.location, title: escapeHTML(page.title), text: "", score: 0, terms: {} });
      }
      return list;
    });
    return { items: items };
  }

  // Message types of the theme's worker protocol: SETUP 0, READY 1, QUERY 2, RESULT 3.
  addEventListener("message", function (ev) {
    var m = ev.data || {};
    if (m.type === 0) {
      setup(m.data || {});
      postMessage({ type: 1 });
    } else if (m.type === 2) {
      var result;
      try {
        result = search(m.data);
      } catch (e) {
        result = { items: [] };
      }
      postMessage({ type: 3, data: result });
    }
  });
})();

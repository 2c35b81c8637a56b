/* The site's search box (builder/search): drives the header's search field
 * (theme_overrides/partials/search.html). Nothing of the index is loaded until
 * the visitor focuses the field; then the manifest, the term shards a query
 * needs and the page chunks of the results shown, each a <script> file that
 * calls vpSearch.* (so it works from file:// too). Results are built with DOM
 * methods and textContent only: titles and texts are editors' text.
 * Terms are made exactly as in builder/search/tokens.py. */
(function () {
  "use strict";
  var root = document.querySelector(".md-search[data-vp-search]");
  if (!root) return;
  var base = root.getAttribute("data-vp-search") || ".";
  if (base.slice(-1) !== "/") base += "/";
  var input = root.querySelector(".md-search__input");
  var list = root.querySelector(".md-search-result__list");
  var meta = root.querySelector(".md-search-result__meta");
  var form = root.querySelector(".md-search__form");
  var toggle = document.getElementById("__search");
  var SHOW = 10;
  var EXACT = "=";
  var MAX_TERMS = 16;

  // -- loading script files ---------------------------------------------------------
  var store = {};
  var pending = {};
  window.vpSearch = {
    manifest: function (m) { store.m = m; },
    terms: function (k, data) { store["t" + k] = data; },
    docs: function (k, rows) { store["d" + k] = rows; }
  };
  function load(key, path) {
    if (!pending[key]) {
      pending[key] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + "assets/search/" + path;
        s.async = true;
        s.onload = function () {
          if (store[key] === undefined) reject(new Error(path));
          else resolve(store[key]);
        };
        s.onerror = function () {
          delete pending[key];
          reject(new Error(path));
        };
        document.head.appendChild(s);
      });
    }
    return pending[key];
  }
  function manifest() { return load("m", "index.js"); }

  // -- terms (builder/search/tokens.py) ----------------------------------------------
  var RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  function runs(text) {
    return text.normalize("NFKC").toLowerCase().match(RUN) || [];
  }
  function isAscii(s) { return /^[\x00-\x7f]*$/.test(s); }
  function terms(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (isAscii(r) || r.length === 1) out.push(r);
      else for (var i = 0; i + 1 < r.length; i++) out.push(r.slice(i, i + 2));
    });
    return out;
  }
  function queryTerms(q) {
    var seen = {}, ts = [];
    terms(q).forEach(function (t) { if (!seen[t] && ts.length < MAX_TERMS) { seen[t] = 1; ts.push(t); } });
    var key = runs(q).join("");
    if (key.length > 1) ts.push(EXACT + key);
    return ts;
  }
  var encoder = new TextEncoder();
  function fnv1a(s) {
    var h = 0x811c9dc5, bytes = encoder.encode(s);
    for (var i = 0; i < bytes.length; i++) {
      h = (h ^ bytes[i]) >>> 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  // -- ranking (builder/search/index.py: query) -----------------------------------------
  function rank(ts, shards, m) {
    var hits = {}, score = {};
    ts.forEach(function (t) {
      var flat = shards[fnv1a(t) % m.shards][t];
      if (!flat) return;
      var d = 0;
      for (var i = 0; i < flat.length; i += 2) {
        d += flat[i];
        if (t.charAt(0) !== EXACT) hits[d] = (hits[d] || 0) + 1;
        score[d] = (score[d] || 0) + flat[i + 1];
      }
    });
    var n = ts.filter(function (t) { return t.charAt(0) !== EXACT; }).length || 1;
    var r = {};
    Object.keys(score).forEach(function (d) {
      var share = (hits[d] || 0) / n;
      r[d] = score[d] * share * share;
    });
    return Object.keys(r).map(Number).sort(function (a, b) { return r[b] - r[a] || a - b; });
  }

  var seq = 0;
  function search(q) {
    var mine = ++seq;
    var ts = queryTerms(q);
    if (!ts.length) { show(mine, null, [], q); return; }
    manifest().then(function (m) {
      var need = {};
      ts.forEach(function (t) { need[fnv1a(t) % m.shards] = 1; });
      var ks = Object.keys(need).map(Number);
      return Promise.all(ks.map(function (k) { return load("t" + k, "t/" + k + ".js"); })).then(function (got) {
        var shards = {};
        ks.forEach(function (k, i) { shards[k] = got[i]; });
        var ids = rank(ts, shards, m);
        var top = ids.slice(0, SHOW);
        var chunks = {};
        top.forEach(function (d) { chunks[Math.floor(d / m.chunk)] = 1; });
        var cs = Object.keys(chunks).map(Number);
        return Promise.all(cs.map(function (k) { return load("d" + k, "d/" + k + ".js"); })).then(function () {
          var rows = top.map(function (d) { return store["d" + Math.floor(d / m.chunk)][d % m.chunk]; });
          show(mine, ids.length, rows, q);
        });
      });
    }).catch(function () {
      if (mine !== seq) return;
      clear();
      meta.textContent = "搜索索引没有加载成功，请刷新页面后再试。";
    });
  }

  // -- results ---------------------------------------------------------------------
  function clear() { while (list.firstChild) list.removeChild(list.firstChild); }

  // Text with the query's terms marked: only DOM text nodes and <mark>.
  function marked(el, text, ts) {
    var low = text.toLowerCase();
    var on = new Array(text.length);
    if (low.length === text.length) {
      ts.forEach(function (t) {
        if (t.charAt(0) === EXACT) return;
        for (var i = low.indexOf(t); i >= 0; i = low.indexOf(t, i + 1)) {
          for (var j = i; j < i + t.length; j++) on[j] = true;
        }
      });
    }
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && !!on[j] === !!on[i]) j++;
      var part = document.createTextNode(text.slice(i, j));
      if (on[i]) {
        var mk = document.createElement("mark");
        mk.appendChild(part);
        el.appendChild(mk);
      } else el.appendChild(part);
      i = j;
    }
    return el;
  }

  function show(mine, total, rows, q) {
    if (mine !== seq) return;
    clear();
    if (total === null) { meta.textContent = "输入村名、党建品牌、项目名称等关键词"; return; }
    if (!total) { meta.textContent = "没有找到相关内容"; return; }
    meta.textContent = total > rows.length
      ? "找到 " + total + " 个结果，显示前 " + rows.length + " 个"
      : "找到 " + total + " 个结果";
    var ts = queryTerms(q);
    rows.forEach(function (row) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = base + row[0];
      var art = document.createElement("article");
      art.className = "md-search-result__article md-typeset";
      var title = document.createElement("div");
      title.className = "vp-search-title";
      art.appendChild(marked(title, String(row[1]), ts));
      if (row[2]) {
        var p = document.createElement("p");
        p.className = "vp-search-teaser";
        art.appendChild(marked(p, String(row[2]), ts));
      }
      a.appendChild(art);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  // -- the box -------------------------------------------------------------------------
  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  }
  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }
  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 60);
  }
  input.addEventListener("focus", function () {
    open();
    manifest().catch(function () {});
    if (input.value) later();
  });
  input.addEventListener("input", later);
  input.addEventListener("keyup", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Escape") later();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); }, 0);
  });
  if (toggle) {
    // the header's magnifier (a label for the toggle) opens the box on phones
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
  }
  root.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (e.key === "Enter" && document.activeElement === input) {
      e.preventDefault();
      if (links.length) links[0].click();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!links.length) return;
      e.preventDefault();
      var next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    }
  });
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) close();
  });
})();

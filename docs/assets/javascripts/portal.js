/* 示范村展示门户: sorting and filtering of comparison tables. Small and
   vendored (no outside requests); the tables are complete without it. */
(function () {
  "use strict";
  function cellValue(row, idx, numeric) {
    var cell = row.cells[idx];
    if (!cell) return numeric ? -Infinity : "";
    var v = cell.getAttribute("data-value");
    if (v === null) v = cell.textContent.trim();
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v;
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, idx) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      th.tabIndex = 0;
      th.setAttribute("role", "columnheader");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = kind === "num";
        var coll = typeof Intl !== "undefined" ? new Intl.Collator("zh-Hans-CN-u-co-pinyin") : null;
        rows.sort(function (a, b) {
          var x = cellValue(a, idx, numeric), y = cellValue(b, idx, numeric), r;
          if (numeric) r = x - y; else r = coll ? coll.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  function setupFilters(root) {
    var form = root.querySelector(".vp-filters");
    if (!form) return;
    var tables = root.querySelectorAll("table.vp-matrix, table.vp-ranking");
    var selects = form.querySelectorAll("select[data-filter]");
    var counter = form.querySelector(".vp-filter-count");
    function apply() {
      var shown = 0, total = 0;
      Array.prototype.forEach.call(tables, function (t) {
        Array.prototype.forEach.call(t.tBodies[0].rows, function (row) {
          var ok = true;
          Array.prototype.forEach.call(selects, function (s) {
            var want = s.value, key = s.getAttribute("data-filter");
            if (want && row.getAttribute("data-" + key) !== want) ok = false;
          });
          row.hidden = !ok; total++; if (ok) shown++;
        });
      });
      if (counter) counter.textContent = "显示 " + shown + " / " + total + " 个村";
    }
    Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", apply); });
    form.hidden = false;
    apply();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.vp-sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("[data-compare]"), function (el) {
      if (el.querySelector(".vp-filters")) setupFilters(el);
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);   /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();

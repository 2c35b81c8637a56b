/* 示范村展示门户: filters for card lists (village lists, tags, projects).
   Progressive enhancement: every card is in the HTML and the filter form is
   hidden until this script shows it. Each <select data-filter="KEY"> keeps the
   items whose data-KEY equals its value; blocks ([data-card-block]) and
   groups ([data-card-group]) left without a visible item are hidden too. */
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  function setup(form) {
    var root = form.closest("[data-card-list]") || document;
    var items = root.querySelectorAll("[data-card]");
    var blocks = root.querySelectorAll("[data-card-block]");
    var groups = root.querySelectorAll("[data-card-group]");
    var selects = form.querySelectorAll("select[data-filter]");
    var counter = form.querySelector(".vp-filter-count");
    var empty = root.querySelector("[data-filter-empty]");
    var unit = form.getAttribute("data-unit") || "个村";
    function visible(el) { return el.querySelector("[data-card]:not([hidden])") !== null; }
    function apply() {
      var shown = {}, total = {};
      each(items, function (item) {
        var ok = true;
        each(selects, function (s) {
          if (s.value && item.getAttribute("data-" + s.getAttribute("data-filter")) !== s.value) ok = false;
        });
        item.hidden = !ok;
        var key = item.getAttribute("data-key") || item.querySelector("a").getAttribute("href");
        total[key] = 1;
        if (ok) shown[key] = 1;
      });
      each(blocks, function (b) { b.hidden = !visible(b); });
      each(groups, function (g) {
        g.hidden = !visible(g) && g.querySelector("[data-card-keep]") === null;
      });
      var n = Object.keys(shown).length, all = Object.keys(total).length;
      if (counter) counter.textContent = "显示 " + n + " / " + all + " " + unit;
      if (empty) empty.hidden = n > 0;
    }
    each(selects, function (s) { s.addEventListener("change", apply); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function init() { each(document.querySelectorAll("form[data-card-filters]"), setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

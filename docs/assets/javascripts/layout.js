/* 示范村展示门户: small layout helpers; every page is complete without them.
   1. A link to a heading inside a hidden panel of the village page (the
      contents list, a shared link #ziping) opens that panel first.
   2. A box that scrolls sideways (a wide table or chart) gets a visible cue:
      .vp-overflows (a fade at the right edge, layout.css) until it is
      scrolled to the end, and a "左右滑动查看" line above it. */
(function () {
  "use strict";
  var SCROLLERS = ".vp-scroll, .tour-scroll, .md-typeset__scrollwrap, .md-typeset table";

  function openPanelOf(id) {
    if (!id) return;
    var el;
    try { el = document.getElementById(decodeURIComponent(id)); } catch (e) { return; }
    if (!el) return;
    var block = el.closest(".tabbed-block");
    if (!block) return;
    var set = block.closest(".tabbed-set");
    var blocks = Array.prototype.slice.call(block.parentNode.children);
    var inputs = set.querySelectorAll(":scope > input");
    var input = inputs[blocks.indexOf(block)];
    if (input && !input.checked) {
      input.checked = true;
      input.dispatchEvent(new Event("change"));
    }
    if (el.tagName !== "INPUT") el.scrollIntoView();
  }

  function markScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(SCROLLERS), function (box) {
      var ox = getComputedStyle(box).overflowX;
      if (ox !== "auto" && ox !== "scroll") return;
      if (box.parentElement && box.parentElement.closest(".vp-overflows")) return;
      var over = box.scrollWidth > box.clientWidth + 2;
      box.classList.toggle("vp-overflows", over);
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("vp-scroll-hint");
      if (over && !has) {
        hint = document.createElement("p");
        hint.className = "vp-scroll-hint";
        hint.textContent = "左右滑动查看更多";
        box.parentNode.insertBefore(hint, box);
      } else if (!over && has) {
        hint.remove();
      }
      if (!box.dataset.vpCue) {
        box.dataset.vpCue = "1";
        box.addEventListener("scroll", function () { atEnd(box); }, { passive: true });
      }
      atEnd(box);
    });
  }
  function atEnd(box) {
    box.classList.toggle("vp-at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 2);
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(markScrollers, 150); }

  function init() {
    markScrollers();
    if (location.hash) openPanelOf(location.hash.slice(1));
  }
  window.addEventListener("hashchange", function () { openPanelOf(location.hash.slice(1)); });
  window.addEventListener("resize", later);
  document.addEventListener("change", function (e) {
    if (e.target && e.target.matches && e.target.matches(".tabbed-set > input")) later();
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();

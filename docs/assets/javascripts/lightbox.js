/* 示范村展示门户: the photo viewer. Photos are links to their largest size
   (a.glightbox, builder/photos/html.py); on a page that has such links this
   loads the vendored GLightbox (assets/javascripts/vendor/glightbox/, next to
   this file) and opens the photos in it. Pages without photos load nothing;
   without JavaScript a photo link opens the picture itself. Script tags, not
   fetch or modules, so it also works from a USB stick (file://). */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^\/]*$/, "") + "vendor/glightbox/" : null;
  var state = "idle"; // idle → loading → ready
  var box = null;
  // GLightbox's options as mkdocs-glightbox set them before (mkdocs.yml had
  // touchNavigation: true, loop: false, effect: zoom).
  var OPTIONS = {
    touchNavigation: true, loop: false, zoomable: true, draggable: true,
    openEffect: "zoom", closeEffect: "zoom", slideEffect: "slide"
  };

  function start() {
    if (!base || !document.querySelector("a.glightbox")) return;
    if (state === "ready") {
      if (box) box.reload();
      return;
    }
    if (state === "loading") return;
    // Zensical's theme loads and starts GLightbox itself (builder/zensical_engine):
    // a second viewer would open every photo twice.
    if (typeof window.GLightbox === "function") return;
    state = "loading";
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "glightbox.min.css";
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = base + "glightbox.min.js";
    js.onload = function () {
      state = "ready";
      if (typeof window.GLightbox === "function") box = window.GLightbox(OPTIONS);
    };
    js.onerror = function () { state = "idle"; };
    document.head.appendChild(js);
  }

  // Material's document$ emits on every page (also with instant navigation).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

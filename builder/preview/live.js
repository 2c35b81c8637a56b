// Live reload for `python -m builder serve` (added to pages only by the
// preview server, never written into the site). Asks the same server, by
// long polling, whether the site changed; reloads the page when it did;
// shows the content's errors in a banner over the last good site.
(function () {
  "use strict";
  var site = null;
  var seen = null;
  function banner(errors) {
    var id = "vp-preview-errors";
    var el = document.getElementById(id);
    if (!errors || !errors.length) {
      if (el) el.parentNode.removeChild(el);
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.id = id;
      el.setAttribute("role", "alert");
      el.style.cssText =
        "position:fixed;z-index:100000;left:0;right:0;top:0;max-height:60vh;overflow:auto;" +
        "background:#fff3f3;color:#7a0000;border-bottom:3px solid #c00;padding:12px 16px;" +
        "font:14px/1.6 sans-serif;white-space:pre-wrap;box-shadow:0 2px 8px rgba(0,0,0,.3)";
      document.body.appendChild(el);
    }
    // textContent: the messages quote what editors wrote; never parsed as HTML
    el.textContent =
      "内容有 " + errors.length + " 处错误，预览仍显示上一次成功生成的网站。" +
      "改正后保存，页面会自动刷新。\n\n" + errors.join("\n\n");
  }
  function poll() {
    fetch("/__preview/wait?seen=" + (seen === null ? "" : seen), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (site !== null && s.site !== site) {
          location.reload();
          return;
        }
        site = s.site;
        seen = s.seen;
        banner(s.errors);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();

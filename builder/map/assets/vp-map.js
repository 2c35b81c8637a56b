/* The interactive county map (Leaflet + Leaflet.markercluster, vendored).
 * Data: window.VP_MAP from vp-map-data.js (a script file, so it also works
 * from file://). Editor text is only ever set as textContent, never as HTML.
 * Nothing here requests another host unless content/map/tiles.yml enables
 * online tiles; a local PMTiles basemap is read from the site itself.
 * Without JavaScript the SVG map and the list stay. */
(function () {
  "use strict";
  var D = window.VP_MAP, box = document.getElementById("vp-lmap");
  if (!D || !box || !window.L || !L.markerClusterGroup) return;
  var base = box.getAttribute("data-base") || "";
  if (base && base.slice(-1) !== "/") base += "/";
  var page = box.closest(".vp-map-page");
  box.hidden = false;
  if (page) page.classList.add("vp-map-js");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // Leaflet sets tooltip and layer-control strings as HTML: editor text goes
  // in as a text node (tooltips) or escaped (layer names), never as markup.
  function txt(s) { return el("span", null, String(s)); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function link(href, text, cls) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }

  var narrow = window.matchMedia("(max-width: 600px)").matches;
  var map = L.map(box, {maxZoom: 18, minZoom: 6, zoomSnap: 0.25, attributionControl: true, keyboard: true, tap: true});
  map.attributionControl.setPrefix("Leaflet");
  // Town names under the markers (a marker is never hidden by a name).
  map.createPane("vpTownNames").style.zIndex = 550;
  map.getPane("vpTownNames").style.pointerEvents = "none";
  if (D.note) map.attributionControl.addAttribution(esc(D.note));

  // Basemaps: the county's own layers; online tiles only when configured.
  var bases = {}, overlays = {}, fitTo = null, townLayer = null;
  var none = L.layerGroup(), hasBase = false;
  if (D.tiles && D.tiles.pmtiles) {
    // A local PMTiles archive, published with the site, read with HTTP range
    // requests — which file:// (a USB stick) does not have: there the map
    // shows the county's own layers and says why the basemap is missing.
    if (location.protocol === "file:" || !window.pmtiles) {
      offlineNote("从 U 盘等本地文件打开时不显示底图“" + D.tiles.name + "”，县里提供的图层照常显示。");
    } else {
      var pm = pmtiles.leafletRasterLayer(new pmtiles.PMTiles(base + D.tiles.pmtiles), {
        maxZoom: D.tiles.maxZoom, minNativeZoom: D.tiles.minNativeZoom, maxNativeZoom: D.tiles.maxNativeZoom,
        bounds: D.tiles.bounds, attribution: esc(D.tiles.attribution || "")});
      bases[esc(D.tiles.name)] = pm.addTo(map);
      bases["不用底图"] = none;
      hasBase = true;
    }
  } else if (D.tiles) {
    var t = L.tileLayer(D.tiles.url, {subdomains: D.tiles.subdomains || "abc", maxZoom: D.tiles.maxZoom,
                                      attribution: esc(D.tiles.attribution || "")});
    bases[esc(D.tiles.name)] = t.addTo(map);
    bases["不用在线底图"] = none;
    hasBase = true;
  }
  function offlineNote(text) {
    var Note = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () { return el("p", "vp-lm-offline-note", text); }
    });
    new Note().addTo(map);
  }
  D.layers.forEach(function (ly) {
    var st = ly.style;
    var g = L.geoJSON(ly.data, {
      interactive: ly.kind === "towns",
      style: function (f) {
        return {color: st.color, weight: st.width, dashArray: st.dash ? "6 4" : null,
                fillColor: st.fill || st.color, fillOpacity: st.fill ? st.fill_opacity : 0,
                fill: !!st.fill, opacity: 0.95};
      },
      onEachFeature: function (f, layer) {
        var name = f.properties && f.properties[ly.label];
        if (ly.kind === "towns" && name) {
          layer.on("click", function () { map.fitBounds(layer.getBounds(), {padding: [12, 12]}); });
        } else if (name && ly.kind !== "county") {
          layer.bindTooltip(txt(name), {sticky: true});
        }
      }
    });
    if (ly.kind === "towns") {
      // names at points chosen at build time: inside the town, away from its villages
      D.towns.forEach(function (t) {
        L.tooltip({permanent: true, direction: "center", className: "vp-lm-town", pane: "vpTownNames"})
          .setLatLng(t.p).setContent(txt(t.n)).addTo(g);
      });
    }
    g.addTo(map);
    overlays[esc(ly.name)] = g;
    if (ly.kind === "county" && !fitTo) fitTo = g.getBounds();
    if (ly.kind === "towns") townLayer = g;
  });
  // Town names where there is no towns layer: at the seats.
  if (!townLayer && D.towns.length) {
    var tg = L.layerGroup();
    D.towns.forEach(function (t) {
      L.tooltip({permanent: true, direction: "center", className: "vp-lm-town", pane: "vpTownNames"}).setLatLng(t.p).setContent(txt(t.n)).addTo(tg);
    });
    overlays["乡镇名称"] = tg.addTo(map);
  }
  if (D.belts.length) {
    var bg = L.layerGroup();
    D.belts.forEach(function (b) {
      L.polyline(b.p, {color: "#e65100", weight: 6, opacity: 0.7, lineCap: "round"})
        .bindTooltip(txt(b.name + "（约 " + b.km + " 公里）"), {sticky: true}).addTo(bg);
    });
    overlays["示范带"] = bg.addTo(map);
  }

  // Villages: shape and colour = function, filled = designated.
  var icons = {};
  function icon(v) {
    var key = v.f + ":" + v.d;
    if (!icons[key]) {
      var fn = D.functions[v.f];
      icons[key] = L.divIcon({className: "vp-lm-marker", iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12],
                              html: fn ? (v.d ? fn.filled : fn.hollow) : ""});
    }
    return icons[key];
  }
  function popup(v) {
    var p = el("div", "vp-lm-popup");
    if (v.img) {
      var img = el("img", "vp-lm-cover");
      img.src = base + v.img;
      img.alt = "";
      img.width = 240;
      img.height = 135;
      p.appendChild(img);
    }
    var h = el("p", "vp-lm-name");
    h.appendChild(link(base + v.u, v.n));
    p.appendChild(h);
    p.appendChild(el("p", "vp-lm-meta", v.t + " · " + v.fn));
    if (v.b) p.appendChild(el("p", "vp-lm-brand", "党建品牌：" + v.b));
    p.appendChild(el("p", "vp-lm-status", "状态：" + v.s + (v.road ? " · 距主要道路 " + v.road + " 公里" : "")));
    var nav = el("p", "vp-lm-nav");
    nav.appendChild(link(base + v.u, "村页面", "vp-lm-btn"));
    v.nav.forEach(function (n) {
      var a = link(n[1], n[0], "vp-lm-btn vp-nav-link");
      a.rel = "noopener noreferrer";
      nav.appendChild(a);
    });
    p.appendChild(nav);
    return p;
  }
  var cluster = L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 44, showCoverageOnHover: false,
                                      spiderfyOnMaxZoom: true});
  var markers = D.villages.map(function (v, i) {
    var m = L.marker(v.p, {icon: icon(v), title: v.n + "（" + v.s + "）", alt: v.n, keyboard: true, riseOnHover: true});
    m.vp = i;
    m.bindPopup(function () { return popup(v); }, {maxWidth: 260, minWidth: 200, autoPanPadding: [16, 16]});
    m.bindTooltip(txt(v.n), {permanent: true, direction: "right", offset: [12, 0], className: "vp-lm-vname", interactive: false});
    m.on("add", function () {
      var e = m.getElement();
      if (e) { e.setAttribute("aria-label", v.n + "，" + v.t + "，" + v.s); e.setAttribute("data-vp", String(i)); }
    });
    return m;
  });
  cluster.addLayers(markers);
  overlays["示范村"] = cluster.addTo(map);
  cluster.on("clusterclick", function () {});
  cluster.on("animationend", labelClusters);
  map.on("zoomend moveend", labelClusters);
  // Village names beside single markers, hidden where they would overlap
  // another name or a marker (the same greedy rule as the SVG maps).
  var placing = 0;
  function placeNames() {
    if (placing) cancelAnimationFrame(placing);
    placing = requestAnimationFrame(function () {
      placing = 0;
      var taken = [];
      box.querySelectorAll(".vp-lm-marker, .marker-cluster, .vp-lm-town").forEach(function (e) { taken.push(e.getBoundingClientRect()); });
      var frame = box.getBoundingClientRect();
      box.querySelectorAll(".vp-lm-vname").forEach(function (t) {
        t.style.visibility = "hidden";
        var r = t.getBoundingClientRect();
        var free = r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom &&
          !taken.some(function (o) { return r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom; });
        if (free) { t.style.visibility = ""; taken.push(r); }
      });
    });
  }
  map.on("zoomend moveend", placeNames);
  cluster.on("animationend", placeNames);
  function labelClusters() {
    // Give each cluster icon a name screen readers can read.
    box.querySelectorAll(".marker-cluster").forEach(function (e) {
      var n = e.textContent.trim();
      e.setAttribute("aria-label", n + " 个村，点一下放大");
    });
  }

  L.control.layers(hasBase ? bases : null, overlays, {collapsed: narrow, position: "topright"}).addTo(map);
  L.control.scale({imperial: false, position: "bottomright"}).addTo(map);

  // Legend: always on the map; on phones folded to one 图例 button.
  var Legend = L.Control.extend({
    options: {position: "bottomleft"},
    onAdd: function () {
      var d = el("div", "vp-lm-legend leaflet-bar");
      var btn = el("button", "vp-lm-legend-btn", "图例");
      btn.type = "button";
      var ul = el("ul");
      ul.id = "vp-lm-legend-list";
      btn.setAttribute("aria-controls", ul.id);
      function show(open) { ul.hidden = !open; btn.setAttribute("aria-expanded", open ? "true" : "false"); }
      btn.addEventListener("click", function () { show(ul.hidden); });
      show(!narrow);
      D.functions.forEach(function (f) {
        var li = el("li");
        var s = el("span", "vp-lm-sw");
        s.innerHTML = f.filled;   // our own SVG, built from the palette (no editor text)
        li.appendChild(s);
        li.appendChild(document.createTextNode(f.name));
        ul.appendChild(li);
      });
      var li2 = el("li");
      var s2 = el("span", "vp-lm-sw");
      s2.innerHTML = D.functions.length ? D.functions[0].hollow : "";
      li2.appendChild(s2);
      li2.appendChild(document.createTextNode("空心：尚未命名"));
      ul.appendChild(li2);
      if (D.belts.length) ul.appendChild(el("li", "vp-lm-belt-key", "示范带"));
      d.appendChild(btn);
      d.appendChild(ul);
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    }
  });
  new Legend().addTo(map);

  if (!fitTo) fitTo = markers.length ? L.featureGroup(markers).getBounds() : null;
  if (fitTo && fitTo.isValid()) map.fitBounds(fitTo, {padding: [8, 8]});
  else map.setView([35, 105], 5);
  map.setMaxBounds(fitTo && fitTo.isValid() ? fitTo.pad(1) : null);
  labelClusters();
  placeNames();
  window.VP_MAP_READY = {map: map, cluster: cluster, markers: markers, overlays: overlays};
  box.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  box.setAttribute("data-ready", "1");
})();

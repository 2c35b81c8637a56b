"""The county map: the county's own GeoJSON layers (content/map/), the
interactive Leaflet map on /map/, its SVG twin for print and no-JS, the
village locator, navigation links (高德/百度) and road distances (科学选点).

Entry points used elsewhere (kept few so the rest of the portal barely changes):
  builder.map.validate   registers the layer checks with the pipeline
  builder.map.page       map_page(st), village_locator(st, v)
  builder.map.nav        amap_nav / baidu_nav / amap_route / baidu_route links
  builder.map.basemap    the local PMTiles basemap check (tiles.yml pmtiles:)
"""

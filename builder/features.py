"""Every feature of the portal, in the order their phases run. This list is
the wiring: nothing registers itself by being imported. A feature that
cannot be imported stops the program (builder.cli says so in Chinese)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.frameworks.feature import FEATURE as FRAMEWORKS
from builder.kernel.feature import Feature
from builder.map.feature import FEATURE as MAP
from builder.news.feature import FEATURE as NEWS
from builder.office.feature import FEATURE as OFFICE
from builder.photos.feature import FEATURE as PHOTOS
from builder.portal.feature import FEATURE as PORTAL
from builder.privacy.feature import FEATURE as PRIVACY
from builder.projects.feature import FEATURE as PROJECTS
from builder.ranking.feature import FEATURE as RANKING
from builder.scaffold.feature import FEATURE as SCAFFOLD
from builder.search.feature import FEATURE as SEARCH
from builder.settings.feature import FEATURE as SETTINGS
from builder.tours.feature import FEATURE as TOURS
from builder.towns.feature import FEATURE as TOWNS
from builder.villages.feature import FEATURE as VILLAGES
from builder.years.feature import FEATURE as YEARS

if TYPE_CHECKING:
    from builder.content import Content

FEATURES: list[Feature[Content]] = [
    SETTINGS,  # content/site.yml
    FRAMEWORKS,  # 十条标准, 十个好 and the county's own (evaluations)
    TOWNS,  # content/towns.yml (town share)
    VILLAGES,  # content/villages/<slug>/ (coordinates, village pages)
    YEARS,  # content/villages/<slug>/assessments/<year>.yml (history, 分类, yearly comparison)
    PROJECTS,  # content/projects/ (project pages)
    TOURS,  # content/tours/ (planned routes, itineraries, score sheets, results)
    PHOTOS,  # photos of every village (derivatives)
    PRIVACY,  # non-public phone numbers appear nowhere
    MAP,  # content/map/ layers, the Leaflet county map, locator, 导航 links
    RANKING,  # the annual ranking and 拟推荐 (site.yml ranking:), its A4 print version and CSV
    NEWS,  # content/news/ (党建动态: list, item pages, Atom feed, home and village sections)
    PORTAL,  # pages across villages: home, lists, comparison, map, tags, exports
    OFFICE,  # Word/Excel: score workbooks, itinerary and results documents, assessments
    SCAFFOLD,  # new / schema / docs-codes commands
    SEARCH,  # the search index (chunked script files) and the search box's script
]

"""A 书记党建项目's page (goals, phases as a Gantt chart, milestones, monthly
reports, acceptance) and the projects index."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

from builder.content import ProjectEntry
from builder.kernel.build import GeneratedFile
from builder.kernel.deps import Later, key
from builder.kernel.render import svg
from builder.kernel.render.html import page_md, raw_block, safe_title
from builder.projects.model import PROJECT_STATUSES, Milestone

if TYPE_CHECKING:
    from builder.portal.state import State


def progress_html(p: ProjectEntry) -> Markup:
    pct = project_percent(p)
    return Markup('<progress class="vp-progress" max="100" value="{0:.0f}">{0:.0f}%</progress> {0:.0f}%').format(pct)


def project_percent(p: ProjectEntry) -> float:
    m = p.model
    if m.status in ("已完成", "已验收"):
        return 100.0
    if m.reports:
        return max(m.reports, key=lambda r: r.date).percent
    return 0.0


def _month(ms: Milestone) -> str:
    """The month of a milestone without a date."""
    # validate_project reports a milestone with neither (and a build stops on errors)
    assert ms.month is not None
    return ms.month


def milestone_due(ms: Milestone) -> dt.date:
    if ms.date:
        return ms.date
    y, mo = map(int, _month(ms).split("-"))
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def milestone_rows(p: ProjectEntry, today: dt.date) -> list[dict]:
    m = p.model
    closed = m.status in ("已完成", "已验收", "已终止")
    rows = []
    for ms in m.milestones:
        due = milestone_due(ms)
        done = ms.done or m.status in ("已完成", "已验收")
        overdue = (not done) and (not closed) and due < today
        label = ms.date.isoformat() if ms.date else f"{_month(ms)[:4]}年{int(_month(ms)[5:])}月"
        rows.append(
            {
                "what": ms.what,
                "due": due,
                "done": done,
                "overdue": overdue,
                "label": label,
                "cls": "vp-done" if done else ("vp-overdue" if overdue else ""),
            }
        )
    rows.sort(key=lambda r: r["due"])
    return rows


def project_pages(st: State) -> Iterable[GeneratedFile]:
    """Every project page and the index, made."""
    for item in project_files(st):
        yield item.make() if isinstance(item, Later) else item


def project_page(st: State, pid: str, p: ProjectEntry) -> GeneratedFile:
    c = st.c
    today = st.today
    m = p.model
    src = f"projects/{pid}.md"
    L = st.linker(src)
    rows = milestone_rows(p, today)
    overdue = [r for r in rows if r["overdue"]]
    gantt = svg.gantt(
        "gantt",
        f"{m.title}进度图",
        [(ph.name, ph.start, ph.end) for ph in m.phases],
        [(r["what"], r["due"], r["done"], r["overdue"]) for r in rows],
        today,
        f"{len(m.phases)} 个阶段，{len(rows)} 个节点，{len(overdue)} 个逾期。",
    )
    village = c.villages.get(m.village)
    html_ = st.tpl("project.html").render(
        p=m,
        L=L,
        sample=st.sample,
        village=village,
        progress=progress_html(p),
        overdue=overdue,
        today=today,
        gantt=Markup(gantt) if gantt else "",
        milestones=rows,
    )
    tags = [html.escape(m.theme)]
    return GeneratedFile(
        src,
        page_md({"title": safe_title(m.title), "tags": tags, "description": m.summary or m.title}, raw_block(html_)),
    )


def project_files(st: State) -> Iterable[GeneratedFile | Later]:
    """Each project's page promised with what it reads (the project, its
    village's data: builder/kernel/deps.py), then the index (every project)."""
    c = st.c
    today = st.today
    index_rows = []
    for pid, p in sorted(c.projects.items()):
        m = p.model
        deps = frozenset({key("project", pid), key("village", m.village, "data")})
        yield Later(f"projects/{pid}.md", deps, partial(project_page, st, pid, p))
        overdue = [r for r in milestone_rows(p, today) if r["overdue"]]
        village = c.villages.get(m.village)
        index_rows.append(
            {
                "id": pid,
                "title": m.title,
                "year": m.year,
                "theme": m.theme,
                "village": village.name if village else m.village,
                "town": village.model.town if village else "（未知乡镇）",
                "status": m.status,
                "progress": progress_html(p),
                "percent": project_percent(p),
                "overdue": bool(overdue),
            }
        )
    src = "projects/index.md"
    L = st.linker(src)

    # One list, newest year first, then by title's pinyin; filters (cards.js) by year, 类别, town and status.
    from builder.kernel.render.html import pinyin_key

    index_rows.sort(key=lambda r: (-r["year"], pinyin_key(r["title"]), r["id"]))
    present = {(k, str(r[k])) for r in index_rows for k in ("year", "theme", "town", "status")}

    def options(key: str, order: Iterable[str]) -> list[str]:
        vals = [v for v in dict.fromkeys(order) if (key, v) in present]
        return vals + sorted({v for k, v in present if k == key and v not in vals})

    filters = [
        ("年度", "year", options("year", sorted({str(r["year"]) for r in index_rows}, reverse=True))),
        ("类别", "theme", options("theme", c.settings.project_themes)),
        ("乡镇", "town", options("town", list(c.towns))),
        ("状态", "status", options("status", PROJECT_STATUSES)),
    ]
    html_ = st.tpl("projects_index.html").render(
        L=L,
        rows=index_rows,
        filters=filters,
        total=len(index_rows),
        overdue_count=sum(r["overdue"] for r in index_rows),
    )
    yield GeneratedFile(src, page_md({"title": "书记党建项目", "search": {"exclude": True}}, raw_block(html_)))

"""A synthetic county of any size, for benchmarks and scale tests.

    generate_county(dest_content_dir, n_villages, seed) -> dict
    strip_photo_references(village_dict) -> village_dict

writes site.yml, towns.yml, villages/<slug>/village.yml (+ index.md, no
photos) and projects/*.yml that pass ``check`` with no errors (and no
town-share warnings). Villages vary in 功能定位, designation stage and
self-assessment; designated ones meet every framework, the others may not.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from builder.settings.model import DEFAULT_FUNCTIONS, DEFAULT_LEVELS, DEFAULT_THEMES

DEFAULTS = Path(__file__).resolve().parent.parent / "builder" / "frameworks" / "defaults"

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
PLACES = [
    "家庄",
    "家沟",
    "家湾",
    "家坪",
    "家川",
    "家岔",
    "家河",
    "家塬",
    "家堡",
    "家寨",
    "家台",
    "家峪",
    "家集",
    "家营",
    "家渠",
    "家岭",
    "家嘴",
    "家洼",
    "家铺",
    "家店",
]
TOWN_NAMES = [
    "青山",
    "白水",
    "红柳",
    "石门",
    "金川",
    "河湾",
    "新集",
    "柳林",
    "龙泉",
    "太平",
    "永安",
    "清河",
    "马营",
    "双桥",
    "高峰",
    "南川",
    "北塬",
    "东坪",
    "西岔",
    "中和",
]
TAGS = [
    "马铃薯",
    "合作社",
    "红色文化",
    "人居环境",
    "移风易俗",
    "一米菜园",
    "集体经济",
    "党员中心户",
    "积分超市",
    "乡村旅游",
    "中药材",
    "肉羊养殖",
    "苹果",
    "花椒",
    "光伏",
    "电商",
]
STAGES_PATH = [
    ["申报"],
    ["申报", "考察"],
    ["申报", "考察", "公示"],
    ["申报", "考察", "公示", "命名"],
    ["申报", "考察", "公示", "命名", "复核"],
    ["申报", "考察", "公示", "命名", "撤销"],
]


def strip_photo_references(data: dict) -> dict:
    """Remove, in place, every photo reference from a parsed village.yml: the
    places builder.photos.refs.references reads (brand.logo,
    highlights[].photo, gallery, assessments.*.items.*.photos) and the cover
    that must name a gallery photo. For tests and benchmarks that put their
    own photos in a village."""
    (data.get("brand") or {}).pop("logo", None)
    for h in data.get("highlights") or []:
        h.pop("photo", None)
    for a in (data.get("assessments") or {}).values():
        for item in (a.get("items") or {}).values():
            if isinstance(item, dict):
                item.pop("photos", None)
    data["gallery"] = []
    data.pop("cover", None)
    return data


def strip_news_photos(content_dir: Path) -> None:
    """Remove the photos: line of every news item's front matter (news items
    show photos of their villages' galleries): the companion of
    strip_photo_references when a test or benchmark replaces those galleries."""
    for md in (Path(content_dir) / "news").glob("*.md"):
        text = md.read_text("utf-8")
        md.write_text("".join(ln for ln in text.splitlines(True) if not ln.startswith("photos:")), "utf-8")


def _frameworks() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(DEFAULTS.glob("*.yml"))]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _village_yaml(
    rnd: random.Random,
    name: str,
    town: str,
    lat: float,
    lng: float,
    designated: bool,
    stages: list[str],
    frameworks: list[dict],
    year: int,
    number: int = 0,
) -> str:
    function = rnd.choice(DEFAULT_FUNCTIONS)
    tags = rnd.sample(TAGS, 3)
    out = [
        "# yaml-language-server: $schema=../../../schemas/village.schema.json",
        "# 合成数据（基准测试用）。",
        f"name: {name}",
        f"town: {town}",
        f"summary: {_q(f'{town}{name}，{function}，以{tags[0]}为特色。')}",
        "location:",
        "  system: GCJ-02",
        f"  lat: {lat:.5f}",
        f"  lng: {lng:.5f}",
        f"  address: {_q(f'{town}{name}村委会')}",
        f"function: {function}",
        "brand:",
        f"  name: {_q(name[:2] + rnd.choice(['先锋', '红心', '领航', '同心', '新风']))}",
        f"  slogan: {_q('支部引领，' + tags[0] + '致富')}",
        f"  meaning: {_q('以' + tags[0] + '为纽带，支部+合作社+农户，党员带头、群众参与。')}",
        f"tags: [{', '.join(tags)}]",
        "highlights:",
        f"  - title: {_q(tags[0] + '示范点')}",
        f"    description: {_q('看党员带头发展' + tags[0] + '。')}",
        "contacts:",
        "  - role: 讲解人兼联系人",
        f"    name: {rnd.choice(SURNAMES)}{rnd.choice(['建国', '红梅', '志强', '春花', '永福', '丽'])}",
        "    title: 村党支部书记",
        # unique per village (a number two villages share must agree on
        # phone_public); the draw is kept so the rest of the county stays the same
        f'    phone: "138{(rnd.randrange(10**8) // 10**5) * 10**5 + number:08d}"',
        f"    phone_public: {'true' if rnd.random() < 0.3 else 'false'}",
        "gallery: []",
        "assessments:",
    ]
    for fw in frameworks:
        scoring = fw.get("scoring", "level")
        out += [f"  {fw['id']}:", f"    date: {year}-03-{rnd.randint(1, 28):02d}", "    items:"]
        for item in fw["items"]:
            weak = (not designated) and rnd.random() < 0.25
            level = rnd.choice(DEFAULT_LEVELS[1:]) if weak else DEFAULT_LEVELS[0]
            score = rnd.choice([5, 6, 6.5, 7, 7.5]) if weak else rnd.choice([8, 8.5, 9, 9.5, 10])
            parts = []
            if scoring in ("level", "both"):
                parts.append(f"level: {level}")
            if scoring in ("score", "both"):
                parts.append(f"score: {score:g}")
            parts.append(f"evidence: {_q(item['name'] + '，有台账、有记录。')}")
            out.append(f"      {item['id']}: {{{', '.join(parts)}}}")
    out += ["designation:", "  history:"]
    month = 2
    for stage in stages:
        out.append(
            f"    - {{stage: {stage}, date: {year if stage not in ('复核', '撤销') else year + 2}-"
            f"{month:02d}-{rnd.randint(1, 28):02d}, issuer: 中共合成县委组织部}}"
        )
        month += 1
    return "\n".join(out) + "\n"


def _project_yaml(rnd: random.Random, slug: str, name: str, year: int) -> str:
    theme = rnd.choice(DEFAULT_THEMES)
    done = year < 2026
    lines = [
        "# yaml-language-server: $schema=../../schemas/project.schema.json",
        f"title: {_q(name + theme + '书记党建项目')}",
        f"village: {slug}",
        f"year: {year}",
        f"secretary: {rnd.choice(SURNAMES)}书记",
        f"theme: {theme}",
        "goals:",
        f"  - {{what: 示范面积, quantity: {rnd.randrange(100, 2000)}, unit: 亩}}",
        f"  - {{what: 带动农户, quantity: {rnd.randrange(20, 300)}, unit: 户}}",
        "milestones:",
    ]
    for m, what in ((2, "动员"), (3, "覆膜"), (4, "种植"), (6, "田间管理"), (10, "采挖销售"), (11, "总结验收")):
        lines.append(f"  - {{month: {year}-{m:02d}, what: {what}, done: {'true' if done or m < 6 else 'false'}}}")
    lines += [
        "phases:",
        f"  - {{name: 调研摸底, start: {year}-02-01, end: {year}-02-28}}",
        f"  - {{name: 项目实施, start: {year}-03-01, end: {year}-10-31}}",
        f"  - {{name: 总结验收, start: {year}-11-01, end: {year}-11-30}}",
        f"status: {'已验收' if done else '实施中'}",
        "reports:",
    ]
    for k, m in enumerate((3, 6, 9)):
        lines.append(f"  - {{date: {year}-{m:02d}-28, progress: 按计划推进。, percent: {30 * (k + 1)}}}")
    if done:
        lines.append(f"acceptance: {{date: {year}-12-15, result: 良好, by: 乡镇党委}}")
    return "\n".join(lines) + "\n"


CATEGORIES = ["先行示范", "巩固提升", "重点攻坚"]


def _earlier_years(vdir: Path, years: int, seed: int) -> int:
    """``years - 1`` earlier years (assessments/<year>.yml) of the village in
    vdir, a little weaker each year back (its own random stream: the rest of
    the county is the same with or without history); 分类 on every year."""
    text = (vdir / "village.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rnd = random.Random(seed)
    current = max(a["date"] for a in data["assessments"].values()).year
    cats = [rnd.choice(CATEGORIES) for _ in range(years)]
    (vdir / "village.yml").write_text(
        text.replace("\nassessments:", f"\ncategory: {cats[0]}\nassessments:", 1), encoding="utf-8"
    )
    (vdir / "assessments").mkdir(exist_ok=True)
    for back in range(1, years):
        out = [
            "# yaml-language-server: $schema=../../../../schemas/year-assessments.schema.json",
            "# 合成数据（基准测试用）。",
            f"category: {cats[back]}",
            "assessments:",
        ]
        for fid, a in data["assessments"].items():
            out += [f"  {fid}:", f"    date: {current - back}-{a['date'].month:02d}-{a['date'].day:02d}", "    items:"]
            for iid, ia in a["items"].items():
                parts = []
                if "level" in ia:
                    parts.append(f"level: {ia['level'] if rnd.random() < 0.8 else DEFAULT_LEVELS[1]}")
                if "score" in ia:
                    parts.append(f"score: {max(0.0, ia['score'] - rnd.choice([0, 0, 0.5, 1, 1.5]) * back):g}")
                parts.append(f"evidence: {_q(ia['evidence'])}")
                out.append(f"      {iid}: {{{', '.join(parts)}}}")
        (vdir / "assessments" / f"{current - back}.yml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return years - 1


def generate_county(dest_content_dir: Path | str, n_villages: int, seed: int = 0, years: int = 1) -> dict:
    """Write a valid synthetic content folder; returns counts. years > 1:
    each village also has that many years of self-assessment in all
    (village.yml's and years - 1 earlier assessments/<year>.yml), and a 分类."""
    dest = Path(dest_content_dir)
    rnd = random.Random(seed)
    frameworks = _frameworks()
    n_towns = max(3, round(n_villages / 25))
    towns = [
        f"{TOWN_NAMES[i % len(TOWN_NAMES)]}{'' if i < len(TOWN_NAMES) else i // len(TOWN_NAMES) + 1}"
        f"{'镇' if i % 3 else '乡'}"
        for i in range(n_towns)
    ]
    (dest / "villages").mkdir(parents=True, exist_ok=True)
    (dest / "projects").mkdir(parents=True, exist_ok=True)
    per_town: dict[str, list[str]] = {t: [] for t in towns}
    designated_in: dict[str, int] = dict.fromkeys(towns, 0)
    slugs = []
    n_projects = 0
    n_year_files = 0
    for i in range(n_villages):
        town = towns[i % n_towns]
        used = per_town[town]
        name = None
        while name is None or name in used:
            name = rnd.choice(SURNAMES) + rnd.choice(PLACES) + ("" if len(used) < 400 else str(len(used))) + "村"
        used.append(name)
        slug = f"cun{i:05d}"
        slugs.append(slug)
        stages = rnd.choice(STAGES_PATH)
        designated = stages[-1] in ("命名", "复核")
        designated_in[town] += designated
        year = rnd.choice([2022, 2023, 2024])
        ti = towns.index(town)
        lat = 35.0 + (ti % 10) * 0.09 + rnd.random() * 0.08
        lng = 104.0 + (ti // 10) * 0.09 + rnd.random() * 0.08
        vdir = dest / "villages" / slug
        vdir.mkdir(exist_ok=True)
        (vdir / "village.yml").write_text(
            _village_yaml(rnd, name, town, lat, lng, designated, stages, frameworks, year, i), encoding="utf-8"
        )
        if years > 1:
            n_year_files += _earlier_years(vdir, years, seed * 100003 + i)
        (vdir / "index.md").write_text(
            f"{name}位于{town}（合成数据）。\n\n## 党建品牌\n\n支部引领，产业致富。\n", encoding="utf-8"
        )
        if i % 4 == 0:
            pyear = rnd.choice([2024, 2025, 2026])
            (dest / "projects" / f"{pyear}-{slug}.yml").write_text(
                _project_yaml(rnd, slug, name, pyear), encoding="utf-8"
            )
            n_projects += 1
    town_lines = ["# yaml-language-server: $schema=../schemas/towns.schema.json", "towns:"]
    for t in towns:
        admin = max(len(per_town[t]), designated_in[t] * 8, 1)
        if designated_in[t] == 0:
            town_lines.append(f"  - {{name: {t}, administrative_villages: {admin}, share_target: 0}}")
        else:
            town_lines.append(f"  - {{name: {t}, administrative_villages: {admin}}}")
    (dest / "towns.yml").write_text("\n".join(town_lines) + "\n", encoding="utf-8")
    belt = ", ".join(slugs[:3]) if len(slugs) >= 3 else ", ".join(slugs)
    site = [
        "# yaml-language-server: $schema=../schemas/site.schema.json",
        "county: 合成县",
        f"title: 合成县党建示范村展示门户（{n_villages} 村，基准测试数据）",
        "sample: true",
        'site_url: ""',
        "town_share_target: 0.10",
    ]
    if len(slugs) >= 2:
        site += ["belts:", f"  - {{name: 合成示范带, villages: [{belt}]}}"]
    (dest / "site.yml").write_text("\n".join(site) + "\n", encoding="utf-8")
    return {"villages": n_villages, "towns": n_towns, "projects": n_projects, "year_files": n_year_files}

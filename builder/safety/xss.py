"""Well-known cross-site-scripting payloads, and a helper that plants them in
every text field of a content YAML file while keeping the file valid.

Used by the safety tests (tests/test_build_safety_xss.py and the browser test
in tests/e2e/): every payload that could run calls ``console.log(MARKER)`` or
``alert(MARKER)``, so a test can see in Chromium whether any of them ran.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

MARKER = "XSS-MARKER"

# Payloads for YAML text fields (rendered by the portal's templates: HTML text,
# attributes, JSON, SVG, Markdown that the portal generates).
PAYLOADS: list[str] = [
    f"<script>console.log('{MARKER}')</script>",
    f"\"><img src=x onerror=console.log('{MARKER}')>",
    f"javascript:alert('{MARKER}')",
    f"<svg onload=alert('{MARKER}')>",
    "{{7*7}}",
    f"</textarea><script>alert('{MARKER}')</script>",
    f"[x](javascript:alert('{MARKER}'))",
    f"'><svg/onload=console.log('{MARKER}')>",
    f"</script><script>console.log('{MARKER}')</script>",
    f"</text><script>console.log('{MARKER}')</script>",          # SVG <text>
    f"]]><script>console.log('{MARKER}')</script>",               # CDATA
    f"\"-alert('{MARKER}')-\"",                                    # JS string break-out
    f"<a href=\"javascript:alert('{MARKER}')\">点我</a>",
    f"<details open ontoggle=console.log('{MARKER}')>",
    f"<iframe srcdoc=\"<script>parent.console.log('{MARKER}')</script>\"></iframe>",
    f"${{console.log('{MARKER}')}}",                               # template literal
    f"![x](x\" onerror=\"console.log('{MARKER}'))",
    f"<style>@import 'javascript:alert(1)';</style><b onmouseover=console.log('{MARKER}')>b</b>",
]

# Lines of Markdown prose that `check` must report as unsafe-html (one per line).
PROSE_UNSAFE: list[str] = [
    f"<script>console.log('{MARKER}')</script>",
    f"\"><img src=x onerror=console.log('{MARKER}')>",
    f"<img src=x onerror=alert('{MARKER}')>",
    f"<svg onload=alert('{MARKER}')>",
    f"<svg/onload=alert('{MARKER}')>",
    f"</textarea><script>alert('{MARKER}')</script>",
    f"[x](javascript:alert('{MARKER}'))",
    f"[x](JaVaScRiPt:alert('{MARKER}'))",
    f"[x](&#106;avascript:alert('{MARKER}'))",
    f"[x](java&#x09;script:alert('{MARKER}'))",
    f"[x][evil]\n\n[evil]: javascript:alert('{MARKER}')",
    f"<a href=\"javascript:alert('{MARKER}')\">点我</a>",
    f"<a href=\"jav&#x0A;ascript:alert('{MARKER}')\">点我</a>",
    f"<details open ontoggle=console.log('{MARKER}')>",
    f"<iframe srcdoc=\"<script>parent.console.log('{MARKER}')</script>\"></iframe>",
    f"<img src=x\n onerror=alert('{MARKER}')>",                      # attribute on the next line
    f"<object data=\"data:text/html,<script>alert('{MARKER}')</script>\"></object>",
    f"<math><maction actiontype=statusline xlink:href=javascript:alert('{MARKER}')>x</maction></math>",
    f"<form action=javascript:alert('{MARKER}')><button>x</button></form>",
    f"<body onload=alert('{MARKER}')>",
]

# Prose lines that look odd but are harmless: check must NOT report them.
PROSE_SAFE: list[str] = [
    "{{7*7}} 是模板写法，这里只是文字。",
    "党员 onboarding 流程：先学习，再上岗。",
    "链接写法示例：[县政府网站](https://example.org/zhengwu)。",
    "数学：3 < 5 且 5 > 3。",
]

Path_ = tuple


def string_paths(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every (path, value) of a string leaf of loaded YAML data."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from string_paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from string_paths(v, path + (i,))
    elif isinstance(data, str):
        yield path, data


def _set(data: Any, path: tuple, value: Any) -> None:
    for k in path[:-1]:
        data = data[k]
    data[path[-1]] = value


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)


def plant(yaml_file: Path, payloads: list[str], problems: Callable[[], list[tuple[str, int]]],
          start: int = 0, rounds: int = 8) -> dict[tuple, str]:
    """Append a payload to every string field of yaml_file (round-robin from
    `start`), then revert the fields the content checks reject, until the file
    is valid again. `problems()` returns (file name, line) of every error and
    warning now reported. Returns {path: planted value} of the fields kept."""
    from builder.diagnostics import Diagnostics
    from builder.loading.yamlsrc import parse_yaml

    original = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    data = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    planted: dict[tuple, str] = {}
    for i, (path, value) in enumerate(string_paths(original)):
        new = f"{value} {payloads[(start + i) % len(payloads)]}"
        _set(data, path, new)
        planted[path] = new
    for _ in range(rounds):
        text = dump(data)
        yaml_file.write_text(text, encoding="utf-8")
        bad_lines = {line for f, line in problems() if Path(f).name == yaml_file.name}
        if not bad_lines:
            missing = [p for p in payloads if not any(p in v for v in planted.values())]
            if not missing or not planted:
                return planted
            # Payloads whose fields were all rejected go onto fields that took one.
            kept = list(planted)
            for j, p in enumerate(missing):
                path = kept[j % len(kept)]
                planted[path] = f"{planted[path]} {p}"
                _set(data, path, planted[path])
            continue
        doc = parse_yaml(text, yaml_file.name, Diagnostics())
        reverted = False
        for path in list(planted):
            pos = doc.positions.get(path)
            if pos and pos[0] in bad_lines:
                orig = original
                for k in path:
                    orig = orig[k]
                _set(data, path, orig)
                del planted[path]
                reverted = True
        if not reverted:
            raise AssertionError(f"{yaml_file}: problems on lines {sorted(bad_lines)} that no planted field explains")
    raise AssertionError(f"{yaml_file}: still invalid after {rounds} rounds")

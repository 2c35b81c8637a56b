"""The catalogue of diagnostic codes.

Codes are stable: editors look them up in the guide (docs/editors/check-codes.md
is generated from this table by ``python -m builder docs-codes``), CI annotations
carry them, and tests assert on them. Add new codes; never rename old ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.kernel.diagnostics.model import Severity

if TYPE_CHECKING:
    from builder.kernel.feature import Feature


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str  # one line, Chinese
    explain: str  # what it means, Chinese
    bad: str = ""  # an example that triggers it
    good: str = ""  # the same example, fixed


E, W = Severity.ERROR, Severity.WARNING

_ALL = [
    # --- files and YAML syntax ------------------------------------------------
    Code(
        "encoding",
        E,
        "文件不是 UTF-8 编码",
        "文件用 GBK/GB2312 等编码保存（常见于 Windows 记事本、WPS 的“另存为”）。门户只读 UTF-8。",
        "（用 GBK 保存的 village.yml）",
        "用 VS Code 打开，右下角点“GBK”→“通过编码保存”→“UTF-8”；或运行 iconv -f GBK -t UTF-8 原文件 > 新文件",
    ),
    Code(
        "yaml-syntax",
        E,
        "YAML 格式错误",
        "文件不符合 YAML 语法，程序读不懂。常见原因：缩进不一致、冒号后缺空格、引号没有成对。",
        'name: "王家村',
        'name: "王家村"',
    ),
    Code(
        "fullwidth-punct",
        E,
        "用了中文（全角）标点代替英文标点",
        "YAML 的键后面必须是英文冒号“:”加一个空格；列表前必须是英文短横线“-”。中文输入法容易打成“：”“－”。",
        "name：王家村",
        "name: 王家村",
    ),
    Code(
        "fullwidth-space",
        E,
        "缩进里有全角空格",
        "缩进只能用英文（半角）空格。中文输入法下按空格会输入全角空格“　”，看起来一样但程序不认。",
        "　name: 王家村",
        "  name: 王家村",
    ),
    Code(
        "tab-indent",
        E,
        "缩进里有制表符（Tab）",
        "YAML 不允许用 Tab 键缩进，请改用空格（每层两个空格）。",
        "\tname: 王家村",
        "  name: 王家村",
    ),
    Code(
        "duplicate-key",
        E,
        "同一个字段写了两次",
        "同一层里同一个字段出现两次，后写的会悄悄覆盖先写的，内容就丢了。请合并成一个。",
        "slogan: 甲\nslogan: 乙",
        "slogan: 甲；乙",
    ),
    Code(
        "not-mapping",
        E,
        "文件的最外层应是“字段: 值”的形式",
        "文件内容必须是一组“字段: 值”，而不是一段文字或一个列表。",
        "王家村",
        "name: 王家村",
    ),
    Code(
        "multiple-documents",
        E,
        "一个文件里有多个 YAML 文档",
        "文件中出现了“---”分隔的多个文档，门户只读一个。请删掉多余的“---”或拆成多个文件。",
        "name: 甲\n---\nname: 乙",
        "name: 甲",
    ),
    Code("empty-file", E, "文件是空的", "文件里没有任何内容。请参照示例填写，或删除该文件。", "", "name: 王家村"),
    Code(
        "yaml-tag",
        E,
        "用了不支持的 YAML 标签",
        "“!!python/...”之类的标签不被接受，请直接写值。",
        "year: !!python/int 2024",
        "year: 2024",
    ),
    Code(
        "symlink",
        E,
        "内容文件夹里有符号链接（快捷方式）",
        "门户只发布仓库里真实存在的文件。符号链接可能指向服务器上的任何文件（例如系统密码文件）或别的文件夹，"
        "所以门户不跟随链接：链接本身不会被读取或发布，链接的村文件夹不会被加载。请换成真正的文件或文件夹。",
        "content/villages/wangjiazhuang/index.md -> /etc/passwd",
        "content/villages/wangjiazhuang/index.md（真正的文本文件）",
    ),
    Code(
        "special-file",
        E,
        "内容文件夹里有特殊文件",
        "命名管道（FIFO）、套接字、设备文件不是普通文件，门户不会打开它们（打开命名管道会让检查一直等下去）。请删掉。",
        "content/villages/wangjiazhuang/photos/a.jpg（命名管道）",
        "content/villages/wangjiazhuang/photos/a.jpg（普通照片文件）",
    ),
    Code(
        "file-too-large",
        E,
        "文件太大",
        "每个 YAML 文件最大 1 MB，每个 index.md 最大 512 KB，超过的文件不会被读取。"
        "正常内容远小于这个上限，超过了通常是误粘贴了大段内容或图片数据。上限见“内容大小上限”一页。",
        "village.yml（51 MB）",
        "village.yml（几 KB；长篇介绍写在 index.md）",
    ),
    Code(
        "text-too-long",
        E,
        "文字太长",
        "每个字段有字数上限：名称 50 个字，标题 80 个字，口号、职务、电话、地址等 100 个字，"
        "简介、图片说明、看点说明 300 个字，佐证说明、品牌内涵等 2,000 个字。"
        "详细的介绍请写进村文件夹的 index.md。各字段的上限见“内容大小上限”一页。",
        "summary: （一段 800 个字的文章）",
        "summary: 以马铃薯产业为特色的党建示范村。",
    ),
    # --- structure ----------------------------------------------------------------
    Code(
        "unknown-key",
        E,
        "不认识的字段",
        "这个字段名门户不认识，常见原因是拼写错误。看提示里的“是不是想写”。",
        "slogen: 薯香致富",
        "slogan: 薯香致富",
    ),
    Code("missing-key", E, "缺少必填字段", "这个字段必须填写。", "", "name: 王家村"),
    Code(
        "wrong-type",
        E,
        "值的类型不对",
        "例如该填数字的地方填了文字，该填列表的地方只写了一项。",
        "year: 二〇二四",
        "year: 2024",
    ),
    Code("bad-value", E, "值不符合要求", "值超出允许的范围或格式不对，见具体说明。", "percent: 120", "percent: 100"),
    Code(
        "lookalike",
        E,
        "全角字符或中文标点",
        "中文输入法没切换：数字、日期、编号或字段名里有全角数字/字母（１２３、ａｂｃ）或中文标点（：，－），"
        "看起来一样，程序却认不出。消息会指出是哪个字符，并给出改好的写法。",
        "lat: ３５.５７１２",
        "lat: 35.5712",
    ),
    Code(
        "settings-list",
        E,
        "site.yml 里的列表写错了",
        "功能定位、等次、项目主题、标准体系这几个列表是其他文件的依据：几项用中文逗号或顿号连在一起、"
        "同一项写两次或列表为空时，在 site.yml 报一次；依据它的检查暂不进行，改好后再检查。",
        "levels: [达标、基本达标、未达标]",
        "levels: [达标, 基本达标, 未达标]",
    ),
    Code(
        "prose-link",
        W,
        "正文里的链接打不开",
        "index.md 里指向本站的链接（别的村、项目、页内小标题）找不到目标页面；"
        "网站照常生成，但访问者点了会看到“找不到页面”。",
        "[柳树湾村](../liushuwan-cun/)",
        "[柳树湾村](../liushuwan/)",
    ),
    Code(
        "list-separator",
        W,
        "列表的几项写在了一起",
        "列表里用了中文逗号“，”或顿号“、”分隔，整串文字会被当成一项（例如一个很长的标签）。",
        "tags: [马铃薯，合作社，产业振兴]",
        "tags: [马铃薯, 合作社, 产业振兴]",
    ),
    Code(
        "curly-quotes",
        W,
        "值两头是中文引号",
        "从 Word、微信复制来的“中文引号”不是 YAML 的引号，会原样出现在网站上。",
        "phone: “0931-0000001”",
        'phone: "0931-0000001"',
    ),
    Code(
        "invisible-char",
        W,
        "文字里有看不见的字符",
        "从网页或微信复制的文字里常带有零宽空格等看不见的字符，搜索和比较时会对不上。",
        "name: 王家庄\u200b村   # 看不见的零宽空格",
        "name: 王家庄村",
    ),
    Code(
        "phone-lookalike",
        W,
        "电话号码里有全角字符",
        "电话里有全角数字（０９３１）或中文标点，手机上点“拨打”会失败。",
        'phone: "０９３１－００００００１"',
        'phone: "0931-0000001"',
    ),
    Code(
        "bad-date",
        E,
        "日期不存在或格式不对",
        "日期要写成 2024-03-15 这样的格式，并且必须是真实存在的日期。",
        "taken: 2023-02-30",
        "taken: 2023-02-28",
    ),
    Code(
        "date-order",
        E,
        "日期先后顺序不对",
        "例如结束日期早于开始日期，或命名早于申报。",
        "start: 2024-05-01\nend: 2024-03-01",
        "start: 2024-03-01\nend: 2024-05-01",
    ),
    Code("empty-value", E, "值是空的", "这个字段写了名字但没有填值。", "name:", "name: 王家村"),
    # --- configured lists -----------------------------------------------------------
    Code(
        "unknown-function",
        E,
        "功能定位不在配置的列表里",
        "功能定位只能从 content/site.yml 的 functions 列表中选择。",
        "function: 产业型",
        "function: 特色产业带动型",
    ),
    Code(
        "unknown-level",
        E,
        "达标等次不在配置的列表里",
        "等次只能是 content/site.yml 中 levels 列出的（默认：达标、基本达标、未达标）。",
        "level: 合格",
        "level: 达标",
    ),
    Code(
        "unknown-town",
        E,
        "乡镇不在 content/towns.yml 中",
        "village.yml 的 town 必须是 towns.yml 里列出的乡镇。",
        "town: 青山乡",
        "town: 青山镇",
    ),
    Code(
        "unknown-theme",
        E,
        "项目类别不在配置的列表里",
        "书记党建项目的 theme 只能从 site.yml 的 project_themes 中选择。",
        "theme: 产业",
        "theme: 产业发展",
    ),
    # --- frameworks and assessments ---------------------------------------------------
    Code(
        "unknown-framework",
        E,
        "引用了不存在的标准体系",
        "标准体系的编号必须是 content/frameworks/ 下某个文件里的 id。",
        "shitiaobiaozhun:",
        "shitiao:",
    ),
    Code("missing-item", E, "自评缺少标准条目", "自评必须逐条填写该标准体系的每一条。", "", ""),
    Code("extra-item", E, "自评里有标准体系中没有的条目", "条目编号写错了，或该条目不属于这个标准体系。", "", ""),
    Code(
        "missing-assessment",
        E,
        "缺少必填的标准体系自评",
        "site.yml 的 frameworks 中列出的每个标准体系，每个村都要有自评。",
        "",
        "",
    ),
    Code(
        "score-range",
        E,
        "得分超出范围",
        "得分不能为负，也不能超过该条目的满分（积分制标准除外）。",
        "score: 120",
        "score: 95",
    ),
    Code("missing-score", E, "缺少等次或得分", "该标准体系要求填写等次（level）或得分（score）。", "", "level: 达标"),
    Code(
        "unknown-standard",
        E,
        "引用了不存在的标准条目",
        "写法是“体系编号.条目编号”，例如 shitiao.core。",
        "standard: shitiao.dangjian",
        "standard: shitiao.core",
    ),
    Code("framework-invalid", E, "标准体系文件有误", "标准体系本身的定义有问题，见具体说明。", "", ""),
    # --- references --------------------------------------------------------------------
    Code(
        "unknown-village",
        E,
        "引用了不存在的村",
        "村的编号就是 content/villages/ 下的文件夹名。",
        "village: wangjia",
        "village: wangjiazhuang",
    ),
    Code(
        "missing-photo",
        E,
        "照片文件不存在",
        "village.yml 里写了这张照片，但 photos/ 文件夹里没有这个文件。",
        "file: photos/dangqun.jpg",
        "file: photos/dangqun-center.jpg",
    ),
    Code(
        "unreferenced-photo",
        W,
        "照片没有被使用",
        "photos/ 文件夹里的这张照片没有写进 village.yml 的 gallery，不会显示在网站上。",
        "",
        "gallery:\n  - file: photos/新照片.jpg\n    caption: 说明",
    ),
    Code("duplicate-slug", E, "村的编号重复", "两个村使用了同一个编号（大小写不同也算重复）。", "", ""),
    Code("duplicate-name", E, "村名重复", "同一乡镇里有两个同名的村，或两个文件写的是同一个村。", "", ""),
    Code("duplicate-id", E, "编号重复", "同一列表里两个条目用了同一个 id。", "", ""),
    Code(
        "bad-slug",
        E,
        "文件夹名（编号）不合规",
        "编号只能用小写英文字母、数字和短横线，例如 wangjiazhuang（可用村名拼音）。",
        "content/villages/王家庄/",
        "content/villages/wangjiazhuang/",
    ),
    # --- geography ---------------------------------------------------------------------
    Code(
        "coords-swapped",
        E,
        "经纬度写反了",
        "纬度（lat）在中国约 18–54，经度（lng）约 73–135。看起来两个值对调了。",
        "lat: 104.5\nlng: 35.2",
        "lat: 35.2\nlng: 104.5",
    ),
    Code("coords-range", E, "坐标不在中国范围内", "坐标超出中国范围，请从地图上重新复制。", "lat: 3.5", "lat: 35.5"),
    Code(
        "unknown-crs",
        E,
        "坐标系不认识",
        "system 只能是 GCJ-02（高德、腾讯）、BD-09（百度）或 WGS-84（GPS、天地图）。",
        "system: 高德",
        "system: GCJ-02",
    ),
    # --- designation ----------------------------------------------------------------------
    Code(
        "designation-unmet",
        E,
        "已命名但不满足标准要求",
        "命名（或复核）为示范村的村，自评必须满足每个标准体系的要求。请核实自评，或改变命名状态。",
        "",
        "",
    ),
    Code(
        "designation-order",
        E,
        "命名流程顺序不对",
        "命名流程是 申报 → 考察 → 公示 → 命名 → 复核，撤销可在任一步之后。",
        "",
        "",
    ),
    Code(
        "town-share",
        W,
        "乡镇示范村比例低于目标",
        "该乡镇已命名的示范村占行政村的比例低于 site.yml 中的目标（默认 10%）。",
        "",
        "",
    ),
    # --- projects ---------------------------------------------------------------------
    Code("percent-order", W, "月报告进度倒退", "后一个月报告的进度百分比比前一个小。", "", ""),
    # --- prose ------------------------------------------------------------------------
    Code(
        "unsafe-html",
        E,
        "正文里有不安全的 HTML",
        "index.md 里的 HTML 只能用于排版（段落、标题、列表、表格、加粗、链接、本村照片）。"
        "<script>、onclick= 之类的事件属性、javascript: 链接、表单、嵌入的网页等"
        "会在访问者的浏览器里运行，网站一律删除并报错。",
        '<a href="javascript:alert(1)">点我</a>',
        "[点我](https://example.org)",
    ),
    Code(
        "outside-resource",
        E,
        "正文从外部网站加载图片或文件",
        "网站不从任何外部网站加载内容（很多访问者在政务内网，外部图片打不开，还会泄露访问记录）。"
        "外部图片请下载到本村 photos/ 文件夹，在 gallery 里登记后再引用。链接到外部网页（[文字](https://…)）不受影响。",
        "![村貌](https://example.org/a.jpg)",
        "![村貌](photos/cunmao.jpg)",
    ),
    Code(
        "html-removed",
        W,
        "正文里的 HTML 标签或属性被去掉",
        "index.md 里网站不支持的标签（如 <font>、<div>）或属性（如 style=、class=）会被去掉，文字保留。"
        "页面仍然正确，只是没有这些排版效果；用 Markdown 写法代替。",
        "<font color=red>重点</font>",
        "**重点**",
    ),
    Code("bad-file-name", E, "文件名不合规", "文件放错了位置，或文件名里有不允许的字符。", "", ""),
    Code("io-error", E, "文件读不出来", "文件无法读取（权限、损坏或是一个文件夹）。", "", ""),
    # --- tours (观摩拉练) -----------------------------------------------------------
    Code(
        "tour-no-villages",
        E,
        "乡镇里没有已命名的示范村",
        "观摩点写了 {town: 乡镇}，表示该乡镇全部已命名的示范村，但这个乡镇一个也没有。",
        "stops:\n  - {town: 红柳镇}",
        "stops:\n  - hongliuwan",
    ),
    Code(
        "tour-duplicate-stop",
        W,
        "观摩点重复",
        "同一个村在 stops 里出现了两次（或已包含在写了的乡镇里），只安排一次。",
        "stops:\n  - {town: 青山镇}\n  - wangjiazhuang",
        "stops:\n  - {town: 青山镇}",
    ),
    Code(
        "tour-time",
        E,
        "时间不合理",
        "例如最晚返回时间早于出发时间，或午餐最晚开始时间早于最早开始时间。",
        'depart: "08:00"\nreturn_by: "06:00"',
        'depart: "08:00"\nreturn_by: "18:00"',
    ),
    Code(
        "tour-lunch",
        E,
        "午餐时间窗赶不上",
        "无论怎样安排顺序，都无法在午餐最晚开始时间前到达就餐地点。",
        'lunch: {earliest: "11:00", latest: "11:10"}',
        'lunch: {earliest: "11:30", latest: "12:30"}',
    ),
    Code("tour-lunch-wait", W, "午餐前要空等较长时间", "按最优顺序到达就餐时还没到午餐最早开始时间，要等候。", "", ""),
    Code(
        "tour-overrun",
        E,
        "当天走不完",
        "按最优（或写定的）顺序，返回时间晚于 return_by。提示里给出超出多少分钟和分两条线的建议。",
        'return_by: "15:00"',
        'return_by: "18:00"（或按提示分成南线、北线两次观摩）',
    ),
    Code(
        "tour-leg",
        E,
        "实测路段写错",
        "legs 里的 from/to 必须是本次观摩的村编号，或 start、end、lunch。",
        "- {from: 县委, to: wangjiazhuang, km: 12}",
        "- {from: start, to: wangjiazhuang, km: 12}",
    ),
    Code(
        "tour-scores-orphan",
        E,
        "评分文件没有对应的观摩文件",
        "评分文件名必须是“观摩文件名.scores.yml”，放在同一个文件夹。",
        "content/tours/2024q2.scores.yml",
        "content/tours/2024-q2.scores.yml",
    ),
    Code(
        "score-unknown-judge",
        E,
        "评委不在名单中",
        "sheets 里的 judge 必须是 judges 名单里的姓名。",
        "judge: 张三丰",
        "judge: 张三",
    ),
    Code(
        "score-unknown-stop",
        E,
        "打分的村不是这次的观摩点",
        "sheets 里的 stop 必须是本次观摩的一站（村的编号）。",
        "stop: wangjiazuang",
        "stop: wangjiazhuang",
    ),
    Code(
        "score-unknown-item",
        E,
        "评分条目不存在",
        "scores 里的条目编号必须是评分表所用标准体系里的条目。",
        "scores: {cor: 9}",
        "scores: {core: 9}",
    ),
    Code("score-incomplete", W, "打分不完整", "某位评委少打了条目，或没有给某个观摩点打分。", "", ""),
    # --- workbooks (builder/office) ----------------------------------------------------
    Code(
        "scores-both",
        E,
        "同一次观摩有两个评分文件",
        "content/tours/ 里同一次观摩既有 .scores.yml 又有 .scores.xlsx，程序不知道以哪个为准。只保留一个。",
        "2025-q3.scores.yml 和 2025-q3.scores.xlsx",
        "只留 2025-q3.scores.xlsx",
    ),
    Code(
        "score-not-number",
        E,
        "得分格里填的不是数字",
        "得分格只能填数字（半角），例如 9 或 8.5。“9分”“９”（全角数字）“九”都不行。",
        "评委张明!E7：9分",
        "评委张明!E7：9",
    ),
    Code(
        "score-blank",
        W,
        "得分格是空的",
        "某位评委在某个观摩点有条目没打分，这一格按 0 分计算。整列都空表示该评委没有给这个观摩点打分，"
        "该村只按已打分的评委计算。",
        "评委张明!E7：（空）",
        "评委张明!E7：9",
    ),
    Code(
        "score-sheet-missing",
        E,
        "评分工作簿缺少评委的工作表",
        "每位评委一张工作表，表名是“评委”加姓名（例如“评委张明”）。工作表被删掉或改了名，程序就找不到这位评委的打分。",
        "工作表名：张明打分",
        "工作表名：评委张明",
    ),
    Code(
        "score-rule",
        E,
        "计分规则无法执行",
        "“去掉一个最高分和一个最低分”至少要 3 位评委；评委分组时每位评委只能在一个组里，各组权重之和为 1。",
        "scoring: {rule: trimmed}   # 只有 2 位评委",
        "scoring: {rule: mean}",
    ),
    Code(
        "workbook-unreadable",
        E,
        "工作簿打不开",
        "文件不是 Excel 工作簿（.xlsx），或已损坏、加了密码。用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）。",
        "2025-q3.scores.xlsx（其实是 .et 或 .xls 改的名）",
        "在 WPS 里“另存为”→ Excel 工作簿（*.xlsx）",
    ),
    Code(
        "workbook-layout",
        E,
        "工作簿的表格结构被改动",
        "程序按生成时的结构读取工作簿：条目编号、观摩点编号所在的行和列不能删改。请从网站或命令重新生成模板，把分数抄过去。",
        "删掉了“编号”一列",
        "保留模板原有的行和列，只填得分格",
    ),
    Code(
        "stray-file",
        W,
        "文件放在这里不会被使用",
        "村文件夹里只认 village.yml、index.md 和 photos/ 文件夹；其他文件不会出现在网站上。照片请放进 photos/。",
        "content/villages/wangjiazhuang/dangqun.jpg",
        "content/villages/wangjiazhuang/photos/dangqun.jpg",
    ),
    Code(
        "placeholder",
        E,
        "模板里还有没填的“【待填写】”",
        (
            "用 python -m builder new 生成的模板里，每个要填的地方都写着“【待填写】”。"
            "全部换成实际内容后，才会继续检查这个文件的其他问题。"
        ),
        "secretary: 【待填写】",
        "secretary: 王建国",
    ),
    # --- photos (builder/photos) -----------------------------------------------------
    Code(
        "photo-format",
        E,
        "照片格式不被接受",
        "门户只打开配置的格式（默认 jpg、jpeg、png、webp、heic、heif），其他格式的文件一律不打开，以免恶意文件。",
        "file: photos/dangqun.bmp",
        "file: photos/dangqun.jpg",
    ),
    Code(
        "photo-heic",
        E,
        "HEIC 照片未开启支持",
        "苹果手机默认拍 HEIC 格式；当前设置关闭了 HEIC 支持。请转成 JPG，或请管理员开启 photos_heic。",
        "file: photos/IMG_0001.HEIC",
        "file: photos/IMG_0001.jpg",
    ),
    Code(
        "photo-bomb",
        E,
        "照片像素数超过安全上限",
        (
            "照片的像素数（宽 × 高）超过上限（默认 8,948 万像素；手机照片一般是 1,200–5,000 万像素），"
            "可能是恶意构造的“解压炸弹”，门户拒绝打开。"
        ),
        "",
        "",
    ),
    Code(
        "photo-corrupt",
        E,
        "照片文件损坏或不完整",
        "照片读不出来：文件只拷贝了一部分、已损坏，或者扩展名是图片但内容不是。请重新拷贝或另存为 JPG。",
        "",
        "",
    ),
    Code(
        "photo-timeout",
        E,
        "照片处理超时或使处理程序崩溃",
        "解码这张照片花的时间过长或让处理程序崩溃，文件可能是损坏或恶意构造的。",
        "",
        "",
    ),
    Code(
        "private-phone",
        E,
        "不公开的电话写在了会发布的地方",
        "联系人的电话标为 phone_public: false 时，网站上不显示它；但如果在正文（index.md）、职务、看点、照片说明、"
        "项目、观摩文件等任何地方又写了这个号码，它就会被所有人看到。检查时不管号码中间的空格、短横线、点、括号，"
        "也认得全角数字和 +86 前缀；座机还会查不带区号的号码。同一个号码只要有一个联系人标为不公开，就按不公开处理。",
        (
            "contacts:\n  - name: 王建国\n    title: 村党支部书记（电话 139-0000-1234）\n"
            '    phone: "13900001234"\n    phone_public: false'
        ),
        'contacts:\n  - name: 王建国\n    title: 村党支部书记\n    phone: "13900001234"\n    phone_public: false',
    ),
    # --- map layers (content/map/, builder/map) ----------------------------------------
    Code(
        "map-layer",
        E,
        "地图图层设置有误",
        "content/map/ 里的图层文件（.yml）写的 GeoJSON 文件不存在，或坐标系认不出来。",
        "file: xiangzhen.geojson   # 文件夹里实际叫 towns.geojson",
        "file: towns.geojson",
    ),
    Code(
        "map-not-geojson",
        E,
        "图层文件不是 GeoJSON",
        "图层文件必须是 GeoJSON（QGIS、mapshaper 都能导出）。"
        "文件格式坏了、是别的 JSON，或坐标不是 [经度, 纬度] 两个数字。",
        '{"type": "FeatureCollection", "features": [',
        '{"type": "FeatureCollection", "features": []}',
    ),
    Code(
        "map-geometry-type",
        E,
        "图层里有认不出的几何类型",
        "GeoJSON 的几何类型只有 Point、MultiPoint、LineString、MultiLineString、Polygon、MultiPolygon（区分大小写）。",
        '"type": "Polyline"',
        '"type": "LineString"',
    ),
    Code(
        "map-outside-china",
        E,
        "图层坐标不在中国境内",
        "坐标超出了中国的经纬度范围。常见原因是导出的是投影坐标（以米为单位，例如 CGCS2000 3 度带），而不是经纬度。",
        '"coordinates": [35612345.2, 3942123.8]',
        '"coordinates": [104.6302, 35.5631]',
    ),
    Code(
        "map-axes-swapped",
        E,
        "图层坐标经纬度写反了",
        "GeoJSON 要求每个坐标先写经度、后写纬度；写成 [纬度, 经度] 时点会落到国外。",
        '"coordinates": [35.5631, 104.6302]',
        '"coordinates": [104.6302, 35.5631]',
    ),
    Code(
        "map-too-large",
        E,
        "图层文件太大",
        "单个 GeoJSON 图层超过 5 MB，会让地图页在手机上打开很慢，所以不读取。县域示意图用化简后的数据就够了。",
        "towns.geojson（38 MB，原始测绘精度）",
        "towns.geojson（300 KB，用 mapshaper 化简后）",
    ),
    Code(
        "map-tiles",
        E,
        "瓦片底图设置有误",
        "content/map/tiles.yml 启用了在线或内网瓦片底图，但地址模板里缺少 {z}、{x}、{y}，"
        "或者同时写了 url 和 pmtiles（只能用一种）。",
        "url: https://tiles.example.gov.cn/",
        "url: https://tiles.example.gov.cn/{z}/{x}/{y}.png",
    ),
    Code(
        "map-pmtiles",
        E,
        "PMTiles 底图文件有误",
        "content/map/tiles.yml 用 pmtiles 写了本地底图文件，但文件不在 content/map/ 里、不是 PMTiles 第 3 版、"
        "太大（上限 200 MB）、不完整，或里面是网站显示不了的瓦片（矢量瓦片、brotli/zstd 压缩）。",
        "pmtiles: 县域底图.mbtiles",
        "pmtiles: county.pmtiles   # 用 pmtiles convert 县域底图.mbtiles county.pmtiles 转换",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def catalogue(features: Iterable[Feature[Any]] = ()) -> dict[str, Code]:
    """Every code: the built-in ones and those each feature declares."""
    out = dict(CODES)
    for f in features:
        for c in f.codes:
            out.setdefault(c.code, c)
    return out

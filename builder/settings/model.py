from __future__ import annotations

from builder.kernel.model import FileRef, Id, Line, Long, Name, Slug, Strict, Title, desc
from builder.settings.ranking import RankingRule

DEFAULT_FUNCTIONS = ["两委班子坚强型", "党员作用突出型", "特色产业带动型", "村容村貌整洁型", "乡风文明淳朴型"]
DEFAULT_LEVELS = ["达标", "基本达标", "未达标"]
DEFAULT_THEMES = ["产业发展", "组织建设", "人居环境", "乡风文明", "人才培育", "基层治理", "为民服务"]


class Belt(Strict):
    name: Title = desc("示范带名称，例如“青山—白水党建示范带”")
    villages: list[Slug] = desc("按顺序连成线的村（村的编号）", min_length=2)
    description: Long = desc("说明", default="")


class Contact(Strict):
    address: Line = desc("联系地址，例如“示例县人民路 1 号”（公开显示）", default="")
    phone: Line = desc("联系电话，例如 0931-1234567（公开显示）", default="")
    email: Line = desc("电子邮箱，例如 dangjian@example.gov.cn（公开显示）", default="")


DEFAULT_CATEGORIES = ["先行示范", "巩固提升", "重点攻坚"]


class GovMark(Strict):
    image: FileRef = desc("党政机关网站标识图片，content/ 下的 PNG/JPEG/WebP 文件，例如 county/gov-mark.png")
    link: Line = desc("点击标识打开的核验地址（https://…，可不填）", default="")


class SiteSettings(Strict):
    """content/site.yml：门户的整体设置。"""

    county: Name = desc("县（市、区）名称")
    title: Title = desc("网站标题")
    sample: bool = desc("是否为示例数据（true 时页面会标注“示例”）", default=False)
    site_url: str = desc("网站发布后的地址，用于二维码，例如 https://dangjian.example.gov.cn/", default="")
    functions: list[Name] = desc("功能定位的可选值", default_factory=lambda: list(DEFAULT_FUNCTIONS))
    levels: list[Name] = desc("自评等次的可选值，从高到低", default_factory=lambda: list(DEFAULT_LEVELS))
    project_themes: list[Name] = desc("书记党建项目类别的可选值", default_factory=lambda: list(DEFAULT_THEMES))
    frameworks: list[Id] = desc(
        "每个村都必须自评的标准体系（content/frameworks/ 下文件的 id）", default_factory=lambda: ["shitiao", "shige"]
    )
    town_share_target: float = desc("每个乡镇示范村占行政村比例的目标（0.1 即 10%）", default=0.10, ge=0, le=1)
    belts: list[Belt] = desc("示范带（连点成线）", default_factory=list)
    # Identity and compliance: shown in the footer of every page.
    sponsor: Line = desc("主办单位，例如“中共示例县委组织部”", default="")
    operator: Line = desc("承办单位（负责运行维护的单位），例如“示例县融媒体中心”", default="")
    contact: Contact = desc("联系方式（公开显示在每页页脚）", default_factory=Contact)
    icp_filing: Line = desc("ICP 备案号，例如“京ICP备12345678号”或“京ICP备12345678号-1”", default="")
    police_filing: Line = desc("公安机关备案号，例如“京公网安备 11010502030143号”", default="")
    site_code: Line = desc("政府网站标识码（10 位），例如 1101000001", default="")
    logo: Line = desc("县的标志图片，content/ 下的 PNG/JPEG/WebP 文件，例如 county/logo.png（显示在页头）", default="")
    gov_mark: GovMark | None = desc("党政机关网站标识（可不填）", default=None)
    cover: FileRef | None = desc(
        "全县封面照片（首页大图）：content/ 下的一张照片，例如 villages/xiaohewan/photos/caiyuan.jpg", default=None
    )
    featured: list[Slug] | None = desc(
        "首页推荐的村（村的编号，按顺序）；不填则推荐最新命名的示范村（最多 6 个）", default=None
    )
    categories: list[Name] = desc(
        "每年给村评定的分类的可选值（分类创建），例如 [先行示范, 巩固提升, 重点攻坚]",
        default_factory=lambda: list(DEFAULT_CATEGORIES),
    )
    ranking: RankingRule = desc(
        "年度排名规则：年度综合排名与拟推荐（见组织者指南“年度排名”）", default_factory=RankingRule
    )

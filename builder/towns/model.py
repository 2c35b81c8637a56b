from __future__ import annotations

from builder.kernel.model import Coordinate, Name, Strict, desc


class Town(Strict):
    name: Name = desc("乡镇（街道）名称")
    administrative_villages: int = desc("行政村总数", gt=0)
    share_target: float | None = desc(
        "本乡镇的示范村比例目标（不填则用 site.yml 的 town_share_target）", default=None, ge=0, le=1
    )
    seat: TownSeat | None = desc("乡镇政府驻地坐标（地图上标注乡镇名用）", default=None)


class TownSeat(Coordinate):
    """乡镇政府驻地。"""


class TownsFile(Strict):
    """content/towns.yml：乡镇及其行政村数量。"""

    towns: list[Town] = desc("乡镇列表", min_length=1)


Town.model_rebuild()

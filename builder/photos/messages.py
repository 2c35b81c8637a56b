"""Chinese diagnostics for photos that cannot be published (shared by the
validator that runs in ``check`` and the producer that runs in the build)."""

from __future__ import annotations

import re

from builder.photos.settings import PhotoSettings

HEIC_HINT = (
    "在 iPhone 上把“设置 → 相机 → 格式”改成“兼容性最佳”，以后拍的就是 JPG；已有的 HEIC 照片可以"
    "通过微信发给自己再保存（会自动变成 JPG），或在电脑上运行 heif-convert 照片.heic 照片.jpg"
    "（Debian/Ubuntu 软件包 libheif-examples），然后把 village.yml 里的文件名一起改成 .jpg。"
)

SKIPPED = "（已按设置 photos_on_error: skip 跳过这张照片，网站上不会显示它。）"


def pixels_text(n: int) -> str:
    """A pixel count as people say it: 8,948 万像素 (or 5,000 像素 when small)."""
    if n >= 100_000:
        return f"{round(n / 10_000):,} 万像素"
    return f"{n:,} 像素"


def _bomb_size(detail: str) -> tuple[int, int, int]:
    """(width, height, pixels) from a bomb detail: "WxH > limit" from the
    pipeline or Pillow's "Image size (N pixels) exceeds limit ..."; zeros
    when unknown."""
    m = re.search(r"(\d+)x(\d+)", detail or "")
    if m:
        w, h = int(m.group(1)), int(m.group(2))
        return w, h, w * h
    m = re.search(r"Image size \((\d+) pixels\)", detail or "")
    return (0, 0, int(m.group(1))) if m else (0, 0, 0)


def describe(
    kind: str, detail: str, who: str, file: str, s: PhotoSettings, meta: dict | None = None
) -> tuple[str, str, str]:
    """(code, message, hint) for a photo problem of the given kind."""
    fmts = "、".join(f for f in s.formats if s.heic or f not in ("heic", "heif"))
    if kind == "heic":
        return (
            "photo-heic",
            f"{who}的照片 {file} 是 HEIC/HEIF 格式（苹果手机默认格式），当前设置不接受这种格式。",
            HEIC_HINT + "也可以请管理员打开 HEIC 支持（photos_heic: true）。",
        )
    if kind == "format":
        shown = (detail or "未知").upper()
        what = f"是 {shown} 格式" if detail and detail != "unknown" else "不是能识别的图片格式"
        return (
            "photo-format",
            f"{who}的照片 {file} {what}，门户只接受：{fmts}。",
            "用手机相册、画图或 WPS 把它另存为 JPG，并把 village.yml 里的文件名一起改掉。",
        )
    if kind == "bomb":
        w, h, n = _bomb_size(detail)
        if w:
            size = f"有 {pixels_text(n)}（{w:,} × {h:,}），超过"
        elif n:
            size = f"有 {pixels_text(n)}，超过"
        elif detail == "out of memory":
            size = "解码时需要的内存太多，像素数可能超过"
        else:
            size = "的像素数超过"
        return (
            "photo-bomb",
            f"{who}的照片 {file} {size}安全上限 {pixels_text(s.max_pixels)}，"
            "可能是恶意构造的“解压炸弹”文件，已拒绝打开。",
            "手机照片一般是 1,200–5,000 万像素。请用看图软件把它缩小（例如宽 6,000 像素）后另存为 JPG 再放进来；"
            "确属正常的超大照片（如航拍全景图），请管理员调大 photos_max_pixels。",
        )
    if kind == "toolarge":
        from builder.photos.pipeline import MAX_FILE_BYTES

        mb = int(detail) / 1024 / 1024 if detail.isdigit() else 0
        return (
            "photo-bomb",
            f"{who}的照片 {file} 文件太大（{mb:.0f} MB），超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB，没有打开。",
            "手机照片一般不到 20 MB；请导出一张普通大小的 JPG 替换它。",
        )
    if kind == "truncated":
        return (
            "photo-corrupt",
            f"{who}的照片 {file} 文件不完整（只有一部分数据），可能是下载或拷贝时中断了。",
            "从手机或相机里重新拷贝一次这张照片，替换掉 photos/ 里的文件。",
        )
    if kind == "dimensions":
        return (
            "photo-corrupt",
            f"{who}的照片 {file} 长宽比例异常（{detail}），无法生成网页图片。",
            "把照片裁剪成正常比例后再放进来。",
        )
    if kind == "timeout":
        return (
            "photo-timeout",
            f"{who}的照片 {file} 处理超时（{detail}），可能是损坏或恶意构造的文件。",
            "用看图软件打开确认；重新导出为 JPG 后替换。机器很慢时也可请管理员调大 photos_timeout。",
        )
    if kind == "crash":
        return (
            "photo-timeout",
            f"{who}的照片 {file} 在解码时让处理程序崩溃了，文件可能是损坏或恶意构造的。",
            "用看图软件打开确认；重新导出为 JPG 后替换。",
        )
    if kind == "io":
        return ("io-error", f"{who}的照片 {file} 读不出来：{detail}", "检查文件权限，或重新拷贝这张照片。")
    return (
        "photo-corrupt",
        f"{who}的照片 {file} 已损坏或不是有效的图片，无法读取（{detail[:160]}）。",
        "用看图软件打开确认；重新从手机拷贝，或另存为 JPG 后替换。",
    )

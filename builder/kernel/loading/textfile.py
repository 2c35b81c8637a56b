"""Reading editors' text files: UTF-8 only, with a clear diagnosis otherwise."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.tree import os_reason, special_kind

# Largest content files accepted, checked with fstat before anything is read:
# a 51 MB village.yml used to cost minutes and gigabytes in the build. Real
# files are far smaller (the sample's largest YAML is under 5 KB; a long
# village introduction is a few dozen KB). See docs/editors/limits.md.
MAX_YAML_BYTES = 1024 * 1024  # 1 MB for each .yml file
MAX_PROSE_BYTES = 512 * 1024  # 512 KB for each index.md (about 170,000 Chinese characters)

# Never follow a link, never block on a FIFO (the content walk lists only
# regular files; this is the second line of defence). Shared by every reader.
SAFE_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def size_text(n: int) -> str:
    """A byte count as editors read it: 1.5 MB, 300 KB."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:,.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n} 字节"


def limit_for(path: Path) -> int:
    return MAX_PROSE_BYTES if path.suffix.lower() == ".md" else MAX_YAML_BYTES


def _too_large_hint(display: str) -> str:
    name = Path(display).name
    if name == "village.yml":
        return (
            "village.yml 只放简短的结构化信息（名称、简介、看点、照片说明等）；"
            "长篇介绍写进同一文件夹的 index.md，照片放进 photos/，不要把图片或整篇文章粘贴进来。"
        )
    if name.endswith(".md"):
        return (
            "精简正文，只保留介绍这个村需要的内容；照片放进 photos/ 并在 village.yml 里登记，不要把图片数据粘贴进正文。"
        )
    return "检查是否误把大段文字、表格或图片数据粘贴进了这个文件；按示例只写需要的字段。"


def read_bytes(path: Path, display: str, diags: Diagnostics, max_bytes: int | None = None) -> bytes | None:
    """The bytes of a regular file of at most max_bytes (by default the limit
    for its kind), or None after adding a diagnostic.

    Never follows a symbolic link (O_NOFOLLOW), never blocks on a FIFO
    (O_NONBLOCK, and only regular files are read), and checks the size with
    fstat before reading, so a huge file costs neither time nor memory."""
    limit = limit_for(path) if max_bytes is None else max_bytes
    where = Location(display, 1, 1)
    try:
        st = os.lstat(path)
    except OSError as exc:
        diags.emit(
            where, "io-error", f"无法读取文件 {display}：{os_reason(exc)}。", "检查文件是否存在、是否有读取权限。"
        )
        return None
    if not _regular_or_report(st.st_mode, display, diags):
        return None
    try:
        fd = os.open(path, SAFE_OPEN_FLAGS)
    except OSError as exc:
        import errno

        if exc.errno == errno.ELOOP:  # replaced by a link after the lstat
            diags.emit(
                where,
                "symlink",
                f"{display} 是一个符号链接（快捷方式），门户不读取链接指向的内容。",
                "删掉这个链接，把真正的文件复制到这里。门户只发布仓库里真实存在的文件，不跟随链接。",
            )
        else:
            diags.emit(
                where, "io-error", f"无法读取文件 {display}：{os_reason(exc)}。", "检查文件是否存在、是否有读取权限。"
            )
        return None
    try:
        st = os.fstat(fd)
        if not _regular_or_report(st.st_mode, display, diags):
            return None
        if st.st_size > limit:
            diags.emit(
                where,
                "file-too-large",
                f"文件 {display} 太大：{size_text(st.st_size)}，上限是 {size_text(limit)}。没有读取它。",
                _too_large_hint(display),
            )
            return None
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks = []
        left = limit + 1  # the file may grow after the fstat: never read past the limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        diags.emit(
            where,
            "io-error",
            f"无法读取文件 {display}：{os_reason(exc)}。",
            "检查文件是否完整、是否有读取权限；重新拷贝一份试试。",
        )
        return None
    finally:
        os.close(fd)
    if len(raw) > limit:
        diags.emit(
            where,
            "file-too-large",
            f"文件 {display} 太大：超过上限 {size_text(limit)}。没有读取它。",
            _too_large_hint(display),
        )
        return None
    return raw


def _regular_or_report(mode: int, display: str, diags: Diagnostics) -> bool:
    where = Location(display, 1, 1)
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISLNK(mode):
        diags.emit(
            where,
            "symlink",
            f"{display} 是一个符号链接（快捷方式），门户不读取链接指向的内容。",
            "删掉这个链接，把真正的文件复制到这里。门户只发布仓库里真实存在的文件，不跟随链接。",
        )
    elif stat.S_ISDIR(mode):
        diags.emit(
            where,
            "io-error",
            f"{display} 应该是一个文件，但这里是一个文件夹。",
            f"把文件夹 {Path(display).name} 改名或移走，在这里放同名的文本文件。",
        )
    else:
        diags.emit(
            where,
            "special-file",
            f"{display} 不是普通文件，而是一个{special_kind(mode)}，门户不会打开它。",
            "删掉它；内容文件夹里只放普通的文本文件、照片和文件夹。",
        )
    return False


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 saved without a byte-order mark: YAML's keys and punctuation are
    ASCII, so every other byte is zero (in UTF-8 text a zero byte never
    appears)."""
    sample = raw[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.3


def read_text(path: Path, display: str, diags: Diagnostics, max_bytes: int | None = None) -> str | None:
    """Return the file's text, or None after adding a diagnostic.

    Office editors on Windows often save as GBK/GB18030 or UTF-16; we name the
    encoding we think it is and say how to convert, rather than guessing and
    risking silently garbled names on the site.
    """
    raw = read_bytes(path, display, diags, max_bytes)
    if raw is None:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # UTF-8 with BOM (Windows Notepad) is fine
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        diags.emit(
            Location(display, 1, 1),
            "encoding",
            "文件是 UTF-16 编码，门户只读 UTF-8。",
            "用 VS Code 或记事本打开，“另存为”时把编码选为 UTF-8。",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB2312 编码（Windows 记事本、WPS 常用）。"
        except UnicodeDecodeError:
            pass
        diags.emit(
            Location(display, line, col),
            "encoding",
            f"文件不是 UTF-8 编码，第 {line} 行有无法识别的字节。{guess}",
            "用 VS Code 打开，点右下角的编码→“通过编码重新打开”选 GBK，再“通过编码保存”选 UTF-8；"
            f"或在命令行运行：iconv -f GB18030 -t UTF-8 {Path(display).name} > 新文件",
        )
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diags.emit(
            Location(display, line, 1),
            "encoding",
            "文件里有空字符（\\0），它不是文本文件。",
            "确认放的是文本文件，而不是 Word/Excel 等文件。",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")

"""Reading editors' text files: UTF-8 only, with a clear diagnosis otherwise."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics, Location


def read_text(path: Path, display: str, diags: Diagnostics) -> str | None:
    """Return the file's text, or None after adding a diagnostic.

    Office editors on Windows often save as GBK/GB18030 or UTF-16; we name the
    encoding we think it is and say how to convert, rather than guessing and
    risking silently garbled names on the site.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.emit(Location(display, 1, 1), "io-error", f"无法读取文件：{exc.strerror or exc}",
                   "检查文件是否存在、是否有读取权限。")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # UTF-8 with BOM (Windows Notepad) is fine
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.emit(Location(display, 1, 1), "encoding", "文件是 UTF-16 编码，门户只读 UTF-8。",
                   "用 VS Code 或记事本打开，“另存为”时把编码选为 UTF-8。")
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
        diags.emit(Location(display, line, col), "encoding",
                   f"文件不是 UTF-8 编码，第 {line} 行有无法识别的字节。{guess}",
                   "用 VS Code 打开，点右下角的编码→“通过编码重新打开”选 GBK，再“通过编码保存”选 UTF-8；"
                   f"或在命令行运行：iconv -f GB18030 -t UTF-8 {Path(display).name} > 新文件")
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diags.emit(Location(display, line, 1), "encoding", "文件里有空字符（\\0），它不是文本文件。",
                   "确认放的是文本文件，而不是 Word/Excel 等文件。")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")

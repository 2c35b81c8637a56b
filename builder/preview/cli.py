"""``python -m builder serve``: build once, serve, and update what a change affects.

The watcher (watchdog, which MkDocs already needs) reports changed files;
after a short pause to let an editor finish saving, the session updates the
site (builder.preview.session) and the browser reloads. A change under
content/ other than site.yml and frameworks/ is incremental; docs/, the
theme, templates and mkdocs.yml rebuild everything (into a fresh folder that
replaces the served one only when it succeeded)."""

from __future__ import annotations

import logging
import queue
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DEBOUNCE = 0.05  # seconds of quiet after a change before updating (an editor may write twice)


def register(sub, add_content) -> None:
    p = sub.add_parser(
        "serve", help="预览：生成一次网站并在本机提供访问；改动内容后只重新生成受影响的页面，浏览器自动刷新"
    )
    p.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="地址和端口（默认 127.0.0.1:8000）")
    p.add_argument("--site-dir", default=None, help="预览用的输出文件夹（默认一个临时文件夹，退出时删除）")
    p.set_defaults(func=cmd_serve)


def _ignored(path: str) -> bool:
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp", ".part"))


class Watcher:
    """Changed paths under the watched folders, as a queue (watchdog observer)."""

    def __init__(self, folders: list[Path], files: list[Path]) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self.changes: queue.Queue[Path] = queue.Queue()
        changes = self.changes
        wanted = {str(f.resolve()) for f in files}

        class Handler(FileSystemEventHandler):
            def __init__(self, only: set[str] | None) -> None:
                self.only = only

            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write") or (
                    event.is_directory and event.event_type == "modified"
                ):
                    return
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    p = p.decode() if isinstance(p, bytes) else p
                    if p and not _ignored(p) and (self.only is None or p in self.only):
                        changes.put(Path(p))

        self.observer = Observer()
        for d in folders:
            if d.is_dir():
                self.observer.schedule(Handler(None), str(d), recursive=True)
        for parent in {f.resolve().parent for f in files}:
            self.observer.schedule(Handler(wanted), str(parent), recursive=False)
        self.observer.start()

    def next_batch(self, timeout: float | None = None) -> set[Path]:
        """The paths changed since the last batch (waits for the first, then for DEBOUNCE of quiet)."""
        try:
            batch = {self.changes.get(timeout=timeout)}
        except queue.Empty:
            return set()
        while True:
            try:
                batch.add(self.changes.get(timeout=DEBOUNCE))
            except queue.Empty:
                return batch

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


class Previewer:
    """A session, the served state, and what to do on a batch of changes."""

    def __init__(self, config_file: Path, site_dir: Path | None, out=None) -> None:
        from builder.preview.server import PreviewState

        self.config_file = config_file.resolve()
        self.own_dirs = site_dir is None
        self.base = Path(tempfile.mkdtemp(prefix="preview-")) if site_dir is None else None
        self.site_dir = site_dir.resolve() if site_dir is not None else self._fresh_dir()
        self.state = PreviewState(self.site_dir)
        self.session: Any = None
        self.out = out or sys.stderr
        self.broken = False  # the served site may be half updated: the next change rebuilds everything
        self.root = self.config_file.parent

    def _fresh_dir(self) -> Path:
        assert self.base is not None
        return Path(tempfile.mkdtemp(prefix="site-", dir=self.base))

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _error_text(self, exc: BaseException) -> list[str]:
        from builder.cli_build import _os_fault

        fault = _os_fault(exc)
        if fault is not None:
            from builder.cli import fault_message

            return [fault_message(fault)]
        msg = str(getattr(exc, "message", "") or exc) or type(exc).__name__
        return [msg]

    def full(self) -> bool:
        """Everything rebuilt (into a fresh folder when the folder is ours); False if it failed."""
        from builder.preview.session import Session

        target = self._fresh_dir() if (self.own_dirs and self.session is not None) else self.site_dir
        session = Session(self.config_file, target)
        t0 = time.perf_counter()
        try:
            session.full_build()
        except Exception as exc:  # content errors (PluginError), faults, MkDocs errors
            errors = self._error_text(exc)
            self.say("\n".join(errors))
            self.say("预览仍显示上一次成功生成的网站。")
            self.state.publish(reload=False, errors=errors)
            if target != self.site_dir:
                shutil.rmtree(target, ignore_errors=True)
            return False
        old, self.site_dir, self.session, self.broken = self.site_dir, target, session, False
        self.state.publish(reload=True, site_dir=target)
        if old != target and self.own_dirs:
            shutil.rmtree(old, ignore_errors=True)
        self.say(f"已重新生成整个网站（{time.perf_counter() - t0:.1f} 秒）。")
        return True

    def changed(self, paths: set[Path]) -> None:
        from builder.preview.session import needs_full_rebuild

        content_dir = self.session.plugin.content_dir if self.session and self.session.plugin else None
        if (
            self.session is None
            or self.broken
            or content_dir is None
            or any(needs_full_rebuild(p, self.root, content_dir) for p in paths)
        ):
            self.full()
            return
        t0 = time.perf_counter()

        def pages_done(update) -> None:
            reload = bool(update.pages or update.written or update.removed)
            pages_open, since = self.state.polls > 0, time.monotonic()
            self.state.publish(reload=reload)
            if reload:  # the rest of the update (spreadsheets, search index) after the pages have reloaded
                self.state.settle(since, pages_open)

        try:
            update = self.session.update(paths, pages_done=pages_done)
        except Exception as exc:
            self.broken = True
            errors = self._error_text(exc)
            self.say("\n".join(errors))
            self.state.publish(reload=False, errors=errors)
            return
        for w in update.warnings:
            self.say(w)
        if update.errors:
            self.say("\n".join(update.errors))
            self.say(f"内容有 {len(update.errors)} 处错误，预览仍显示上一次成功生成的网站。")
            self.state.publish(reload=False, errors=update.errors)
            return
        if update.full:
            self.state.publish(reload=True)
            self.say(f"已重新生成整个网站（{update.seconds:.1f} 秒）。")
            return
        self.state.publish(reload=False)  # clears an earlier error banner
        n = len(update.pages)
        self.say(
            f"已更新 {n} 个页面、{len(update.written)} 个文件"
            + (f"，删除 {len(update.removed)} 个" if update.removed else "")
            + f"（页面 {update.pages_seconds:.2f} 秒，共 {time.perf_counter() - t0:.2f} 秒）。"
        )

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)


def watched(config_file: Path) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose changes matter: content/, docs/, the theme, the features' templates, mkdocs.yml."""
    import yaml

    root = config_file.resolve().parent
    folders = [root / "content", root / "docs", root / "theme_overrides"]
    try:
        cfg = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_loader()) or {}
        for plugin in cfg.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("villages"), dict):
                folders[0] = root / plugin["villages"].get("content_dir", "content")
        folders[1] = root / cfg.get("docs_dir", "docs")
    except (OSError, yaml.YAMLError):
        pass
    package = Path(__file__).resolve().parent.parent
    folders += sorted(p for p in package.glob("*/templates") if p.is_dir())
    return folders, [config_file]


def _loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV … : not needed here
    return Loader


def cmd_serve(args) -> int:
    from builder.preview.server import serve, url_of

    config_file = Path(args.config)
    if not config_file.is_file():
        print(f"找不到 MkDocs 配置文件 {config_file}。", file=sys.stderr)
        return 2
    host, _, port = args.dev_addr.rpartition(":")
    if not port.isdigit():
        print(f"--dev-addr 应写成 地址:端口，例如 127.0.0.1:8000（现在是 {args.dev_addr}）。", file=sys.stderr)
        return 2
    if args.site_dir:
        from builder.cli_build import _unsafe_out

        folders, _ = watched(config_file)
        why = _unsafe_out(Path(args.site_dir), folders[0])
        if why:
            print(f"{why}；预览会清空这个文件夹，请换一个单独的文件夹。", file=sys.stderr)
            return 2
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    from builder.cli_build import _Handler

    logging.getLogger("mkdocs").addHandler(_Handler())
    logging.getLogger("mkdocs").propagate = False
    pv = Previewer(config_file, Path(args.site_dir) if args.site_dir else None)
    try:
        httpd = serve(pv.state, host or "127.0.0.1", int(port))
    except OSError as exc:
        print(
            f"无法在 {args.dev_addr} 上提供预览：{exc.strerror or exc}。换一个端口：--dev-addr 127.0.0.1:8001",
            file=sys.stderr,
        )
        pv.close()
        return 1
    folders, files = watched(config_file)
    watcher = Watcher(folders, files)
    try:
        pv.say("正在生成网站……")
        pv.full()
        pv.say(f"预览地址：{url_of(httpd)}  （改动内容并保存后，浏览器自动刷新；按 Ctrl+C 结束）")
        while True:
            batch = watcher.next_batch(timeout=1.0)
            if batch:
                pv.changed(batch)
    except KeyboardInterrupt:
        pv.say("预览已结束。")
    finally:
        watcher.stop()
        httpd.shutdown()
        pv.close()
    return 0


def run_in_thread(pv: Previewer, watcher: Watcher, stop: threading.Event) -> threading.Thread:
    """The update loop in a background thread (tests and benchmarks)."""

    def loop() -> None:
        while not stop.is_set():
            batch = watcher.next_batch(timeout=0.2)
            if batch:
                pv.changed(batch)

    t = threading.Thread(target=loop, name="preview-watch", daemon=True)
    t.start()
    return t

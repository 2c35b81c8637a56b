"""Editors' prose (a village's index.md): Markdown → sanitized HTML + findings.

See builder/prose/render.py; the allowlist is builder/prose/policy.py."""

from builder.villages.prose.render import EXTENSIONS, Finding, Prose, render_prose

__all__ = ["EXTENSIONS", "Finding", "Prose", "render_prose"]

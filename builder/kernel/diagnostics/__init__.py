"""Diagnostics: every problem found in content, with file, line, column,
a stable code, a severity, a Chinese message and a hint how to fix it."""

from builder.kernel.diagnostics.codes import CODES, Code
from builder.kernel.diagnostics.model import Diagnostic, Diagnostics, Location, Severity

__all__ = ["CODES", "Code", "Diagnostic", "Diagnostics", "Location", "Severity"]

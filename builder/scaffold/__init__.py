"""Helpers for editors and benchmarks: JSON Schema files, scaffolds for new
villages and projects, the check-codes page, and synthetic counties."""

"""Validation: schema errors per file, then rules across files. All problems
are collected in one pass; nothing stops at the first one."""

"""Derived facts: scores, rule results, comparisons, statistics."""

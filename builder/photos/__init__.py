"""Photo galleries: responsive, private, cached derivatives (issue #4)."""

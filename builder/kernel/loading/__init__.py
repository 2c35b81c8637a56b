"""Loading content files with the file, line and column of every value."""

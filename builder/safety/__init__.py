"""Build safety: atomic swaps of the output folder, reproducibility helpers."""

"""Benchmarks: `make bench` runs every benchmarks/bench_*.py and writes
BENCHMARKS.md. Goals are ratios measured side by side in the same run, never
wall-clock limits (the machines are shared and noisy)."""

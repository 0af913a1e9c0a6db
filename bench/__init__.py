"""Task Desk's benchmark suite: `python -m bench` measures every figure of issue 5 beside its
floor, in the same run, and rewrites docs/benchmarks.md."""

# `make bench`: every figure of issue 5 beside its floor, written to docs/benchmarks.md.
# (The Makefile includes this file.) Rebuilds the bundle first, so the frozen figures are of
# the code being measured.
.PHONY: bench

bench:          ## measure start-up, responsiveness, CPU, requests, memory and size
	bash scripts/bootstrap.sh test && bash scripts/dist.sh && .venv/bin/python -m bench $(ARGS)

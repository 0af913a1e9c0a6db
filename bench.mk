# `make bench`: every figure of issue 5 beside its floor, written to docs/benchmarks.md.
# (The Makefile includes this file.) Builds the bundle first if it is missing.
.PHONY: bench

bench:          ## measure start-up, responsiveness, CPU, requests, memory and size
	bash scripts/bootstrap.sh test && { [ -x dist/TaskDesk/TaskDesk ] || bash scripts/dist.sh; } && .venv/bin/python -m bench $(ARGS)

"""`python -m bench`: run every figure and rewrite docs/benchmarks.md."""

import sys

from bench.run import main

sys.exit(main())

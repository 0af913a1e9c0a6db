"""`python -m bench.start_compare RUNS PATH...`: cold start to the painted window (cache filled)
of several checkouts of the app, against the bare window, interleaved (floor, A, B, floor, A,
B...), so every figure sees the same machine; prints each median and its ratio to the floor.

For trying a start-up change against the code before it on a shared machine, where a figure
moves by 10 % between runs: export the commits (`git archive COMMIT | tar -x -C DIR`) and
compare the directories in one run. Each checkout gets its bytecode compiled first (as
`python -m bench` does) and its own data folder, filled as a first run leaves it."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import BENCH_PAINT_ENV, ROOT, TOKEN_ENV, VENV_PYTHON, RemoteFake, qt_env
from bench.startup import fill_cache, interleaved, time_to_paint


def compare(runs: int, checkouts: list[Path]) -> dict[str, list[float]]:
    fake = RemoteFake()
    try:
        env = qt_env(**{BENCH_PAINT_ENV: "1", TOKEN_ENV: fake.token})
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        bare = [str(VENV_PYTHON), "-m", "bench.bare_window"]
        pairs = {"floor": lambda: time_to_paint(bare, env, ROOT)}
        for checkout in checkouts:
            subprocess.run(  # noqa: S603 - our own interpreter
                [str(VENV_PYTHON), "-m", "compileall", "-q", "desktop"],
                cwd=checkout,
                env=env,
                check=True,
            )
            data_dir = Path(tempfile.mkdtemp()) / "data"
            fill_cache(data_dir, fake)
            app = [str(VENV_PYTHON), "-m", "desktop", "--api-url", fake.url]
            app += ["--data-dir", str(data_dir)]
            app_env = dict(env, PYTHONPATH=str(checkout))
            pairs[str(checkout)] = lambda a=app, e=app_env, c=checkout: time_to_paint(a, e, c)
        return interleaved(pairs, runs)
    finally:
        fake.stop()


def main() -> None:
    runs, checkouts = int(sys.argv[1]), [Path(p).resolve() for p in sys.argv[2:]]
    results = compare(runs, checkouts)
    floor = statistics.median(results["floor"])
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name}: median {median * 1000:.0f} ms, {median / floor:.2f} x the floor")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

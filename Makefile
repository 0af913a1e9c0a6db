# Each target installs what it needs first (a venv in .venv; system packages when run as root).
.PHONY: run test lint screenshot fake-server reliability deb clean

run:            ## install everything and start Task Desk
	bash scripts/run.sh $(ARGS)

test:           ## install everything and run ruff, mypy and the whole test suite
	bash scripts/test.sh $(ARGS)

lint:           ## ruff and mypy (strict below the UI), exactly as `make test` runs them
	bash scripts/bootstrap.sh run && bash scripts/lint.sh

screenshot:     ## regenerate docs/screenshot.png and docs/frozen-screenshot.png under Xvfb
	bash scripts/screenshot.sh
	bash scripts/screenshot_frozen.sh

fake-server:    ## a fake Toggl API on http://127.0.0.1:8765/api/v9 (ARGS="--projects 5000 --tasks 300 --delay 1")
	bash scripts/bootstrap.sh run && .venv/bin/python -m tests.fake_toggl --port 8765 $(ARGS)

reliability:    ## the fault suite with the long crash loop; rewrites docs/reliability.md
	bash scripts/reliability.sh

deb: dist/TaskDesk/TaskDesk  ## build dist/task-desk_<version>_amd64.deb (the bundle is built if missing)
	bash scripts/deb.sh

clean:
	rm -rf .venv .cache .mypy_cache .ruff_cache build dist *.egg-info

# dist, install, uninstall, bench (after the targets above: `make` alone still means `make run`)
include packaging.mk
include bench.mk

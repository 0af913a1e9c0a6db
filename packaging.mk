# Packaging targets, included from the Makefile (`include packaging.mk`).
.PHONY: dist install uninstall

dist:           ## build the stand-alone bundle dist/TaskDesk with PyInstaller (build.spec)
	bash scripts/dist.sh

install: dist/TaskDesk/TaskDesk  ## install the bundle for this user (~/.local), built if missing
	bash scripts/install.sh

uninstall:      ## remove what `make install` installed (your data and token stay)
	bash scripts/uninstall.sh

# Built only when missing: `make dist` rebuilds on purpose.
dist/TaskDesk/TaskDesk:
	bash scripts/dist.sh

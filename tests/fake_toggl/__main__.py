"""Run the fake Toggl server: ``python -m tests.fake_toggl --port 8765 --projects 5000``."""

import sys

from tests.fake_toggl.cli import main

sys.exit(main())

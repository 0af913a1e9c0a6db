"""Exit codes, from sysexits where one fits; the README lists them for scripts."""

EX_OK = 0
EX_FAILED = 1  # Toggl refused the task (or --self-check found a problem)
EX_USAGE = 64  # bad input: arguments, a name, an estimate, an unknown outbox id
EX_UNAVAILABLE = 69  # Toggl cannot be reached now: tasks stay queued
EX_SOFTWARE = 70  # an unexpected problem, or a database that cannot be used
EX_TEMPFAIL = 75  # the app is running on the same data folder
EX_NOPERM = 77  # not signed in, the token refused, or the data folder unusable
EX_INTERRUPTED = 130  # Ctrl-C, as shells report it

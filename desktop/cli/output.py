"""What the command line prints: sentences for people, or one JSON document with `--json`.

Names, project labels, Toggl's reasons and paths come from others; printed raw, a control
character could retitle the terminal or hide the rest of the output, and a bidirectional control
reverse the rest of a line. For people every such character is shown escaped (`\\x1b`,
`\\u202e`); JSON stays valid and exact, with the same characters as `\\u` escapes (`json.dumps`
leaves DEL, C1 and bidi controls raw when it keeps non-ASCII text readable).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from desktop import APP_NAME
from desktop.domain.moments import spoken

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"  # line and paragraph separators: a line break to some terminals
_SURROGATES = "\ud800-\udfff"  # undecodable bytes of argv or file names (surrogateescape)
_FOR_PEOPLE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}{_SURROGATES}]")
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}{_SEPARATORS}{_SURROGATES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_people(text: str) -> str:
    """`text` on one line, with every control, bidi control and line separator escaped."""
    return _FOR_PEOPLE.sub(_escape, text)


def to_json(data: object, *, indent: int | None = 2) -> str:
    """Valid JSON that decodes to `data`, readable non-ASCII kept, every control escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    # Outside strings JSON is ASCII, so each of these is inside a string: a `\u` escape there
    # decodes to the very same character.
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def local_time(epoch: float, now: float | None = None) -> str:
    """A moment in local time as people say it: "today 15:25", "yesterday 09:10",
    "2 Dec 15:25", "2 Dec 2025 15:25"."""
    try:
        moment = datetime.fromtimestamp(epoch)
    except (OverflowError, OSError, ValueError):
        return "at an unknown time"
    return spoken(moment, datetime.fromtimestamp(time.time() if now is None else now).date())


def iso_time(epoch: float) -> str | None:
    """The moment as ISO 8601 with the local offset, for JSON."""
    try:
        return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def _write(stream: TextIO, text: str) -> None:
    """Print, even to a terminal whose encoding cannot show every character."""
    try:
        print(text, file=stream)
    except UnicodeEncodeError:
        encoding = stream.encoding or "utf-8"
        print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


class Output:
    """Sentences on stdout (problems and notices on stderr), or one JSON document on stdout."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self._notices: list[str] = []

    def notice(self, text: str) -> None:
        """Something the user must hear even when the command succeeds (a database set aside).

        With `--json` it goes in the document's `notice` field."""
        if self.as_json:
            self._notices.append(text)
        else:
            _write(sys.stderr, f"{APP_NAME}: {for_people(text)}")

    def emit(self, lines: str | Sequence[str], data: dict[str, object]) -> None:
        """The command's answer: `lines` for people (each shown on one line), or `data`."""
        if self.as_json:
            self.document(data)
            return
        for line in [lines] if isinstance(lines, str) else lines:
            _write(sys.stdout, for_people(line))

    def document(self, data: dict[str, object]) -> None:
        """`data` as JSON, whatever the mode (`add` prints the created task so)."""
        if self._notices:
            data = {**data, "notice": " ".join(self._notices)}
        _write(sys.stdout, to_json(data))

    def fail_listing(self, code: int, message: str, items: Sequence[str], **data: object) -> int:
        """As `fail`, with `items` listed one a line under the sentence (the lines of a file
        that were not understood); with `--json`, `data` says them."""
        code = self.fail(code, message, **data)
        if not self.as_json:
            for item in items:
                _write(sys.stderr, f"  {for_people(item)}")
        return code

    def fail(self, code: int, message: str, **data: object) -> int:
        """Say why the command failed, in one sentence; returns `code` to exit with."""
        if self.as_json:
            self.document({"ok": False, "error": message, **data})
        else:
            said = message if message.startswith(APP_NAME) else f"{APP_NAME}: {message}"
            _write(sys.stderr, for_people(said))
        return code

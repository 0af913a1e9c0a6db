"""Hypothesis drives the command line's `main()` with generated argument lists.

Whatever the arguments (workspaces, projects and people by id or by name, hostile names with
control characters and surrogates, numbers of thousands of digits, URLs with line breaks,
options in any order, garbage), against the fake Toggl (sometimes failing) or an unreachable
port, in a data folder that is damaged, open to others, holds a database planted as a link, or
is in use by the app, with a token, a wrong one or none, `main()` must answer with an exit code
the README lists, print no traceback, no "unexpected problem" and nothing that could steer a
terminal, keep `--json` output valid JSON, and never let `SystemExit` out.

TASK_DESK_HYPOTHESIS_EXAMPLES sets how many argument lists are tried (`make reliability` runs
more than the default).

Safety: the generated arguments never name a data folder or an API address outside the test's
own: every free-form value that could be read as an option is kept from starting with `-`,
addresses are loopback ones with junk appended to their path, and the environment points
the defaults at the test's folder and an unreachable port.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop import credentials
from desktop.cli import main
from desktop.config import ENV_API_URL, ENV_DATA_DIR
from desktop.store.lock import InstanceLock
from tests.fake_toggl import FakeToggl
from tests.reliability import record

EXAMPLES = int(os.environ.get("TASK_DESK_HYPOTHESIS_EXAMPLES", "80"))
README_EXIT_CODES = {0, 1, 64, 69, 70, 75, 77}
TRACEBACK = "Traceback (most recent call last)"
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates too
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\u202eevil",
        "\x9b31m",
        "a\nb",
        "\t",
        "\x00",
        "\udcff\udcfe",
        "\ud83d",
        "😀" * 70,
        "é" * 200,
        "x" * 300,
        "9" * 5000,
        "1" + "0" * 4400,
        str(2**63),
        str(2**63 - 1),
        "0",
        "-1",
        "-9" * 30,
        "+5",
        "1_000",
        "٥",
        "1e309",
        "nan",
        "inf",
        "1h 1h",
        "1:75",
        ".5h",
    ]
)


def not_an_option(text: str) -> str:
    """A value argparse could take for an option (`--d` is `--data-dir`) gets a harmless
    prefix; a negative number stays as it is."""
    return "x" + text if text.startswith("-") and not text[1:2].isdigit() else text


VALUE = st.one_of(NASTY, ANY_TEXT).map(not_an_option)
ID = st.one_of(
    st.integers(min_value=1, max_value=4).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    VALUE,
)
NAME = st.one_of(
    ID, st.sampled_from(["acme", "SIDE", "web", "Website Redesign", "sam", "a", "zzz", " "])
)
"""An id, or a name: unique, ambiguous ("a"), unknown or blank."""
ESTIMATE = st.one_of(st.text(st.sampled_from("0123456789hms:., "), max_size=12), NASTY, VALUE).map(
    not_an_option
)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Defaults that point at the test's folder and nowhere on the network, even for argument
    lists that give no --data-dir or --api-url; relative paths land in the test's folder."""
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "default-data"))
    monkeypatch.setenv(ENV_API_URL, f"http://127.0.0.1:{unused_port()}/api/v9")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mostly(sound: str, hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The sound value five times in six, so that many lists get as far as Toggl."""
    return st.sampled_from([True] * 5 + [False]).flatmap(
        lambda keep: st.just(sound) if keep else hostile
    )


def sometimes(draw: st.DrawFn, out_of: int = 6) -> bool:
    """True `out_of - 1` times in `out_of`."""
    return draw(st.sampled_from([True] * (out_of - 1) + [False]))


@st.composite
def argument_lists(draw: st.DrawFn, fake_url: str, dead_url: str, data_dir: str,
                   fake_ids: tuple[int, int, int]) -> list[str]:  # fmt: skip
    workspace, project, assignee = fake_ids
    url_base = draw(
        st.sampled_from([fake_url, fake_url, dead_url, fake_url.replace("http:", "https:")])
    )
    odd_url = st.one_of(
        VALUE.map(lambda junk: url_base + junk),  # junk in the path only: still loopback
        st.sampled_from(["", "ftp://127.0.0.1/", "http://example.com/api/v9",
                         "https://user:pw@127.0.0.1/", "http://[::1", "not a url",
                         url_base.replace("/api", ":99999/api")]),
    )  # fmt: skip
    odd_folder = st.one_of(
        VALUE.map(lambda part: os.path.join(data_dir, "sub", part.replace("/", "_") or "_")),
        st.just(os.path.join(data_dir, "taskdesk.sqlite3", "inside-a-file")),
    )
    options: list[list[str]] = []
    if sometimes(draw):
        options.append(["--api-url", draw(mostly(url_base, odd_url))])
    if sometimes(draw, 10):
        options.append(["--data-dir", draw(mostly(data_dir, odd_folder))])
    if draw(st.booleans()):
        options.append(["--json"])
    commands = ["add", "add", "add", "outbox", "outbox", "sync", "retry", "discard", "junk",
                "top", "workspaces", "projects"]  # fmt: skip
    command = draw(st.sampled_from(commands))
    if command == "add":
        choices = {
            "--workspace": (str(workspace), NAME),
            "--project": (str(project), NAME),
            "--name": ("Fuzzed \u202etask\u202c", VALUE),
            "--estimate": ("1h 30m", ESTIMATE),
            "--assignee": (str(assignee), NAME),
        }
        for option, (sound, hostile) in choices.items():
            if sometimes(draw, 12):
                options.append([option, draw(mostly(sound, hostile))])
        if draw(st.booleans()):
            options.append(["--inactive"])
    if command in ("workspaces", "projects") and draw(st.booleans()):
        options.append(["--refresh"])
    if command == "projects" and sometimes(draw, 3):
        options.append(["--workspace", draw(mostly(str(workspace), NAME))])
    head = {
        "retry": ["outbox", "retry"],
        "discard": ["outbox", "discard"],
        "junk": [draw(VALUE)],
        "top": [],
    }.get(command, [command])
    if command in ("retry", "discard") and sometimes(draw, 8):
        head.append(draw(mostly("1", ID)))
    if command == "top":
        options = [[draw(st.sampled_from(["--version", "--help", "--json", "--bogus"]))]]
    options = draw(st.permutations(options))
    strays = [draw(VALUE)] if not sometimes(draw, 12) else []
    return [*head, *(token for option in options for token in option), *strays]


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """`main(argv)` with stdout and stderr as strict UTF-8 streams, like a terminal's."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"SystemExit({exit_.code!r}) escaped main({argv!r})")
    texts = []
    for stream in (out, err):
        stream.flush()
        assert isinstance(stream.buffer, io.BytesIO)
        texts.append(stream.buffer.getvalue().decode("utf-8"))
    return code, texts[0], texts[1]


def test_main_answers_any_arguments_with_a_readme_exit_code(
    fake: FakeToggl, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead_url = f"http://127.0.0.1:{unused_port()}/api/v9"
    fake_ids = (fake.premium_workspace_id, fake.project_id("Website Redesign"), 9_000_000_002)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=st.data(),
        token=st.sampled_from([fake.token, fake.token, None, "wrong-token"]),
        setting=st.sampled_from(
            ["plain", "plain", "plain", "damaged", "app running", "fault", "open", "planted"]
        ),
        fault=st.sampled_from([400, 401, 403, 410, 500]),
        runs=st.integers(1, 3),
    )
    def check(data: st.DataObject, token: str | None, setting: str, fault: int, runs: int) -> None:
        record(inputs_generated=1)
        data_dir = Path(tempfile.mkdtemp(dir=isolated))
        if token is None:
            monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
        else:
            monkeypatch.setenv(credentials.ENV_TOKEN, token)
        if setting == "damaged":
            (data_dir / "taskdesk.sqlite3").write_bytes(b"\x00 not a database " * 300)
        if setting == "open":
            data_dir.chmod(0o777)
        if setting == "planted":
            (data_dir / "taskdesk.sqlite3").symlink_to(isolated / "victim.sqlite3")
        if setting == "fault":
            fake.fail_next(fault, json.dumps("Refused \x1b[2J\u202e by the fuzz"), method="POST")
        lock = InstanceLock(data_dir)
        if setting == "app running":
            assert lock.acquire()
        try:
            for _ in range(runs):
                argv = data.draw(argument_lists(fake.url, dead_url, str(data_dir), fake_ids))
                code, out, err = run_main(argv)
                said = out + err
                event(f"exit {code}")
                assert code in README_EXIT_CODES, (code, said)
                assert TRACEBACK not in said
                assert "hit an unexpected problem" not in said, said
                assert not RAW_CONTROL.search(said), said
                if "--json" in argv and "--help" not in argv and "--version" not in argv:
                    json.loads(out)
        finally:
            lock.release()
            with fake.lock:  # a fault the example did not use must not leak into the next
                fake._rules.clear()

    check()

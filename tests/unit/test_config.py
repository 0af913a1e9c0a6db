"""The options the window and the command line share: declared once, read the same way."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from desktop import __version__, config
from desktop.api.endpoint import DEFAULT_BASE_URL
from desktop.app import main
from desktop.cli import main as cli_main
from desktop.cli.arguments import UsageError, api_address, parse
from desktop.config import (
    ENV_API_URL,
    ENV_DATA_DIR,
    add_shared_options,
    default_data_dir,
    parse_args,
    resolve_data_dir,
)


@pytest.fixture(autouse=True)
def no_option_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_API_URL, raising=False)
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


def shared_helps() -> dict[str, str]:
    parser = argparse.ArgumentParser()
    add_shared_options(parser)
    return {
        action.option_strings[0]: action.help or ""
        for action in parser._actions
        if action.option_strings != ["-h", "--help"]
    }


def flat(text: str) -> str:
    return " ".join(text.split())


def test_defaults_without_options_or_environment() -> None:
    config = parse_args([])
    assert config.api_url == DEFAULT_BASE_URL
    assert config.data_dir == default_data_dir().absolute()


def test_environment_over_defaults_and_options_over_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_API_URL, "http://127.0.0.1:8765/api/v9")
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    config = parse_args([])
    assert config.api_url == "http://127.0.0.1:8765/api/v9"
    assert config.data_dir == tmp_path / "from-env"
    config = parse_args(["--api-url", "https://toggl.example/api/v9", "--data-dir", "given"])
    assert config.api_url == "https://toggl.example/api/v9"
    assert config.data_dir == Path.cwd() / "given"


def test_an_empty_data_dir_variable_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, "")
    assert parse_args([]).data_dir == default_data_dir().absolute()


def test_the_data_dir_is_expanded_and_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert resolve_data_dir("~/tasks") == Path("/home/someone/tasks")
    assert resolve_data_dir("rel") == Path.cwd() / "rel"
    assert resolve_data_dir(None) == default_data_dir().absolute()


@pytest.mark.parametrize(
    "url", ["http://example.com/api/v9", "ftp://127.0.0.1/", "https://exa mple.com/"]
)
def test_the_window_refuses_an_unsafe_api_url_with_exit_2(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_args(["--api-url", url])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--api-url", url]) == 2  # main returns the code, without opening a window


def test_the_same_variable_is_refused_by_the_window_and_the_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_API_URL, "http://example.com/api/v9")
    assert main([]) == 2
    window_says = capsys.readouterr().err.splitlines()[-1]
    assert cli_main(["sync"]) == 64
    cli_says = capsys.readouterr().err
    reason = window_says.split("error: ", 1)[1]
    assert reason in cli_says


def test_window_exit_codes_for_help_version_and_unknown_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert main(["--bogus"]) == 2
    assert main(["add"]) == 2  # a command reaches the window only through app.run()


def test_window_help_names_the_commands_and_explains_each_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--help"])
    shown = flat(capsys.readouterr().out)
    assert "Commands: TaskDesk add|outbox|sync|--self-check" in shown
    assert "TaskDesk COMMAND --help" in shown
    for option, text in shared_helps().items():
        assert text, f"{option} has no help"
        assert f"{option} " in shown
        assert flat(text) in shown


@pytest.mark.parametrize("command", [["add"], ["outbox"], ["sync"], ["--self-check"]])
def test_every_command_takes_the_window_options_with_the_same_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main([*command, "--help"]) == 0
    shown = flat(capsys.readouterr().out)
    for text in shared_helps().values():
        assert flat(text) in shown


def test_every_command_reads_the_options_as_the_window_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_API_URL, "http://127.0.0.1:9/api/v9")
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    window = parse_args([])
    for argv in (["sync"], ["outbox"], ["--self-check"]):
        args = parse(argv)
        assert api_address(args.api_url) == window.api_url
        assert resolve_data_dir(args.data_dir) == window.data_dir
    args = parse(["sync", "--data-dir", "~/x", "--api-url", "https://a.example/"])
    window = parse_args(["--data-dir", "~/x", "--api-url", "https://a.example/"])
    assert resolve_data_dir(args.data_dir) == window.data_dir
    assert api_address(args.api_url) == window.api_url


def test_a_command_error_is_still_a_usage_error() -> None:
    with pytest.raises(UsageError):
        parse(["sync", "--data-dir"])


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--quick-add"],
        ["--data-dir", "given", "--api-url", "http://127.0.0.1:9/api/v9"],
        ["--api-url=https://toggl.example/api/v9", "--data-dir=given", "--quick-add"],
        ["--data-dir", "first", "--data-dir", "second"],
        ["--data-dir="],
    ],
)
def test_the_plain_options_read_as_argparse_reads_them(argv: list[str]) -> None:
    """The window reads the usual forms without building argparse's parser (start-up time)."""
    args = config.window_parser().parse_args(argv)
    expected = (args.api_url, resolve_data_dir(args.data_dir), args.quick_add)
    assert config._plain_options(argv) is not None
    assert tuple(parse_args(argv)) == expected


@pytest.mark.parametrize(
    "argv", [["--data"], ["--data-dir"], ["--data-dir", "-x"], ["--quick-add=1"], ["-h"], ["x"]]
)
def test_other_forms_are_left_to_argparse(argv: list[str]) -> None:
    assert config._plain_options(argv) is None

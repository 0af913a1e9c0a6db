import pytest

from desktop.domain.task_name import MAX_NAME_BYTES, TaskNameError, clean_task_name


def test_trims() -> None:
    assert clean_task_name("  Write report \u3000") == "Write report"


def test_required() -> None:
    with pytest.raises(TaskNameError, match="name"):
        clean_task_name("   ")


def test_limit_counts_utf8_bytes_not_characters() -> None:
    assert clean_task_name("a" * MAX_NAME_BYTES) == "a" * MAX_NAME_BYTES
    assert clean_task_name("é" * 127) == "é" * 127  # 254 bytes
    with pytest.raises(TaskNameError, match="256 bytes"):
        clean_task_name("é" * 128)
    with pytest.raises(TaskNameError, match="too long"):
        clean_task_name("😀" * 64)  # 256 bytes in 64 characters


def test_control_characters_refused() -> None:
    with pytest.raises(TaskNameError, match="control"):
        clean_task_name("line\nbreak")


def test_unicode_kept() -> None:
    assert clean_task_name("مهمة 😀 Überprüfung") == "مهمة 😀 Überprüfung"


@pytest.mark.parametrize("text", ["Report \udcff", "\udcc3\udca9t\udce9", "\ud83d"])
def test_lone_surrogates_refused(text: str) -> None:
    """What Python makes of bytes that are not UTF-8 in argv, and a half emoji."""
    with pytest.raises(TaskNameError, match="not valid UTF-8"):
        clean_task_name(text)


def test_a_huge_name_is_refused_at_once() -> None:
    with pytest.raises(TaskNameError, match="10000000 bytes"):
        clean_task_name("x" * 10_000_000)

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

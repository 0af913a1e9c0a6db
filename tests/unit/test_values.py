"""desktop.values.Value, the value classes' base: every subclass names the fields its
`__init__` takes, compares, prints, copies and reads back as a dataclass did."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import desktop
from desktop.api.models import Me, TaskChanges, Workspace
from desktop.values import Value


def value_classes() -> list[type[Value]]:
    for module in pkgutil.walk_packages(desktop.__path__, "desktop."):
        if not module.name.startswith(("desktop.ui", "desktop.cli", "desktop.__main__")):
            importlib.import_module(module.name)

    def below(cls: type[Value]) -> list[type[Value]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    return below(Value)


def test_every_value_class_names_the_fields_its_init_takes_in_order() -> None:
    classes = value_classes()
    assert {c.__name__ for c in classes} >= {"Task", "TaskDraft", "OutboxRow", "Failure"}
    for cls in classes:
        taken = tuple(inspect.signature(cls.__init__).parameters)[1:]
        assert cls._fields == taken, cls
        assert cls.__slots__ == cls._fields, cls


def test_values_are_equal_by_class_and_fields_and_not_hashable() -> None:
    assert Workspace(1, "A") == Workspace(1, "A")
    assert Workspace(1, "A") != Workspace(1, "B")
    assert Workspace(1, "A") != (1, "A", None)
    with pytest.raises(TypeError):
        hash(Workspace(1, "A"))


def test_the_repr_leaves_hidden_fields_out() -> None:
    me = Me(7, "a@b.c", "Ann", api_token="secret-token")
    assert "secret-token" not in repr(me)
    assert repr(me).startswith("Me(id=7, email='a@b.c'")


def test_replace_makes_a_checked_copy_and_as_dict_reads_the_fields() -> None:
    changes = TaskChanges(name="New")
    assert changes.replace(active=False) == TaskChanges(name="New", active=False)
    assert changes == TaskChanges(name="New")  # the original is left as it was
    with pytest.raises(ValueError, match="both set and clear"):
        TaskChanges(user_id=5).replace(clear_assignee=True)
    with pytest.raises(TypeError, match="no field 'colour'"):
        changes.replace(colour="red")
    assert Workspace(1, "A").as_dict() == {"id": 1, "name": "A", "premium": None}

"""`Value`: the base of the value classes on the way to the window's first paint, in place of
`@dataclass(slots=True)`.

A dataclass compiles its generated methods (`__init__`, `__repr__`, `__eq__`) when its class is
made: ~0.45 ms a class on Python 3.11, 5.5 ms for the eleven the first paint imported (Toggl's
values in `desktop.api.models`, `Failure`, `OutboxRow`, `ProjectChoices`). A `Value` subclass
names its fields once, in order (`_fields`, also its `__slots__`), and writes its `__init__`;
equality, repr and what `dataclasses.replace`, `asdict` and `fields` read come from here, so
they behave as the dataclasses did. (The first paint does not load `dataclasses` either: the
fields are made when those functions first ask for them.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from dataclasses import Field


class _Fields:
    """A `Value` class's `__dataclass_fields__`: made on first read, once per class."""

    def __init__(self) -> None:
        self._made: dict[type, dict[str, Field[object]]] = {}

    def __get__(self, instance: object, owner: type[Value]) -> dict[str, Field[object]]:
        if owner not in self._made:
            self._made[owner] = _fields_of(owner)
        return self._made[owner]


def _fields_of(owner: type[Value]) -> dict[str, Field[object]]:
    import dataclasses

    kind = getattr(dataclasses, "_FIELD")  # noqa: B009 - the marker of a plain field
    made: dict[str, Field[object]] = {}
    for name in owner._fields:
        field = dataclasses.field(repr=name not in owner._hidden)
        field.name, field.type, field._field_type = name, object, kind
        made[name] = field
    return made


class Value:
    """Equality with the same class, field by field (unhashable, as a mutable dataclass), a
    repr of the fields not in `_hidden`, and a dataclass's `__dataclass_fields__`. Never
    changed once built, like every value class of the app: they cross threads read-only."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    __hash__ = None  # type: ignore[assignment]
    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, Field[object]]]
    else:
        __dataclass_fields__ = _Fields()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = [f"{n}={getattr(self, n)!r}" for n in self._fields if n not in self._hidden]
        return f"{type(self).__qualname__}({', '.join(shown)})"

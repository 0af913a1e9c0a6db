"""`Value`: the base of the value classes on the way to the window's first paint, in place of
`@dataclass(slots=True)`.

A dataclass compiles its generated methods (`__init__`, `__repr__`, `__eq__`) when its class is
made: ~0.45 ms a class on Python 3.11, 5.5 ms for the eleven the first paint imported (Toggl's
values in `desktop.api.models`, `Failure`, `OutboxRow`, `ProjectChoices`). A `Value` subclass
names its fields once, in order (`_fields`, also its `__slots__`), and writes its `__init__`;
equality, repr, `replace` and `as_dict` come from here (the first paint does not load
`dataclasses` at all)."""

from __future__ import annotations

from typing import ClassVar, Self


class Value:
    """Equality with the same class, field by field (unhashable, as a mutable dataclass), a
    repr of the fields not in `_hidden`, `replace` and `as_dict`. Never changed once built,
    like every value class of the app: they cross threads read-only."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    __hash__ = None  # type: ignore[assignment]

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

    def replace(self, **changes: object) -> Self:
        """A copy with `changes` (checked by the class's `__init__`, as a new value is)."""
        unknown = changes.keys() - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {sorted(unknown)[0]!r}")
        fields = {name: getattr(self, name) for name in self._fields}
        return type(self)(**(fields | changes))

    def as_dict(self) -> dict[str, object]:
        """The fields by name (values as they are, not copied)."""
        return {name: getattr(self, name) for name in self._fields}

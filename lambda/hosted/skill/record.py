"""Small read-only records for content and speech.

typing.NamedTuple would do, but each one costs a Lambda cold start about 60 µs to
define, and content and speech need seven: plain slotted classes cost next to
nothing. Fields are given by position or name, with defaults from `defaults`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Record:
    __slots__: tuple[str, ...] = ()
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *values: Any, **named: Any):
        given = dict(zip(self.__slots__, values), **named)
        for field in self.__slots__:
            object.__setattr__(self, field, given[field] if field in given
                               else self.defaults[field])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, field) == getattr(other, field) for field in self.__slots__)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(getattr(self, field) for field in self.__slots__)))

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={getattr(self, field)!r}" for field in self.__slots__)
        return f"{type(self).__name__}({fields})"

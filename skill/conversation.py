"""The state of one conversation, kept in the session attributes in one place.

A handler reads and changes this object; the interceptors in skill.interceptors
load it from the session before the handler and store it after. Nothing else
touches the session attributes, so the whole state is visible here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Optional

SESSION_KEY = "cramp_coach"


@dataclass
class RoutineState:
    """Where a person is in a routine: which one, which step, for which muscle."""

    name: str
    step: int = 0
    muscle: str = "calf"
    paused: bool = False
    started_at: Optional[float] = None  # request time (epoch s) the routine began

    def finished(self, step_count: int) -> bool:
        return self.step >= step_count

    @classmethod
    def from_dict(cls, data: dict) -> "RoutineState":
        """Rebuild from session attributes, refusing fields of the wrong type."""
        state = cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
        if not (isinstance(state.name, str) and isinstance(state.muscle, str)
                and type(state.step) is int and state.step >= 0
                and isinstance(state.paused, bool)
                and (state.started_at is None
                     or isinstance(state.started_at, (int, float)))):
            raise ValueError("malformed routine state")
        return state


@dataclass
class Conversation:
    routine: Optional[RoutineState] = None
    offer: Optional[str] = None         # what a "yes" now accepts, e.g. "prevention:2"
    last_speech: Optional[str] = None   # SSML last said, for "repeat"
    last_reprompt: Optional[str] = None
    disclaimer_given: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> "Conversation":
        """Rebuild the state from session attributes; anything malformed starts afresh."""
        if not isinstance(data, dict):
            return cls()
        try:
            routine = data.get("routine")
            return cls(
                routine=RoutineState.from_dict(routine) if isinstance(routine, dict) else None,
                offer=_text_or_none(data.get("offer")),
                last_speech=_text_or_none(data.get("last_speech")),
                last_reprompt=_text_or_none(data.get("last_reprompt")),
                disclaimer_given=data.get("disclaimer_given") is True,
            )
        except (TypeError, ValueError):
            return cls()


def _text_or_none(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None

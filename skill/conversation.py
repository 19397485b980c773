"""The state of one conversation, kept in the session attributes in one place.

A handler reads and changes this object; the interceptors in skill.interceptors
load it from the session before the handler and store it after. Nothing else
touches the session attributes, so the whole state is visible here.
(Plain classes rather than dataclasses: importing dataclasses costs a Lambda
cold start about 10 ms.)
"""

from __future__ import annotations

from typing import Optional

from skill.speech import Segment, from_data, to_data

SESSION_KEY = "cramp_coach"


class RoutineState:
    """Where a person is in a routine: which one, which step, for which muscle."""

    __slots__ = ("name", "step", "muscle", "paused", "started_at")

    def __init__(self, name: str, step: int = 0, muscle: str = "calf", paused: bool = False,
                 started_at: Optional[float] = None):
        self.name = name
        self.step = step
        self.muscle = muscle
        self.paused = paused
        self.started_at = started_at  # request time (epoch s) the routine began

    def finished(self, step_count: int) -> bool:
        return self.step >= step_count

    def to_dict(self) -> dict:
        return {field: getattr(self, field) for field in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict) -> "RoutineState":
        """Rebuild from session attributes, refusing fields of the wrong type."""
        state = cls(**{field: data[field] for field in cls.__slots__ if field in data})
        if not (isinstance(state.name, str) and isinstance(state.muscle, str)
                and type(state.step) is int and state.step >= 0
                and isinstance(state.paused, bool)
                and (state.started_at is None
                     or type(state.started_at) in (int, float))):
            raise ValueError("malformed routine state")
        return state


class Conversation:
    __slots__ = ("routine", "offer", "last_said", "last_reprompt", "last_urgent",
                 "disclaimer_given", "misses", "helped", "point_stored")

    def __init__(self, routine: Optional[RoutineState] = None, offer: Optional[str] = None,
                 last_said: Optional[list[Segment]] = None,
                 last_reprompt: Optional[list[Segment]] = None, last_urgent: bool = False,
                 disclaimer_given: bool = False, misses: int = 0, helped: bool = False,
                 point_stored: bool = False):
        self.routine = routine
        self.offer = offer                  # what a "yes" now accepts, e.g. "prevention:2"
        self.last_said = last_said          # what was last said, for "repeat"
        self.last_reprompt = last_reprompt
        self.last_urgent = last_urgent      # it was urgent advice: repeat it in the normal voice
        self.disclaimer_given = disclaimer_given
        self.misses = misses                # things not understood in a row
        self.helped = helped                # help was given: its disclaimer is not said again
        self.point_stored = point_stored    # a resume point is stored: delete it when done

    def to_dict(self) -> dict:
        return {"routine": self.routine.to_dict() if self.routine else None,
                "offer": self.offer,
                "last_said": to_data(self.last_said) if self.last_said else None,
                "last_reprompt": to_data(self.last_reprompt) if self.last_reprompt else None,
                "last_urgent": self.last_urgent,
                "disclaimer_given": self.disclaimer_given,
                "misses": self.misses,
                "helped": self.helped,
                "point_stored": self.point_stored}

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
                last_said=from_data(data.get("last_said")),
                last_reprompt=from_data(data.get("last_reprompt")),
                last_urgent=data.get("last_urgent") is True,
                disclaimer_given=data.get("disclaimer_given") is True,
                misses=_count(data.get("misses")),
                helped=data.get("helped") is True,
                point_stored=data.get("point_stored") is True,
            )
        except (TypeError, ValueError):
            return cls()


def _count(value: object) -> int:
    return value if type(value) is int and 0 <= value < 100 else 0


def _text_or_none(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None

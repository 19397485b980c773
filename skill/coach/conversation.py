"""The state of one conversation, kept in the session attributes in one place.

A move (skill.coach.moves) reads and changes this object; the interceptors in
skill.alexa.interceptors load it from the session before the move and store it
after. Nothing else touches the session attributes, so the whole state is
visible here, and every mode the conversation can be in is named once (Offer).
(Plain classes rather than dataclasses: importing dataclasses costs a Lambda
cold start about 10 ms.)
"""

from __future__ import annotations

import json
from typing import Any, Optional

from skill.speech import MAX_SSML_CHARS

SESSION_KEY = "cramp_coach"
SAID_KEY = "cramp_coach_said"          # what was last said, kept as its own string
REPROMPT_KEY = "cramp_coach_reprompt"
SPOKEN = {"last_said": SAID_KEY, "last_reprompt": REPROMPT_KEY}
SESSION_KEYS = (SESSION_KEY, SAID_KEY, REPROMPT_KEY)
MAX_SESSION_CHARS = 64 * 1024  # Alexa's whole response is at most 24 KB


class Offer:
    """What the conversation is waiting for: what a "yes" (or the next words) now
    answers. Conversation.offer is one of these, or an answer's part
    ("prevention:2", from part_of) or a topic or routine an answer offered (its
    content key), or None. The values are what sessions carry: never rename one."""

    RESUME = "resume"                      # back to the routine in progress
    WELCOME_BACK = "welcome_back"          # carry on where a closed session left off
    THIGH_SIDE = "thigh"                   # "the front or the back of your thigh?"
    SIGN_CHECK = "sign_check"              # "is your leg swollen, red or warm...?"
    LONG_CRAMP_CHECK = "long_cramp_check"  # the same, ten minutes into a cramp
    SEATED = "seated"                      # dizzy or fallen: carry on sitting, when ready
    CHECKS = (SIGN_CHECK, LONG_CRAMP_CHECK)

    @staticmethod
    def part_of(answer: str, part: int) -> str:
        """The offer of an answer's next part."""
        return f"{answer}:{part}"

    @staticmethod
    def topic_and_part(offer: Optional[str]) -> tuple[str, int]:
        """An offer read back: the topic (an answer or routine key) and the part."""
        topic, _, part = (offer or "").partition(":")
        return topic, int(part) if part.isdigit() else 0


class RoutineState:
    """Where a person is in a routine: which one, which step, for which muscle."""

    __slots__ = ("name", "step", "muscle", "paused", "started_at")

    name: str
    step: int
    muscle: str
    paused: bool
    started_at: Optional[float]

    def __init__(self, name: str, step: int = 0, muscle: str = "calf", paused: bool = False,
                 started_at: Optional[float] = None):
        self.name = name
        self.step = step
        self.muscle = muscle
        self.paused = paused
        self.started_at = started_at  # request time (epoch s) the routine began

    def finished(self, step_count: int) -> bool:
        return self.step >= step_count

    def to_dict(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RoutineState":
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
    """Everything a session remembers between turns."""

    __slots__ = ("routine", "offer", "last_said", "last_reprompt", "last_urgent",
                 "disclaimer_given", "misses", "helped", "point_stored", "urgent", "told",
                 "hurts")
    routine: Optional[RoutineState]
    offer: Optional[str]
    last_said: Optional[str]
    last_reprompt: Optional[str]
    last_urgent: bool
    disclaimer_given: bool
    misses: int
    helped: bool
    point_stored: bool
    urgent: Optional[str]
    told: list[str]
    hurts: int

    def __init__(self, routine: Optional[RoutineState] = None, offer: Optional[str] = None,
                 last_said: Optional[str] = None,
                 last_reprompt: Optional[str] = None, last_urgent: bool = False,
                 disclaimer_given: bool = False, misses: int = 0, helped: bool = False,
                 point_stored: bool = False, urgent: Optional[str] = None,
                 told: Optional[list[str]] = None, hurts: int = 0):
        self.routine = routine
        self.offer = offer                  # what a "yes" now accepts (Offer)
        self.last_said = last_said          # what was last said (rendered SSML), for "repeat"
        self.last_reprompt = last_reprompt
        self.last_urgent = last_urgent      # it was urgent advice: repeat it in the normal voice
        self.disclaimer_given = disclaimer_given
        self.misses = misses                # things not understood in a row
        self.helped = helped                # help was given: its disclaimer is not said again
        self.point_stored = point_stored    # a resume point is stored: delete it when done
        self.urgent = urgent                # the urgent advice given this session (an answer
                                            # key): final, no routine follows it
        self.told = told or []              # said once a session: a step's caveat
                                            # ("caveat:warmth"), the barge-in tip, an offer
        self.hurts = hurts                  # "it still hurts" so far: its bridge varies

    def once(self, name: str) -> bool:
        """True the first time a session asks about `name`, which it then remembers."""
        if name in self.told:
            return False
        self.told.append(name)
        return True

    def to_dict(self) -> dict[str, Any]:
        """Only what differs from a new conversation: less to send and to read back."""
        state = {field: getattr(self, field) for field in self.__slots__ if field != "routine"}
        if self.routine:
            state["routine"] = self.routine.to_dict()
        return {field: value for field, value in state.items() if value}

    def to_session(self) -> dict[str, Any]:
        """The session attributes that carry the state: the small state as one JSON
        string, and what was last said as strings of their own. The SDK writes a
        string in one step but walks a nested structure node by node, and the
        speech would only make the JSON slow to write and read on every turn."""
        state = self.to_dict()
        spoken = {key: state.pop(field) for field, key in SPOKEN.items() if field in state}
        return {SESSION_KEY: json.dumps(state), **spoken}

    @classmethod
    def from_session(cls, attributes: object) -> "Conversation":
        """The state back from the session attributes (the state itself was a plain
        dict in sessions begun before it was a JSON string)."""
        if not isinstance(attributes, dict):
            return cls()
        saved = attributes.get(SESSION_KEY)
        if isinstance(saved, str):
            if len(saved) > MAX_SESSION_CHARS:
                return cls()
            try:
                saved = json.loads(saved)
            except (ValueError, RecursionError):
                return cls()
        if isinstance(saved, dict):
            saved = {**saved, **{field: attributes.get(key) for field, key in SPOKEN.items()
                                 if key in attributes}}
        return cls.from_dict(saved)

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
                last_said=_ssml_or_none(data.get("last_said")),
                last_reprompt=_ssml_or_none(data.get("last_reprompt")),
                last_urgent=data.get("last_urgent") is True,
                disclaimer_given=data.get("disclaimer_given") is True,
                misses=_count(data.get("misses")),
                helped=data.get("helped") is True,
                point_stored=data.get("point_stored") is True,
                urgent=_text_or_none(data.get("urgent")),
                told=_names(data.get("told")),
                hurts=_count(data.get("hurts")),
            )
        except (TypeError, ValueError):
            return cls()


def _count(value: object) -> int:
    return value if type(value) is int and 0 <= value < 100 else 0


MAX_TOLD = 32  # a few dozen short names at most: anything more is not ours


def _names(value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TOLD:
        return []
    return [name for name in value if isinstance(name, str) and len(name) <= 64]


def _ssml_or_none(value: object) -> Optional[str]:
    """Speech kept for "repeat"; checked (speech.is_safe_inner) only when it is used."""
    return value if isinstance(value, str) and len(value) < MAX_SSML_CHARS else None


def _text_or_none(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None

"""The resume point: where a person was in a routine, kept for 15 minutes.

When Alexa closes the session mid-routine (silence, "stop", another request),
the routine, muscle, step and the time the cramp began are saved beside the
preferences, so that reopening the skill can offer to carry on. Nothing else is
kept: no utterances, no answers, nothing about health beyond that place in the
routine. The point is deleted when the routine ends, when it is found expired,
and by "forget me"; the stores also drop expired points on their own (DynamoDB's
TTL attribute, a purge in SQLite).
"""

from __future__ import annotations

from typing import Any, Optional

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.coach.conversation import RoutineState

RESUME_SECONDS = 15 * 60
EXPIRES_AT = "expires_at"  # epoch seconds; DynamoDB's TTL attribute has the same name
FIELDS = ("name", "step", "muscle", "started_at")


class ResumePoints:
    """Saves, finds and deletes resume points in a store of their own kind."""

    def __init__(self, adapter: AbstractPersistenceAdapter):
        self.adapter = adapter

    def save(self, request_envelope, state: RoutineState, now: float) -> None:
        point = {"name": state.name, "step": state.step, "muscle": state.muscle,
                 # whole seconds: DynamoDB stores no floats
                 "started_at": int(state.started_at if state.started_at is not None else now),
                 EXPIRES_AT: int(now) + RESUME_SECONDS}
        self.adapter.save_attributes(request_envelope, point)

    def find(self, request_envelope, now: float) -> Optional[RoutineState]:
        """The routine state saved less than 15 minutes ago, or None.

        An expired or malformed point is deleted on sight.
        """
        point: dict[str, Any] = self.adapter.get_attributes(request_envelope)
        if not point:
            return None
        try:
            expires_at = int(point[EXPIRES_AT])
            state = RoutineState.from_dict(
                {field: _plain(point[field]) for field in FIELDS})
        except (KeyError, TypeError, ValueError):
            state, expires_at = None, 0
        if state is None or now >= expires_at:
            self.adapter.delete_attributes(request_envelope)
            return None
        return state

    def delete(self, request_envelope) -> None:
        self.adapter.delete_attributes(request_envelope)


def _plain(value):
    """DynamoDB hands numbers back as Decimal: whole numbers become int again."""
    if type(value).__name__ == "Decimal":
        return int(value)
    return value

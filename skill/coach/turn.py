"""Turn: the one object a move reads and changes, built afresh for each request.

The SDK layer (skill.alexa.interceptors) fills it in before the move and reads
it back after: the content of the request's locale, the conversation from the
session, the request's own time and the device's time zone, whether it is night
there, the screen, the slots as resolved ids, the resume point found in the
store, and what the store did. A move needs nothing else, so it runs without
the SDK.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Optional

from skill.coach.conversation import Conversation, RoutineState
from skill.content import Content


class Turn:
    __slots__ = ("content", "conversation", "now", "zone", "night", "screen", "slots",
                 "resume_point", "store_failed", "disclaimer_heard", "preferences_deleted",
                 "missed", "keeps_place")

    def __init__(self, content: Content, conversation: Optional[Conversation] = None,
                 now: float = 0.0, *, zone: Optional[tzinfo] = None, night: bool = False,
                 screen: bool = False, slots: Optional[dict[str, Optional[str]]] = None,
                 resume_point: Optional[RoutineState] = None, store_failed: bool = False,
                 disclaimer_heard: bool = False):
        self.content = content
        self.conversation = conversation if conversation is not None else Conversation()
        self.now = now                    # the request's own time (epoch s): replays are exact
        self.zone = zone                  # the device's time zone, when the Settings API said
        self.night = night                # late where the device is: the softer, slower voice
        self.screen = screen              # the device renders APL: replies carry a card
        self.slots = slots or {}          # slot name -> resolved id (upper case) or None
        self.resume_point = resume_point  # the routine a closed session left, if still fresh
        self.store_failed = store_failed  # the store failed this request: spare it
        self.disclaimer_heard = disclaimer_heard  # the preferences say it was heard before
        self.preferences_deleted = False  # "forget me" deleted everything stored
        self.missed = False               # this turn was not understood
        self.keeps_place = False          # a store keeps the resume point for 15 minutes

    def slot(self, name: str) -> Optional[str]:
        """A slot's resolved id, or None when it did not resolve (or was not said)."""
        return self.slots.get(name)

"""The records content is made of: plain read-only data a move reads.

Fields are annotated for the type checker; the annotations cost nothing at run
time (they stay strings).
"""

from __future__ import annotations

from typing import Optional

from skill.record import Record
from skill.speech import Segment


class Line(Record):
    """Something the skill says (say: segments), with the sources that back it."""

    __slots__ = ("say", "sources")
    defaults = {"sources": ()}
    say: tuple[Segment, ...]
    sources: tuple[str, ...]


class Hold(Record):
    """The timed part of a step: counted silence in pieces Alexa allows, ending in a
    chime (say); the prompt when the step is returned to without it (again); its
    kind ("stretch": where "it still hurts" starts again)."""

    __slots__ = ("say", "again", "kind")
    defaults = {"kind": None}
    say: tuple[Segment, ...]
    again: str
    kind: Optional[str]


class Step(Record):
    """One instruction of a routine, what to say next, and its reprompt.

    `words` are the instruction itself; `say` is the whole step as first
    spoken: the instruction, then its timed part (`hold`), if it has one.
    `intro` is a bridge ("Let's ease that cramp.") said only with no lead;
    `place` is where the person was ("You were on the massage."); `standing`
    marks a step done on one's feet, which "I can't stand" must lead away from;
    `caveat` is said after the words the first time the step is heard in a
    session only; a step that `flows` runs straight on into the next one, in the
    same answer (holds that need no decision between them).
    """

    __slots__ = ("id", "words", "hold", "intro", "place", "standing", "prompt", "reprompt",
                 "sources", "caveat", "flows")
    defaults = {"caveat": (), "flows": False}
    id: str
    words: tuple[Segment, ...]
    hold: Optional[Hold]
    intro: Optional[str]
    place: str
    standing: bool
    prompt: str
    reprompt: str
    sources: tuple[str, ...]
    caveat: tuple[Segment, ...]
    flows: bool

    @property
    def say(self) -> tuple[Segment, ...]:
        return self.words + self.caveat + (self.hold.say if self.hold else ())


class Routine(Record):
    """Steps in order, the answer that finishes them, the seated variant if any,
    and whether it eases a cramp now (relief: the cramp's ten-minute clock applies)."""

    __slots__ = ("name", "steps", "finish", "seated", "relief")
    defaults = {"seated": None, "relief": True}
    name: str
    steps: tuple[Step, ...]
    finish: str
    seated: Optional[str]
    relief: bool


class Answer(Record):
    """An answer in one or more parts (tiers, tips), and what to offer after it:
    intro, a bridge ("Well done.") said only with no lead; offer, the topic or
    routine a "yes" leads to; ask, the phrase that offers it; more, the phrase
    that offers the next part; urgent, advice that stops the routine and is never
    softened by the night voice; serious, an answer that names a call to make
    ("when to see a doctor"): never softened either, and the disclaimer waits."""

    __slots__ = ("parts", "intro", "offer", "ask", "more", "urgent", "serious")
    defaults = {"intro": None, "offer": None, "ask": None, "more": None, "urgent": False,
                "serious": False}
    parts: tuple[Line, ...]
    intro: Optional[str]
    offer: Optional[str]
    ask: Optional[str]
    more: Optional[str]
    serious: bool
    urgent: bool

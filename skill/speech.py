"""SSML for everything the skill says.

Alexa rejects a response whose SSML is invalid, whose single <break> is longer
than 10 seconds, or whose speech is over 8,000 characters: a person mid-cramp
would hear nothing. Every response is therefore built here, from content
segments (plain text, or a pause in whole seconds), and checked on the way out.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Optional, Union

MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000


class Pause(NamedTuple):
    """A silence inside speech, such as the seconds of a counted hold."""

    seconds: int

    @classmethod
    def of(cls, seconds: object) -> "Pause":
        if type(seconds) is not int or not 0 < seconds <= MAX_BREAK_SECONDS:
            raise ValueError(f"a pause must be 1 to {MAX_BREAK_SECONDS} s, not {seconds!r}")
        return cls(seconds)


# xml.sax.saxutils would do this too, but importing it pulls in urllib and the
# email package: about 30 ms of every Lambda cold start.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: str) -> str:
    for character, entity in _ESCAPES:
        text = text.replace(character, entity)
    return text


def unescape(text: str) -> str:
    for character, entity in reversed(_ESCAPES):
        text = text.replace(entity, character)
    return text


Segment = Union[str, Pause]


class SpeechTooLong(ValueError):
    """Raised instead of sending speech that Alexa would refuse."""


def to_data(segments: Iterable[Segment]) -> list:
    """Segments as JSON data, for the session: text, or {"pause": seconds}."""
    return [{"pause": segment.seconds} if isinstance(segment, Pause) else segment
            for segment in segments]


def segment_of(item: object) -> Segment:
    """One segment from JSON data (content files, session attributes): text, or
    {"pause": seconds}. Anything else, or a pause out of bounds, is a ValueError."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and set(item) == {"pause"}:
        return Pause.of(item["pause"])
    raise ValueError(f"not a segment: {item!r}")


def from_data(data: object) -> Optional[list[Segment]]:
    """Segments back from session data; None if anything in it is not a segment.

    Session attributes come back in the request, so they are checked, never
    trusted: text is escaped again when rendered and pauses are re-validated.
    """
    if not isinstance(data, list):
        return None
    try:
        return [segment_of(item) for item in data]
    except ValueError:
        return None


def render(segments: Iterable[Segment]) -> str:
    """Turn segments into the inner SSML of a <speak> element.

    Text is escaped, so '&' or a hostile '</speak>' in content or slot values
    can never break the document.
    """
    parts = []
    for segment in segments:
        if isinstance(segment, Pause):
            parts.append(f'<break time="{segment.seconds}s"/>')
        elif segment and segment.strip():
            parts.append(escape(segment.strip()))
    return " ".join(parts)


def finish(inner: str, night: bool = False) -> str:
    """The SSML to send: softer and a little slower at night, and never too long."""
    if night:
        inner = f'<prosody volume="soft" rate="90%">{inner}</prosody>'
    if len(inner) + len("<speak></speak>") > MAX_SSML_CHARS:
        raise SpeechTooLong(f"{len(inner)} characters of SSML")
    return inner


def ssml_to_text(ssml: str) -> str:
    """What a reader sees of SSML: the words, with each pause shown as (pause N s)."""
    text = re.sub(r'<break time="(\d+)s"/>', r"(pause \1 s)", ssml)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text).strip()

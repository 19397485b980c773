"""SSML for everything the skill says.

Alexa rejects a response whose SSML is invalid, whose single <break> is longer
than 10 seconds, whose speech is over 8,000 characters or that plays more than
five sounds: a person mid-cramp would hear nothing. Every response is therefore
built here, from content segments (plain text, a pause in whole seconds, or a
sound from Alexa's own library), and checked on the way out.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Optional, Union

MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000
MAX_SOUNDS = 5
# Sounds a segment may name: Alexa's sound library only, never a URL from data.
SOUNDS = {"chime": "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"}
_AUDIO = re.compile(r'(<audio src="[^"]*"/>)')


class Pause(NamedTuple):
    """A silence inside speech, such as the seconds of a counted hold."""

    seconds: int

    @classmethod
    def of(cls, seconds: object) -> "Pause":
        if type(seconds) is not int or not 0 < seconds <= MAX_BREAK_SECONDS:
            raise ValueError(f"a pause must be 1 to {MAX_BREAK_SECONDS} s, not {seconds!r}")
        return cls(seconds)


class Sound(NamedTuple):
    """A short sound from Alexa's library, such as the chime that ends a hold."""

    name: str

    @classmethod
    def of(cls, name: object) -> "Sound":
        if not isinstance(name, str) or name not in SOUNDS:
            raise ValueError(f"a sound must be one of {sorted(SOUNDS)}, not {name!r}")
        return cls(name)


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


Segment = Union[str, Pause, Sound]


class SpeechTooLong(ValueError):
    """Raised instead of sending speech that Alexa would refuse."""


def to_data(segments: Iterable[Segment]) -> list:
    """Segments as JSON data, for the session: text, {"pause": seconds} or {"sound": name}."""
    return [{"pause": segment.seconds} if isinstance(segment, Pause)
            else {"sound": segment.name} if isinstance(segment, Sound) else segment
            for segment in segments]


def segment_of(item: object) -> Segment:
    """One segment from JSON data (content files, session attributes): text,
    {"pause": seconds} or {"sound": name}. Anything else, a pause out of bounds
    or an unknown sound, is a ValueError."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and set(item) == {"pause"}:
        return Pause.of(item["pause"])
    if isinstance(item, dict) and set(item) == {"sound"}:
        return Sound.of(item["sound"])
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
        elif isinstance(segment, Sound):
            parts.append(f'<audio src="{SOUNDS[segment.name]}"/>')
        elif segment and segment.strip():
            parts.append(escape(segment.strip()))
    return " ".join(parts)


def finish(inner: str, night: bool = False) -> str:
    """The SSML to send: softer and a little slower at night, and never too long.

    A sound is left outside the night voice's <prosody>: it is not speech.
    """
    if inner.count("<audio ") > MAX_SOUNDS:
        raise SpeechTooLong(f"more than {MAX_SOUNDS} sounds")
    if night:
        inner = "".join(
            part if part.startswith("<audio ") or not part.strip()
            else f'<prosody volume="soft" rate="90%">{part.strip()}</prosody>'
            for part in _AUDIO.split(inner))
    if len(inner) + len("<speak></speak>") > MAX_SSML_CHARS:
        raise SpeechTooLong(f"{len(inner)} characters of SSML")
    return inner


def ssml_to_text(ssml: str) -> str:
    """What a reader sees of SSML: the words, each pause shown as (pause N s),
    each sound as (chime)."""
    text = re.sub(r'<break time="(\d+)s"/>', r"(pause \1 s)", ssml)
    for name, source in SOUNDS.items():
        text = text.replace(f'<audio src="{source}"/>', f"({name})")
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text).strip()

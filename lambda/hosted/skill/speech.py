"""SSML for everything the skill says.

Alexa rejects a response whose SSML is invalid, whose single <break> is longer
than 10 seconds, whose speech is over 8,000 characters or that plays more than
five sounds: a person mid-cramp would hear nothing. Every response is therefore
built here, from content segments (plain text, a pause of up to 10 s in tenths
of a second, or a sound from Alexa's own library), and checked on the way out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Union

from skill.record import Record

MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000
MAX_SOUNDS = 5
# Sounds a segment may name: Alexa's sound library only, never a URL from data.
SOUNDS = {"chime": "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"}
# Patterns are compiled on first use (the re module caches them), not at import:
# a Lambda cold start pays for every module-level compile.
_AUDIO = r'(<audio src="[^"]*"/>)'


class Pause(Record):
    """A silence inside speech, such as the seconds of a counted hold: whole seconds,
    or tenths (a count's marks fall on the true seconds once their own speaking
    time is taken from the silence after them)."""

    __slots__ = ("seconds",)
    seconds: float

    @classmethod
    def of(cls, seconds: object) -> "Pause":
        if not (isinstance(seconds, (int, float)) and not isinstance(seconds, bool)
                and 0.1 <= seconds <= MAX_BREAK_SECONDS and round(seconds * 10) == seconds * 10):
            raise ValueError(f"a pause must be 0.1 to {MAX_BREAK_SECONDS} s in tenths, "
                             f"not {seconds!r}")
        return cls(int(seconds) if float(seconds).is_integer() else float(seconds))


class Sound(Record):
    """A short sound from Alexa's library, such as the chime that ends a hold."""

    __slots__ = ("name",)
    name: str

    @classmethod
    def of(cls, name: object) -> "Sound":
        if not isinstance(name, str) or name not in SOUNDS:
            raise ValueError(f"a sound must be one of {sorted(SOUNDS)}, not {name!r}")
        return cls(name)


# xml.sax.saxutils would do this too, but importing it pulls in urllib and the
# email package: about 30 ms of every Lambda cold start.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# What XML 1.0 has no place for (its Char production), escaped or not: control
# characters but tab and line breaks, UTF-16 surrogates (a lone one in a Python
# str) and U+FFFE, U+FFFF. One of them anywhere makes the whole SSML invalid.
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML_CHARACTER = f"[{_NOT_XML}]"


def escape(text: str) -> str:
    """Text as SSML: markup characters escaped, characters XML can't carry dropped."""
    text = re.sub(_NOT_XML_CHARACTER, "", text)
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


def render(segments: Iterable[Segment]) -> str:
    """Turn segments into the inner SSML of a <speak> element.

    Text is escaped, so '&' or a hostile '</speak>' in content or slot values
    can never break the document.
    """
    return " ".join(filter(None, map(_ssml_of, segments)))


MAX_CACHED_TEXT = 400  # content sentences are shorter; longer text is rendered each time


def _ssml_of(segment: Segment) -> str:
    if isinstance(segment, str) and len(segment) > MAX_CACHED_TEXT:
        return escape(segment.strip())
    return _cached_ssml_of(segment)


@lru_cache(maxsize=2048)
def _cached_ssml_of(segment: Segment) -> str:
    """The SSML of one segment. Content is fixed text, so each sentence is escaped
    once, not on every request (bounded: at most 2,048 short segments are kept)."""
    if isinstance(segment, Pause):
        if isinstance(segment.seconds, int):
            return f'<break time="{segment.seconds}s"/>'
        return f'<break time="{round(segment.seconds * 1000)}ms"/>'
    if isinstance(segment, Sound):
        return f'<audio src="{SOUNDS[segment.name]}"/>'
    return escape(segment.strip())


def finish(inner: str, night: bool = False) -> str:
    """The SSML to send: softer and a little slower at night, and never too long:
    inside <speak>, less than 8,000 characters.

    A sound is left outside the night voice's <prosody>: it is not speech.
    """
    if inner.count("<audio ") > MAX_SOUNDS:
        raise SpeechTooLong(f"more than {MAX_SOUNDS} sounds")
    if night:
        inner = "".join(
            part if part.startswith("<audio ") or not part.strip()
            else f'<prosody volume="soft" rate="90%">{part.strip()}</prosody>'
            for part in re.split(_AUDIO, inner))
    if len(inner) + len("<speak></speak>") >= MAX_SSML_CHARS:
        raise SpeechTooLong(f"{len(inner)} characters of SSML")
    return inner


_SAFE_INNER = (f'(?:[^<>&{_NOT_XML}]|&(?:amp|lt|gt);|<break time="(?:[1-9]|10)s"/>|'
               '<break time="(?:[1-9]00|[1-9][0-9]00)ms"/>|'
               + "|".join(f'<audio src="{re.escape(source)}"/>' for source in SOUNDS.values())
               + ")*")


def is_safe_inner(ssml: object, night: bool = True) -> bool:
    """SSML as render() makes it, and nothing else: escaped text of characters
    XML allows, breaks of at most 10 s, sounds from our list; and sendable as it
    will be sent, finished (speech.finish) in the night voice unless `night` is
    False: no more than five sounds, and with <speak> and the night voice's
    prosody, less than 8,000 characters. What comes back from the session (for
    "repeat") is checked with this before it is spoken again."""
    if not (isinstance(ssml, str) and len(ssml) < MAX_SSML_CHARS
            and re.fullmatch(_SAFE_INNER, ssml) is not None):
        return False
    try:
        finish(ssml, night)
    except SpeechTooLong:
        return False
    return True


def ssml_to_text(ssml: str) -> str:
    """What a reader sees of SSML: the words, each pause shown as (pause N s),
    each sound as (chime)."""
    text = re.sub(r'<break time="(\d+)s"/>', r"(pause \1 s)", ssml)
    text = re.sub(r'<break time="(\d+)00ms"/>',
                  lambda found: f"(pause {int(found[1]) / 10:g} s)", text)
    for name, source in SOUNDS.items():
        text = text.replace(f'<audio src="{source}"/>', f"({name})")
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text).strip()

"""SSML for everything the skill says.

Alexa rejects a response whose SSML is invalid, whose single <break> is longer
than 10 seconds, or whose speech is over 8,000 characters: a person mid-cramp
would hear nothing. Every response is therefore built here, from content
segments (plain text, or a pause in whole seconds), and checked on the way out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Union
from xml.sax.saxutils import escape, unescape

MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000


@dataclass(frozen=True)
class Pause:
    """A silence inside speech, such as the seconds of a counted hold."""

    seconds: int

    def __post_init__(self):
        if not 0 < self.seconds <= MAX_BREAK_SECONDS:
            raise ValueError(
                f"a pause must be 1 to {MAX_BREAK_SECONDS} s, not {self.seconds}")


Segment = Union[str, Pause]


class SpeechTooLong(ValueError):
    """Raised instead of sending speech that Alexa would refuse."""


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

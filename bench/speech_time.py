"""How long Alexa takes to say a response, as a timeline: spans of talk, the
<break>s, the sounds, and the moments a person acts on (a counted hold's first
pause and its marks, its closing chime, the cue that says what to say next).

Talk is timed by per-voice constants fitted against a real speech engine
(espeak-ng at Alexa's rate; `bench/calibrate_speech.py` writes them to
`bench/speech_calibration.json`): seconds per span, syllable, word, comma and
sentence end, divided by the `<prosody rate>` in force (the features are the
skill's own, skill/display/pace.py, which times its cards' countdowns alike). Breaks and sounds are
exact. This module needs only the data, never the engine, so the benchmark
runs anywhere.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from skill.display.pace import FEATURES, features, syllables  # noqa: E402,F401  (one timing)

CALIBRATION = Path(__file__).resolve().with_name("speech_calibration.json")
# SSML's named rates have no figure in Alexa's documentation: these are the
# usual steps of engines that do name them (Polly: "medium" is the voice's own).
NAMED_RATES = {"x-slow": 0.6, "slow": 0.8, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}
MARK_WORDS = 6   # the most words a spoken mark inside a hold has ("Ten seconds. Keep breathing.")
HOLD_PAUSE_S = 5.0  # the least silence a run must hold to be a counted or timed hold
TALK_BREAK_S = 1.0  # a pause this long ends a stretch of uninterrupted talk


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The fitted constants (bench/speech_calibration.json), read once."""
    return json.loads(CALIBRATION.read_text(encoding="utf-8"))


def voice_for(locale: str) -> str:
    """The engine voice a locale was calibrated with (its language's, failing that)."""
    data = calibration()
    return data["locales"].get(locale) or data["languages"][locale.split("-")[0].lower()]


# ---------------------------------------------------------------- talk
def talk_seconds(text: str, voice: str, rate: float = 1.0) -> float:
    """How long the engine speaks `text`, first sound to last, at `rate` (1.0 is
    Alexa's own; the night voice is 0.9)."""
    constants = calibration()["voices"][voice]
    counted = features(text, constants["language"])
    if not counted["span"]:
        return 0.0
    return sum(constants["seconds"][name] * counted[name] for name in FEATURES) / rate


# ---------------------------------------------------------------- the timeline
@dataclass(frozen=True)
class Item:
    """One piece of a response: talk (its words), a pause, or a sound (its source)."""

    kind: str      # "talk", "pause" or "audio"
    start: float
    seconds: float
    text: str = ""
    rate: float = 1.0

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Hold:
    """A counted (or timed) hold: silence kept by short marks, closed by a sound.
    `start` is when its first pause begins (the count's zero), `chime` when the
    closing sound starts."""

    start: float
    chime: float
    marks: tuple[tuple[float, str], ...]
    pause_seconds: float

    @property
    def seconds(self) -> float:
        """The hold as the person lives it: its pauses and its marks' own talk."""
        return self.chime - self.start


@dataclass
class Timeline:
    items: list[Item] = field(default_factory=list)
    voice: str = ""

    @property
    def seconds(self) -> float:
        return self.items[-1].end if self.items else 0.0

    def shifted(self, offset: float) -> "Timeline":
        return Timeline([Item(item.kind, item.start + offset, item.seconds, item.text, item.rate)
                         for item in self.items], self.voice)

    def then(self, other: "Timeline") -> "Timeline":
        """This timeline followed by another (speech in the document after outputSpeech)."""
        return Timeline(self.items + other.shifted(self.seconds).items, self.voice or other.voice)

    def holds(self) -> list[Hold]:
        """Every run of pauses and short marks that ends in a sound, with at least
        HOLD_PAUSE_S of silence in it."""
        found = []
        for index, item in enumerate(self.items):
            if item.kind != "audio":
                continue
            first = index
            while first > 0:
                before = self.items[first - 1]
                if before.kind == "pause" or (before.kind == "talk" and before.words <= MARK_WORDS):
                    first -= 1
                else:
                    break
            run = self.items[first:index]
            while run and run[0].kind == "talk":  # the count starts with its first silence
                run = run[1:]
            silence = sum(part.seconds for part in run if part.kind == "pause")
            if run and silence >= HOLD_PAUSE_S:
                found.append(Hold(run[0].start, item.start,
                                  tuple((part.start, part.text) for part in run
                                        if part.kind == "talk"), silence))
        return found

    def time_of(self, pattern: str) -> Optional[float]:
        """When the first talk matching a regular expression starts to be said."""
        for item in self.items:
            if item.kind != "talk":
                continue
            found = re.search(pattern, item.text)
            if found:
                before = item.text[:found.start()]
                return item.start + (talk_seconds(before, self.voice, item.rate)
                                     if before.strip() else 0.0)
        return None

    def events(self, cue: Optional[str] = None) -> dict[str, Optional[float]]:
        """When the marked moments of the first hold come (its first pause, its first
        spoken mark, its closing chime) and the cue, matched by `cue`; None for
        what the speech does not have."""
        holds = self.holds()
        first = holds[0] if holds else None
        return {"hold_start": first.start if first else None,
                "first_mark": first.marks[0][0] if first and first.marks else None,
                "hold_end": first.chime if first else None,
                "cue": self.time_of(cue) if cue else None}

    def talk_stretches(self, cue: Optional[str] = None) -> list[float]:
        """Seconds of each stretch of uninterrupted talk: talk and pauses shorter
        than TALK_BREAK_S, ended by a longer pause, a sound, a count mark or the
        cue (the sentence, matched by `cue`, that says what to say next)."""
        marks = {start for hold in self.holds() for start, _ in hold.marks}
        cue_at = self.time_of(cue) if cue else None
        stretches: list[float] = []
        begun: Optional[float] = None
        last_end = 0.0

        def close(at: float) -> None:
            nonlocal begun
            if begun is not None:
                stretches.append(round(at - begun, 2))
            begun = None

        for item in self.items:
            if item.kind == "talk" and item.start not in marks:
                if cue_at is not None and item.start <= cue_at < item.end:
                    if cue_at > item.start:
                        begun = item.start if begun is None else begun
                        close(cue_at)
                    begun = cue_at
                else:
                    begun = item.start if begun is None else begun
                last_end = item.end
            elif item.kind == "pause" and item.seconds < TALK_BREAK_S:
                continue
            else:
                close(last_end)
                if item.kind == "talk":  # a mark: a stretch of its own
                    stretches.append(round(item.seconds, 2))
        close(last_end)
        return stretches


def parse(ssml: str, voice: str, rate: float = 1.0) -> Timeline:
    """The timeline of one SSML document (with or without <speak>)."""
    text = ssml.strip()
    if not text.startswith("<speak"):
        text = f"<speak>{text}</speak>"
    text = re.sub(r"<(/?)(\w+):", r"<\1\2_", text)  # amazon:effect and the like, namespace-free
    root = ElementTree.fromstring(text)
    pieces: list[tuple[str, float, str, float]] = []  # kind, seconds or 0, text, rate
    _walk(root, rate, pieces)
    timeline = Timeline(voice=voice)
    clock = 0.0
    for kind, seconds, words, at_rate in _merged(pieces):
        if kind == "talk":
            seconds = talk_seconds(words, voice, at_rate)
        timeline.items.append(Item(kind, round(clock, 3), round(seconds, 3), words, at_rate))
        clock += seconds
    return timeline


def _walk(element: ElementTree.Element, rate: float,
          pieces: list[tuple[str, float, str, float]]) -> None:
    """Pieces in the order spoken; a <prosody rate> multiplies the rate around it."""
    tag = element.tag.lower()
    if tag == "break":
        pieces.append(("pause", _break_seconds(element), "", rate))
        return
    if tag == "audio":
        source = element.get("src", "")
        pieces.append(("audio", sound_seconds(source), source, rate))
        return
    if tag == "sub" and element.get("alias") is not None:
        pieces.append(("talk", 0.0, element.get("alias", ""), rate))
        return
    if tag == "prosody" and element.get("rate"):
        rate = rate * _rate_of(element.get("rate", ""))
    if element.text:
        pieces.append(("talk", 0.0, element.text, rate))
    for child in element:
        _walk(child, rate, pieces)
        if child.tail:
            pieces.append(("talk", 0.0, child.tail, rate))
    if tag in ("p", "s"):  # a paragraph or sentence ends in its pause
        strength = "x-strong" if tag == "p" else "strong"
        pieces.append(("pause", calibration()["break_strengths"][strength], "", rate))


def _merged(pieces: Iterable[tuple[str, float, str, float]]):
    """Adjacent text at one rate is one span of talk; empty text is nothing."""
    merged: list[tuple[str, float, str, float]] = []
    for kind, seconds, text, rate in pieces:
        if kind == "talk":
            text = " ".join(text.split())
            if not text:
                continue
            if merged and merged[-1][0] == "talk" and merged[-1][3] == rate:
                merged[-1] = ("talk", 0.0, f"{merged[-1][2]} {text}", rate)
                continue
        if kind == "pause" and seconds <= 0:
            continue
        merged.append((kind, seconds, text, rate))
    return merged


def _rate_of(value: str) -> float:
    value = value.strip().lower()
    if value in NAMED_RATES:
        return NAMED_RATES[value]
    found = re.fullmatch(r"(\d+(?:\.\d+)?)%", value)
    if not found:
        raise ValueError(f"not a prosody rate: {value!r}")
    return max(float(found.group(1)), 20.0) / 100  # Alexa's floor is 20%


def _break_seconds(element: ElementTree.Element) -> float:
    time = (element.get("time") or "").strip().lower()
    found = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", time)
    if found:
        seconds = float(found.group(1)) / (1000 if found.group(2) == "ms" else 1)
        return min(seconds, 10.0)  # Alexa plays no break longer than 10 s
    return calibration()["break_strengths"][element.get("strength", "medium").lower()]


def sound_seconds(source: str) -> float:
    """A sound's length: Alexa's sound library's own figure, or the default for
    one the data does not know."""
    data = calibration()
    return data["sounds"].get(source, data["default_sound_s"])


def of_response(response: dict, locale: str) -> tuple[Timeline, Optional[Timeline]]:
    """A response's outputSpeech and, if it has one, its reprompt (heard only if
    the person says nothing), each as a timeline."""
    reprompt = ((response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    return (timeline_of((response.get("outputSpeech") or {}).get("ssml"), locale),
            timeline_of(reprompt, locale) if reprompt else None)


def timeline_of(ssml: Optional[str], locale: str) -> Timeline:
    """The timeline of one response's SSML in a locale's calibrated voice. The
    night voice needs no flag: the skill sends it as <prosody rate> in the SSML,
    which is honoured wherever it is."""
    return parse(ssml or "", voice_for(locale))

"""How long speech takes, for a card's countdown to start with the spoken hold and
end with its chime. The constants were fitted against a real speech engine at
Alexa's rate (bench/calibrate_speech.py); the bench's speech-time model reads its
features from here, so the skill and the bench time speech the same way. Imported
only for a device with a screen."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

FEATURES = ("span", "syllable", "word", "comma", "stop")
_VOWELS = {"en": "aeiouy", "es": "aeiouáéíóúü"}
_STRONG_ES = set("aeoáéóíú")  # Spanish nuclei that never join a neighbour (hiatus)
_PIECES = r'<break time="(\d+)(ms|s)"/>|<audio src="([^"]*)"/>|<[^>]+>'


@lru_cache(maxsize=1)
def pace() -> dict:
    return json.loads((Path(__file__).with_name("pace.json")).read_text(encoding="utf-8"))


def syllables(word: str, language: str) -> int:
    """A word's syllables, by vowel groups (English: a silent final e; Spanish:
    two strong vowels side by side are two syllables). Digits count two each."""
    word = word.lower()
    digits = sum(character.isdigit() for character in word)
    letters = re.sub(r"[^a-záéíóúüñ]", "", word)
    if not letters:
        return 2 * digits
    vowels = _VOWELS.get(language, _VOWELS["en"])
    groups = re.findall(f"[{vowels}]+", letters)
    count = len(groups)
    if language == "es":
        for group in groups:
            count += sum(1 for left, right in zip(group, group[1:])
                         if left in _STRONG_ES and right in _STRONG_ES)
    elif letters.endswith("e") and not letters.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1) + 2 * digits


def features(text: str, language: str) -> dict[str, int]:
    """What the fit times a span of talk by: one span, its syllables and words, and
    the punctuation pauses inside it (a comma, colon or dash; a sentence end that
    more talk follows)."""
    words = re.findall(r"[\w'’áéíóúüñÁÉÍÓÚÜÑ]+", text)
    inner = text.strip().rstrip(".?!¿¡…\"' ")
    return {"span": 1 if words else 0,
            "syllable": sum(syllables(word, language) for word in words),
            "word": len(words),
            "comma": len(re.findall(r"[,;:—–]", inner)),
            "stop": len(re.findall(r"[.?!…]+(?=\s)", inner))}


def voice_of(locale: str) -> dict:
    data = pace()
    name = data["locales"].get(locale) or data["languages"].get(locale.split("-")[0].lower(),
                                                                data["languages"]["en"])
    return data["voices"][name]


def talk_seconds(text: str, voice: dict, rate: float = 1.0) -> float:
    counted = features(text, voice["language"])
    if not counted["span"]:
        return 0.0
    return sum(voice["seconds"][name] * counted[name] for name in FEATURES) / rate


def seconds_of(ssml: str, locale: str, night: bool = False) -> float:
    """How long rendered speech (speech.render's inner SSML) takes in a locale,
    by day or in the night voice: its talk, its breaks and its sounds."""
    data, voice = pace(), voice_of(locale)
    rate = data["night_rate"] if night else 1.0
    total, last = 0.0, 0
    for found in re.finditer(_PIECES, ssml):
        total += talk_seconds(ssml[last:found.start()], voice, rate)
        if found[1]:
            total += int(found[1]) / (1000 if found[2] == "ms" else 1)
        elif found[3] is not None:
            total += data["sounds"].get(found[3], data["default_sound_s"])
        last = found.end()
    return total + talk_seconds(ssml[last:], voice, rate)

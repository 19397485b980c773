"""Fits the speech-time model (bench/speech_time.py) to a real speech engine and
writes bench/speech_calibration.json.

    python bench/calibrate_speech.py [--check]

The engine is espeak-ng, from the pip package espeakng-loader (the library and
its voice data in one wheel, so no system package is needed; a dev dependency).
It speaks at Alexa's rate: its rate setting is the one at which the en-US voice
says the skill's English sentences at ALEXA_WPM words a minute, first sound to
last, punctuation pauses included; every voice uses that setting.

The corpus is the skill's own sentences, every locale's (steps, holds, answers,
phrases, prompts), each a span of talk as it comes between pauses. One in four
is held out of the fit; the error on those, and on whole responses of the relief
routines (breaks, the night voice's prosody and the chime included), is stored
beside the constants. --check only reports the stored fit against the engine.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import re
import statistics
import sys
from array import array
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import speech_time  # noqa: E402

from skill import content as contents  # noqa: E402
from skill.speech import SOUNDS, Pause, Sound, escape  # noqa: E402

# Alexa's default rate. Amazon publishes no words-a-minute figure for its voices
# (Polly's "Voice speed" page: "no standard speed (words per minute) is
# available"); the project's voice guide (shared/voice-style.md) times speech at
# about 150 words a minute, and the one measured Amazon voice we found is faster
# (AWS News Blog, "Amazon Polly Update - Time-Driven Prosody": Joanna says a
# 60-word paragraph in 19 s, about 190 words a minute). 150 is the slower,
# cautious end: time to the hold is not under-estimated.
ALEXA_WPM = 150
ALEXA_WPM_SOURCE = ("shared/voice-style.md (about 150 words a minute); Amazon publishes none "
                    "(Polly docs, 'Voice speed'); Polly's Joanna measured about 190 wpm on "
                    "a 60-word paragraph in 19 s (AWS News Blog, 'Amazon Polly Update - "
                    "Time-Driven Prosody and Asynchronous Synthesis'): 150 is the cautious end")
NIGHT_RATE = 0.9  # what skill.speech.finish sends at night: <prosody rate="90%">
# Alexa's sound library lists each sound's length (the ASK "Sound Library" page's
# data, as captured in tonyhallett/alexa-ts-ssml-builder, src/soundbank.ts).
SOUND_LENGTHS = {SOUNDS["chime"]: 0.71}
SOUND_SOURCE = ("Alexa Skills Kit Sound Library data (ask-soundlibrary JSON behind the ASK "
                "'Sound Library' page), as captured in tonyhallett/alexa-ts-ssml-builder "
                "src/soundbank.ts: amzn_sfx_bell_short_chime_01 lasts 0.71 s")
# Alexa documents <break strength> by its effect (a comma's pause, a sentence's,
# a paragraph's), not in seconds: these are SSML engines' usual lengths.
BREAK_STRENGTHS = {"none": 0.0, "x-weak": 0.0, "weak": 0.25, "medium": 0.5, "strong": 0.75,
                   "x-strong": 1.0}
VOICES = {"en-us": "en", "en-gb": "en", "es": "es", "es-419": "es"}
ENGINE_NAMES = {"en-gb": "en"}  # espeak-ng's "en" is its English (Great Britain)
LOCALE_VOICES = {"en-US": "en-us", "en-CA": "en-us", "en-GB": "en-gb", "en-AU": "en-gb",
                 "en-IN": "en-gb", "es-ES": "es", "es-MX": "es-419", "es-US": "es-419"}
LANGUAGE_VOICES = {"en": "en-us", "es": "es-419"}
HELD_OUT_EVERY = 4
SILENCE = 64  # |sample| at or below this is silence when trimming


class Engine:
    """espeak-ng through its C library (ctypes), speaking SSML into memory, in the
    calling thread (synchronous mode: in its retrieval mode this build stretches a
    <break> inside <prosody rate="90%"> by the rate, which neither SSML nor Alexa
    does). The library keeps one state per process, so it is set up once and every
    Engine shares it."""

    _EVENT = type("espeak_EVENT", (ctypes.Structure,), {"_fields_": [
        ("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int), ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]})
    _SYNCHRONOUS, _CHARS_UTF8, _SSML, _POS_CHARACTER, _RATE = 2, 1, 0x10, 1, 1
    _shared: Optional[tuple] = None  # (library, sample rate, callback), once per process
    _samples = array("h")

    def __init__(self):
        if Engine._shared is None:
            import espeakng_loader

            library = ctypes.CDLL(espeakng_loader.get_library_path())
            callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                        ctypes.c_int, ctypes.POINTER(self._EVENT))(
                                            Engine._collect)  # kept: the library holds it
            sample_rate = library.espeak_Initialize(
                self._SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
            if sample_rate <= 0:
                raise RuntimeError("espeak-ng did not initialise")
            library.espeak_SetSynthCallback(callback)
            Engine._shared = (library, sample_rate, callback)
        self.lib, self.sample_rate, _ = Engine._shared
        self.version = _version_of("espeakng-loader")
        self.rate = 175

    @staticmethod
    def _collect(wave, count, events) -> int:
        if count > 0:
            Engine._samples.frombytes(ctypes.string_at(wave, count * 2))
        return 0

    def seconds(self, ssml: str, voice: str, rate: Optional[int] = None) -> float:
        """First sound to last of SSML (a document, or escaped text) in a voice, at
        the engine's rate."""
        if self.lib.espeak_SetVoiceByName(ENGINE_NAMES.get(voice, voice).encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        self.lib.espeak_SetParameter(self._RATE, rate or self.rate, 0)
        Engine._samples = array("h")
        text = ssml if ssml.lstrip().startswith("<speak") else f"<speak>{ssml}</speak>"
        encoded = text.encode()
        self.lib.espeak_Synth(encoded, len(encoded) + 1, 0, self._POS_CHARACTER, 0,
                              self._CHARS_UTF8 | self._SSML, None, None)
        self.lib.espeak_Synchronize()
        samples = Engine._samples
        first = next((i for i, s in enumerate(samples) if abs(s) > SILENCE), None)
        if first is None:
            return 0.0
        last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE)
        return (last - first + 1) / self.sample_rate


def _version_of(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def for_engine(ssml: str) -> str:
    """SSML the engine can time like Alexa: each sound becomes a break of its length
    (espeak-ng cannot fetch Alexa's sound library)."""
    def pause(found: re.Match) -> str:
        return f'<break time="{round(speech_time.sound_seconds(found.group(1)) * 1000)}ms"/>'

    return re.sub(r'<audio src="([^"]*)"/>', pause, ssml)


def corpus(voice: str) -> list[str]:
    """The skill's sentences in the locales spoken with a voice: every span of
    talk the content has, as it comes between pauses, without duplicates."""
    spans: set[str] = set()
    for locale in (loc for loc, v in LOCALE_VOICES.items() if v == voice):
        content = contents.load(locale)

        def add(segments) -> None:
            run: list[str] = []
            for segment in [*segments, Pause(1)]:
                if isinstance(segment, str):
                    run.append(segment.strip())
                elif run:
                    spans.add(" ".join(run))
                    run = []

        for phrase in content.phrases.values():
            if "{" not in phrase:
                add([phrase])
        for step in content.steps.values():
            add([step.intro] if step.intro else [])
            add(step.say)
            add([step.prompt])
            add([step.reprompt])
            add([step.place])
            if step.hold:
                add([step.hold.again])
        for answer in content.answers.values():
            for part in answer.parts:
                add([answer.intro] if answer.intro else [])
                add([segment for segment in part.say if not isinstance(segment, Sound)])
    return sorted(span for span in spans if span and "{" not in span)


def split(spans: list[str]) -> tuple[list[str], list[str]]:
    """(fitted, held out): every HELD_OUT_EVERY-th sentence, in sorted order, is held out."""
    held = [span for index, span in enumerate(spans) if index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    return [span for span in spans if span not in held], held


def least_squares(rows: list[list[float]], targets: list[float]) -> list[float]:
    """The coefficients minimising squared error (normal equations, by elimination)."""
    size = len(rows[0])
    matrix = [[sum(row[i] * row[j] for row in rows) for j in range(size)]
              + [sum(row[i] * target for row, target in zip(rows, targets))]
              for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(matrix[r][column]))
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        for other in range(size):
            if other != column and matrix[column][column]:
                factor = matrix[other][column] / matrix[column][column]
                matrix[other] = [a - factor * b for a, b in zip(matrix[other], matrix[column])]
    return [matrix[i][size] / matrix[i][i] if matrix[i][i] else 0.0 for i in range(size)]


def errors(estimates: list[float], measured: list[float]) -> dict:
    gaps = [abs(e - m) for e, m in zip(estimates, measured)]
    ordered = sorted(gaps)
    return {"n": len(gaps), "mean_abs_s": round(statistics.mean(gaps), 3),
            "p95_abs_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
            "max_abs_s": round(max(gaps), 3),
            "mean_abs_pct": round(100 * statistics.mean(g / m for g, m in zip(gaps, measured)
                                                        if m > 0), 1),
            "total_pct": round(100 * (sum(estimates) - sum(measured)) / sum(measured), 2)}


def engine_rate_for(engine: Engine, target_wpm: float) -> int:
    """The engine's rate setting at which en-US says the English corpus at target_wpm."""
    spans = corpus("en-us")
    words = sum(len(span.split()) for span in spans)

    def wpm(setting: int) -> float:
        return words / sum(engine.seconds(escape(span), "en-us", setting) for span in spans) * 60

    low, high = 80, 260
    while high - low > 1:
        middle = (low + high) // 2
        if wpm(middle) < target_wpm:
            low = middle
        else:
            high = middle
    return min((low, high), key=lambda setting: abs(wpm(setting) - target_wpm))


def fit_voice(engine: Engine, voice: str) -> dict:
    language = VOICES[voice]
    spans = corpus(voice)
    fitted, held = split(spans)
    measured = {span: engine.seconds(escape(span), voice) for span in spans}
    rows = [[speech_time.features(span, language)[name] for name in speech_time.FEATURES]
            for span in fitted]
    coefficients = least_squares(rows, [measured[span] for span in fitted])
    constants = {"language": language,
                 "seconds": {name: round(value, 4)
                             for name, value in zip(speech_time.FEATURES, coefficients)}}
    words = sum(len(span.split()) for span in spans)
    constants["engine_wpm"] = round(words / sum(measured.values()) * 60, 1)
    return constants | {"_held": held, "_measured": measured}


def check(engine: Engine, data: dict, voices: dict) -> None:
    """Held-out error by day and at night, and on whole relief responses."""
    speech_time.calibration.cache_clear()
    for voice, constants in data["voices"].items():
        held = voices[voice]["_held"]
        by_day = [voices[voice]["_measured"][span] for span in held]
        at_night = [engine.seconds(f'<prosody rate="90%">{escape(span)}</prosody>', voice)
                    for span in held]
        constants["held_out"] = {
            "day": errors([speech_time.talk_seconds(s, voice) for s in held], by_day),
            "night": errors([speech_time.talk_seconds(s, voice, NIGHT_RATE) for s in held],
                            at_night)}
    import relief_timing

    for voice in data["voices"]:
        locale = next(loc for loc, v in LOCALE_VOICES.items() if v == voice)
        said = relief_timing.responses_said(locale)
        estimates = [speech_time.timeline_of(ssml, locale).seconds for ssml in said]
        measured = [engine.seconds(for_engine(ssml), voice) for ssml in said]
        data["voices"][voice]["responses"] = errors(estimates, measured) | {"locale": locale}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report the stored fit against the engine; write nothing")
    args = parser.parse_args()
    engine = Engine()
    if args.check:
        data = json.loads(speech_time.CALIBRATION.read_text(encoding="utf-8"))
        engine.rate = data["engine"]["rate"]
        voices = {}
        for voice in data["voices"]:
            spans = corpus(voice)
            _, held = split(spans)
            voices[voice] = {"_held": held,
                             "_measured": {s: engine.seconds(escape(s), voice) for s in held}}
        check(engine, data, voices)
        print(json.dumps({voice: {"held_out": c["held_out"], "responses": c["responses"]}
                          for voice, c in data["voices"].items()}, indent=1))
        return
    engine.rate = engine_rate_for(engine, ALEXA_WPM)
    voices = {voice: fit_voice(engine, voice) for voice in VOICES}
    data = {
        "_about": "Written by bench/calibrate_speech.py; read by bench/speech_time.py. Seconds of "
                  "talk = sum of seconds[feature] x count, divided by the prosody rate.",
        "engine": {"name": "espeak-ng", "package": f"espeakng-loader {engine.version}",
                   "rate": engine.rate, "alexa_wpm": ALEXA_WPM,
                   "alexa_wpm_source": ALEXA_WPM_SOURCE},
        "voices": {voice: {k: v for k, v in c.items() if not k.startswith("_")}
                   for voice, c in voices.items()},
        "locales": LOCALE_VOICES,
        "languages": LANGUAGE_VOICES,
        "sounds": SOUND_LENGTHS,
        "sounds_source": SOUND_SOURCE,
        "default_sound_s": 1.0,
        "break_strengths": BREAK_STRENGTHS,
    }
    speech_time.CALIBRATION.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    check(engine, data, voices)
    speech_time.CALIBRATION.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    for voice, constants in data["voices"].items():
        print(voice, constants["engine_wpm"], "wpm;", "held out:", constants["held_out"],
              "responses:", constants["responses"])


if __name__ == "__main__":
    main()

"""Hearing typed or transcribed words as the interaction model says Alexa would:
one lexicon per locale (the model's samples and slot values) and a tolerant
matcher. Used by the text console, the routing benchmark and the tests.

The matcher tries an exact sample first (with slot values resolved to their
ids, or passed on unresolved as Alexa does), then, tolerantly, the same sample
with a misheard word corrected, filler words left out or the words in another
order. Whatever is left over is AMAZON.FallbackIntent.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
NEAR_MISS = 0.8       # how alike a typed word must be to a known word to stand for it
CLOSE_ENOUGH = 0.8    # how much of a sample's weighted words a loose match must share
LONGEST_FREE_SLOT = 4  # words an unlisted slot value may have
CONTRACTIONS = {
    "it's": "it is", "i'm": "i am", "i've": "i have", "i'd": "i would", "i'll": "i will",
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not",
    "isn't": "is not", "hasn't": "has not", "haven't": "have not", "didn't": "did not",
    "what's": "what is", "that's": "that is", "there's": "there is", "let's": "let us",
    "leg's": "leg is", "calf's": "calf is", "foot's": "foot is", "cramp's": "cramp is",
    "pain's": "pain is", "you're": "you are", "we're": "we are", "where's": "where is",
    "can not": "cannot", "ok": "okay",
    # typed without the apostrophe
    "cant": "cannot", "dont": "do not", "wont": "will not", "doesnt": "does not",
    "isnt": "is not", "hasnt": "has not", "didnt": "did not", "im": "i am", "ive": "i have",
    "whats": "what is", "thats": "that is", "theres": "there is", "its": "it is",
}
# Said around a request without changing it: left out when matching loosely.
FILLERS = frozenset("please um uh er erm oh ugh ow ouch hey alexa so well just really like "
                    "hmm okay actually right now a the lot much badly very bit little quite "
                    "pretty".split())
# Words that turn a sign into its absence: a loose match never drops them.
NEGATIONS = frozenset("not no never without cannot".split())
# Alexa understands these for the built-in intents a model declares, without samples.
BUILT_IN_PHRASES = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure"],
    "AMAZON.NoIntent": ["no", "nope"],
    "AMAZON.StopIntent": ["stop", "off"],
    "AMAZON.CancelIntent": ["cancel", "never mind"],
    "AMAZON.HelpIntent": ["help", "help me"],
    "AMAZON.RepeatIntent": ["repeat", "say that again"],
    "AMAZON.NextIntent": ["next", "skip"],
    "AMAZON.PreviousIntent": ["previous"],
    "AMAZON.ResumeIntent": ["resume"],
    "AMAZON.PauseIntent": ["pause"],
    "AMAZON.StartOverIntent": ["start over", "restart"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
}
LAUNCH_VERBS = ("open", "launch", "start", "talk to", "run",
                "abre", "abrir", "inicia", "habla con")
ONE_SHOT_VERBS = ("ask", "tell", "pregúntale a", "pregunta a", "pídele a", "dile a")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"'s (gone|got|been)\b", r" has \1", text)  # "my calf's gone into cramp"
    for short, long in CONTRACTIONS.items():
        text = re.sub(rf"\b{re.escape(short)}(?=\W|$)", long, text)
    text = re.sub(r"[^a-z0-9áéíóúñü' {}]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Match:
    intent: str
    slots: dict = field(default_factory=dict)  # name -> (value, resolved id or None)

    def explain(self) -> str:
        """One line for --explain: the intent and each slot as Alexa would send it."""
        slots = [f"{name}={value!r} ({resolved or 'unresolved'})"
                 for name, (value, resolved) in self.slots.items()]
        return " ".join([self.intent, *slots])


@dataclass(frozen=True)
class _Frame:
    """A sample with its slot (if any) replaced by the slot's type."""

    intent: str
    slot: Optional[str]       # the slot's name in this intent
    slot_type: Optional[str]


class Matcher:
    """Typed text to an intent and slots, the way the interaction model says."""

    def __init__(self, model: dict):
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language["invocationName"])
        self.slot_words: dict[str, dict[tuple, tuple[str, Optional[str]]]] = {}
        for slot_type in language.get("types", []):
            table = self.slot_words.setdefault(slot_type["name"], {})
            for entry in slot_type["values"]:
                name = entry["name"]
                for spoken in [name["value"], *name.get("synonyms", [])]:
                    table.setdefault(tuple(normalise(spoken).split()),
                                     (name["value"], entry.get("id")))
        self.exact: dict[tuple, _Frame] = {}
        self.around: dict[tuple, _Frame] = {}   # (words before, words after) a slot
        self.loose: dict[tuple, Optional[_Frame]] = {}
        self.bags: dict[tuple, Optional[_Frame]] = {}
        for intent in language["intents"]:
            types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            phrases = intent.get("samples", []) + BUILT_IN_PHRASES.get(intent["name"], [])
            for phrase in phrases:
                self._add(intent["name"], phrase, types)
        self.known = frozenset({word for key in self.exact for word in key
                                if not word.startswith("<")}
                               | {word for table in self.slot_words.values()
                                  for words in table for word in words})
        self.vocabulary = sorted(self.known)
        self._index_for_overlap()

    # Building the indexes.
    def _add(self, intent: str, phrase: str, types: dict) -> None:
        words = normalise(phrase).split()
        slot = next((word[1:-1] for word in words if word.startswith("{")), None)
        frame = _Frame(intent, slot, types.get(slot))
        key = tuple(f"<{frame.slot_type}>" if word.startswith("{") else word for word in words)
        self.exact.setdefault(key, frame)
        if slot:
            at = key.index(f"<{frame.slot_type}>")
            self.around.setdefault((key[:at], key[at + 1:]), frame)
        loose = tuple(word for word in key if word not in FILLERS)
        for table, loose_key in ((self.loose, loose), (self.bags, tuple(sorted(loose)))):
            if loose_key and table.get(loose_key, frame) != frame:
                table[loose_key] = None  # two intents: too ambiguous to guess
            else:
                table.setdefault(loose_key, frame)

    def _index_for_overlap(self) -> None:
        self.postings: dict[str, list[tuple]] = defaultdict(list)
        for key, frame in self.loose.items():
            if frame is not None:
                for word in set(key):
                    self.postings[word].append(key)
        total = max(len(self.loose), 1)
        self.weight = {word: math.log(1 + total / len(keys)) for word, keys in self.postings.items()}

    # Matching.
    def match(self, text: str) -> Match:
        words = normalise(text).split()
        if not words:
            return Match("AMAZON.FallbackIntent")
        corrected = [self._nearest(word) for word in words]
        return (self._exactly(words) or self._exactly(corrected) or self._free_slot(words)
                or self._loosely(corrected) or Match("AMAZON.FallbackIntent"))

    def _exactly(self, words: list[str]) -> Optional[Match]:
        """A sample word for word, literal or with a listed slot value."""
        for key, mention in self._readings(words):
            frame = self.exact.get(key)
            if frame:
                return self._result(frame, mention)
        return None

    def _free_slot(self, words: list[str]) -> Optional[Match]:
        """A sample word for word around a slot value the model does not list: Alexa
        sends such a value unresolved. The shortest such value wins."""
        best = None
        for start in range(len(words)):
            for end in range(start + 1, min(start + LONGEST_FREE_SLOT, len(words)) + 1):
                frame = self.around.get((tuple(words[:start]), tuple(words[end:])))
                if frame and (best is None or end - start < best[0]):
                    best = (end - start, frame, " ".join(words[start:end]))
        if best is None:
            return None
        _, frame, value = best
        return Match(frame.intent, {frame.slot: (value, None)})

    def _loosely(self, words: list[str]) -> Optional[Match]:
        """The same words without fillers, in another order, or mostly the same words."""
        for key, mention in self._readings(words):
            loose = tuple(word for word in key if word not in FILLERS)
            for frame in (self.loose.get(loose), self.bags.get(tuple(sorted(loose)))):
                if frame:
                    return self._result(frame, mention)
        best = None
        for key, mention in self._readings(words):
            said = [word for word in key if word not in FILLERS]
            for sample in self._candidates(said):
                score, frame = self._overlap(said, sample), self.loose[sample]
                if frame and score >= CLOSE_ENOUGH and (best is None or score > best[0]):
                    best = (score, frame, mention)
        return self._result(best[1], best[2]) if best else None

    def _candidates(self, said: list[str]) -> set[tuple]:
        rare = sorted((word for word in set(said) if word in self.postings),
                      key=lambda word: len(self.postings[word]))[:2]
        return {key for word in rare for key in self.postings[word]}

    def _overlap(self, said: list[str], sample: tuple) -> float:
        """Weighted share of words in common; a slot or a 'not' must be on both sides."""
        said_set, sample_set = set(said), set(sample)
        for word in said_set ^ sample_set:
            if word.startswith("<") or word in NEGATIONS:
                return 0.0
        common = sum(self.weight.get(word, 1.0) for word in said_set & sample_set)
        precision = common / sum(self.weight.get(word, 1.0) for word in said_set)
        recall = common / sum(self.weight.get(word, 1.0) for word in sample_set)
        return 2 * precision * recall / (precision + recall) if common else 0.0

    def _readings(self, words: list[str]) -> Iterator[tuple[tuple, Optional[tuple]]]:
        """The words as they are, then with each slot type's listed value put in its place."""
        yield tuple(words), None
        for slot_type, table in self.slot_words.items():
            longest = max(map(len, table), default=0)
            for start in range(len(words)):
                for end in range(min(len(words), start + longest), start, -1):
                    value = table.get(tuple(words[start:end]))
                    if value:
                        key = (*words[:start], f"<{slot_type}>", *words[end:])
                        yield tuple(key), (slot_type, value)
                        break

    def _result(self, frame: _Frame, mention: Optional[tuple]) -> Match:
        if frame.slot and mention and mention[0] == frame.slot_type:
            return Match(frame.intent, {frame.slot: mention[1]})
        return Match(frame.intent)

    def _nearest(self, word: str) -> str:
        if word in self.known:
            return word
        close = difflib.get_close_matches(word, self.vocabulary, n=1, cutoff=NEAR_MISS)
        return close[0] if close else word

    def launch_or_one_shot(self, text: str) -> tuple[bool, Optional[str]]:
        """(True, None) for "open cramp coach"; (True, rest) for "ask cramp coach rest"."""
        said = normalise(text)
        for verb in LAUNCH_VERBS:
            if said in (verb, f"{verb} {self.invocation}"):
                return True, None
        if said == self.invocation:
            return True, None
        for verb in ONE_SHOT_VERBS:
            prefix = f"{verb} {self.invocation} "
            if said.startswith(prefix):
                rest = re.sub(r"^(to|for|if|about|whether|that|que|si)\s+", "",
                              said[len(prefix):])
                return True, rest
        return False, None


def load_model(locale: str) -> dict:
    path = MODELS_DIR / f"{locale}.json"
    if not path.exists():
        raise SystemExit(f"No interaction model for locale {locale!r} in {MODELS_DIR}")
    return json.loads(path.read_text(encoding="utf-8"))

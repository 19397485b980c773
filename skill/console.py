"""A text console: talk to the skill from a terminal, no Alexa device needed.

What is typed becomes the request Alexa would send (a launch, an intent with
slots, or the end of the session), matched against the locale's interaction
model; the real skill answers, and its speech is printed as plain text.

The matcher hears the way the model says Alexa would: an exact sample first
(with slot values resolved to their ids, or passed on unresolved as Alexa
does), then, tolerantly, the same sample with a misheard word corrected,
filler words left out or the words in another order. Whatever is left over
is AMAZON.FallbackIntent.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, TextIO

from skill import envelopes
from skill.speech import ssml_to_text

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
                score = self._overlap(said, sample)
                if score >= CLOSE_ENOUGH and (best is None or score > best[0]):
                    best = (score, self.loose[sample], mention)
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


class Speaker:
    """Speaks SSML with espeak-ng, when it is installed."""

    def __init__(self, errors: TextIO):
        self.program = shutil.which("espeak-ng")
        if not self.program:
            print("--speak: espeak-ng is not installed, so the console shows text only "
                  "(on Debian or Ubuntu: sudo apt-get install espeak-ng).", file=errors)

    def say(self, ssml: str) -> None:
        if self.program:
            subprocess.run([self.program, "-m", ssml], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Console:
    def __init__(self, handler: Callable[[dict, object], dict], matcher: Matcher,
                 locale: str, out: TextIO, speaker: Optional[Speaker] = None,
                 explain: bool = False):
        self.handler = handler
        self.matcher = matcher
        self.locale = locale
        self.out = out
        self.speaker = speaker
        self.explain = explain
        self.attributes: dict = {}
        self.in_session = False
        self.heard_as: Optional[str] = None  # the intent the last line was heard as

    def turn(self, text: str) -> bool:
        """One thing typed; False once the skill has ended the session (the next
        line then opens a new one, as with Alexa)."""
        is_launch, rest = self.matcher.launch_or_one_shot(text)
        if is_launch and rest is None:
            request = envelopes.launch(locale=self.locale)
            self.heard_as = "LaunchRequest"
            if self.explain:
                print("       [LaunchRequest]", file=self.out)
        else:
            match = self.matcher.match(rest if rest is not None else text)
            self.heard_as = match.intent
            if self.explain:
                print(f"       [{match.explain()}]", file=self.out)
            request = envelopes.intent(match.intent, match.slots, locale=self.locale,
                                       new=not self.in_session,
                                       session_attributes=self.attributes)
        reply = self.handler(request, None)
        self._show(reply["response"])
        self.in_session = reply["response"].get("shouldEndSession") is False
        self.attributes = (reply.get("sessionAttributes") or {}) if self.in_session else {}
        return self.in_session

    def end(self) -> None:
        if self.in_session:
            self.handler(envelopes.session_ended(locale=self.locale,
                                                 session_attributes=self.attributes), None)

    def _show(self, response: dict) -> None:
        speech = response.get("outputSpeech", {}).get("ssml", "")
        print(f"Alexa: {ssml_to_text(speech)}", file=self.out)
        reprompt = response.get("reprompt")
        if reprompt and response.get("shouldEndSession") is False:
            print(f"       (if you say nothing: {ssml_to_text(reprompt['outputSpeech']['ssml'])})",
                  file=self.out)
        self.out.flush()
        if self.speaker:
            self.speaker.say(speech)


def run(locale: str, speak: bool, db: Optional[str], stdin: TextIO = sys.stdin,
        out: TextIO = sys.stdout, errors: TextIO = sys.stderr, explain: bool = False) -> int:
    from skill.app import build_skill_builder
    from skill.persistence import sqlite_store

    with tempfile.TemporaryDirectory(prefix="cramp-coach-chat-") as scratch:
        store = sqlite_store(db or str(Path(scratch) / "preferences.sqlite3"))
        handler = build_skill_builder(persistence_adapter=store).lambda_handler()
        console = Console(handler, Matcher(load_model(locale)), locale, out,
                          Speaker(errors) if speak else None, explain)
        interactive = stdin.isatty()
        if interactive:
            print("Talk to Cramp Coach. Try: open cramp coach, my calf is cramping, next, "
                  "why do I get cramps. Type exit to leave.", file=out)
        while True:
            if interactive:
                print("You: ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line or line.strip().lower() in ("exit", "quit"):
                console.end()
                return 0
            if line.strip() and not console.turn(line.strip()):
                return 0


class ReplayError(ValueError):
    """A replay file that is not in the ASK CLI's format."""


def read_replay(path: Path) -> tuple[str, list[str]]:
    """The locale and lines of an ASK CLI replay file (`ask dialog --replay`)."""
    try:
        replay = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReplayError(f"cannot read {path}: {error}") from None
    from skill.content import supported_locales

    if not (isinstance(replay, dict) and replay.get("type") == "text"
            and replay.get("locale") in supported_locales()
            and isinstance(replay.get("userInput"), list)
            and all(isinstance(line, str) for line in replay["userInput"])):
        raise ReplayError(f"{path} is not an ASK CLI replay file: it needs \"type\": \"text\", "
                          f"a locale of {', '.join(supported_locales())} and a userInput list")
    return replay["locale"], replay["userInput"]


def replay(path: Path, out: TextIO = sys.stdout, explain: bool = False) -> int:
    """Replays an ASK CLI dialog replay file through the console, offline: 0 when
    every line was understood, 1 when one was not (heard as the fallback)."""
    from skill.app import build_skill_builder
    from skill.persistence import sqlite_store

    locale, lines = read_replay(path)
    not_understood = []
    with tempfile.TemporaryDirectory(prefix="cramp-coach-replay-") as scratch:
        store = sqlite_store(str(Path(scratch) / "preferences.sqlite3"))
        handler = build_skill_builder(persistence_adapter=store).lambda_handler()
        console = Console(handler, Matcher(load_model(locale)), locale, out, explain=explain)
        for line in lines:
            if line.strip() == ".quit":
                break
            if not line.strip():
                continue
            print(f"User: {line}", file=out)
            console.turn(line.strip())
            if console.heard_as == "AMAZON.FallbackIntent":
                not_understood.append(line)
        console.end()
    if not_understood:
        print(f"Not understood: {', '.join(repr(line) for line in not_understood)}", file=out)
        return 1
    return 0


"""A text console: talk to the skill from a terminal, no Alexa device needed.

What is typed becomes the request Alexa would send (a launch, an intent with
slots, or the end of the session), matched against the locale's interaction
model; the real skill answers, and its speech is printed as plain text.
The matcher is a development aid, not a language model: exact sample matches
after normalising, a close literal match, or AMAZON.FallbackIntent.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, TextIO

from skill import envelopes
from skill.speech import ssml_to_text

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
CLOSE_ENOUGH = 0.85
CONTRACTIONS = {
    "it's": "it is", "i'm": "i am", "i've": "i have", "i'd": "i would", "i'll": "i will",
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not",
    "isn't": "is not", "hasn't": "has not", "haven't": "have not", "didn't": "did not",
    "what's": "what is", "that's": "that is", "there's": "there is", "let's": "let us",
    "leg's": "leg is", "you're": "you are", "can not": "cannot",
}
# Alexa understands these for the built-in intents a model declares, without samples.
BUILT_IN_PHRASES = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure", "okay", "yes please"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "no thank you"],
    "AMAZON.StopIntent": ["stop", "quit", "shut up", "be quiet", "off"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.HelpIntent": ["help", "what can i say", "help me"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "repeat that", "again", "pardon"],
    "AMAZON.NextIntent": ["next", "skip"],
    "AMAZON.PreviousIntent": ["previous"],
    "AMAZON.ResumeIntent": ["resume"],
    "AMAZON.PauseIntent": ["pause"],
    "AMAZON.StartOverIntent": ["start over", "restart"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
}
LAUNCH_VERBS = ("open", "launch", "start", "talk to", "run")
ONE_SHOT_VERBS = ("ask", "tell")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    for short, long in CONTRACTIONS.items():
        text = re.sub(rf"\b{re.escape(short)}(?=\W|$)", long, text)
    text = re.sub(r"[^a-z0-9' {}]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Match:
    intent: str
    slots: dict = field(default_factory=dict)  # name -> (value, resolved id or None)


@dataclass
class _Sample:
    intent: str
    pattern: re.Pattern
    slot_types: dict
    literal: str


class Matcher:
    """Typed text to an intent and slots, the way the interaction model says."""

    def __init__(self, model: dict):
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language["invocationName"])
        self.values = {}  # slot type -> {normalised value or synonym: (value, id)}
        for slot_type in language.get("types", []):
            table = self.values.setdefault(slot_type["name"], {})
            for entry in slot_type["values"]:
                name = entry["name"]
                for spoken in [name["value"], *name.get("synonyms", [])]:
                    table[normalise(spoken)] = (name["value"], entry.get("id"))
        self.samples: list[_Sample] = []
        for intent in language["intents"]:
            types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            phrases = intent.get("samples", []) + BUILT_IN_PHRASES.get(intent["name"], [])
            for phrase in phrases:
                self.samples.append(self._compile(intent["name"], phrase, types))

    @staticmethod
    def _compile(intent: str, phrase: str, types: dict) -> _Sample:
        text = normalise(phrase)
        pattern = re.escape(text)
        for slot in types:
            pattern = pattern.replace(re.escape("{" + slot + "}"), f"(?P<{slot}>.+?)")
        literal = re.sub(r"\s+", " ", re.sub(r"\{\w+\}", "", text)).strip()
        return _Sample(intent, re.compile(f"^{pattern}$"), types, literal)

    def match(self, text: str) -> Match:
        said = normalise(text)
        best: Optional[tuple[int, Match]] = None
        for sample in self.samples:
            found = sample.pattern.match(said)
            if not found:
                continue
            slots, listed = {}, 0
            for name, value in found.groupdict().items():
                known = self.values.get(sample.slot_types[name], {}).get(value)
                listed += known is not None
                slots[name] = known if known else (value, None)
            score = 2 * listed - len(slots)  # listed values beat free text
            if best is None or score > best[0]:
                best = (score, Match(sample.intent, slots))
        if best:
            return best[1]
        literals = {sample.literal: sample.intent for sample in self.samples if sample.literal}
        close = difflib.get_close_matches(said, literals, n=1, cutoff=CLOSE_ENOUGH)
        return Match(literals[close[0]]) if close else Match("AMAZON.FallbackIntent")

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
                rest = re.sub(r"^(to|for|if|about|whether)\s+", "", said[len(prefix):])
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
                 locale: str, out: TextIO, speaker: Optional[Speaker] = None):
        self.handler = handler
        self.matcher = matcher
        self.locale = locale
        self.out = out
        self.speaker = speaker
        self.attributes: dict = {}
        self.in_session = False

    def turn(self, text: str) -> bool:
        """One thing typed; False once the skill has ended the session."""
        is_launch, rest = self.matcher.launch_or_one_shot(text)
        if is_launch and rest is None:
            request = envelopes.launch(locale=self.locale)
        else:
            match = self.matcher.match(rest if rest is not None else text)
            request = envelopes.intent(match.intent, match.slots, locale=self.locale,
                                       new=not self.in_session,
                                       session_attributes=self.attributes)
        reply = self.handler(request, None)
        self.attributes = reply.get("sessionAttributes") or {}
        self.in_session = True
        self._show(reply["response"])
        return reply["response"].get("shouldEndSession") is False

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
        out: TextIO = sys.stdout, errors: TextIO = sys.stderr) -> int:
    from skill.app import build_skill_builder
    from skill.persistence import sqlite_store

    with tempfile.TemporaryDirectory(prefix="cramp-coach-chat-") as scratch:
        store = sqlite_store(db or str(Path(scratch) / "preferences.sqlite3"))
        handler = build_skill_builder(persistence_adapter=store).lambda_handler()
        console = Console(handler, Matcher(load_model(locale)), locale, out,
                          Speaker(errors) if speak else None)
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

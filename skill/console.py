"""A text console: talk to the skill from a terminal, no Alexa device needed.

What is typed becomes the request Alexa would send (a launch, an intent with
slots, or the end of the session), heard by skill.understanding against the
locale's interaction model; the skill answers through the same Lambda entry
point as on AWS, and its speech is printed as plain text (and spoken, with
--speak). Here: the REPL, speaking, and replaying ASK CLI replay files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Optional, TextIO

from skill import envelopes
from skill.speech import ssml_to_text
from skill.understanding import Matcher, load_model


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


def lambda_entry_point(db: str) -> Callable[[dict, object], dict]:
    """The skill as Lambda runs it (skill.app.lambda_handler), on a SQLite store."""
    from skill.app import lambda_handler
    from skill.persistence import sqlite_store

    return lambda_handler(persistence_adapter=sqlite_store(db))


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
    with tempfile.TemporaryDirectory(prefix="cramp-coach-chat-") as scratch:
        handler = lambda_entry_point(db or str(Path(scratch) / "preferences.sqlite3"))
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
    locale, lines = read_replay(path)
    not_understood = []
    with tempfile.TemporaryDirectory(prefix="cramp-coach-replay-") as scratch:
        handler = lambda_entry_point(str(Path(scratch) / "preferences.sqlite3"))
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


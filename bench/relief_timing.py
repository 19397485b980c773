"""The relief routines timed as a person lives them: every routine, every way in,
every locale, by day and at 3 a.m., on a voice-only device and on an Echo Show.

    python bench/relief_timing.py [--json]

A walk drives the skill through its Lambda entry point (skill.app.lambda_handler)
with envelopes from skill/envelopes.py: the opening ("open Cramp Coach", "tell
Cramp Coach my calf is cramping", or name-free, a CanFulfillIntentRequest and
then the intent), then whatever the person is told to say ("Say next when
you're standing": "next"), heard as Alexa would hear it (skill.understanding,
against the locale's interaction model), until the routine ends. Night is the
device's time zone (a local stand-in for Alexa's Settings API) saying it is
3 a.m. Speech is timed by bench/speech_time.py; each turn also costs Alexa's
processing (LATENCY_S) and the person's own words at a normal rate.

Reported per routine x way in x locale x day/night: seconds from the end of the
wake phrase to the start of the first counted hold, the longest stretch of
uninterrupted talk, how many things the person says, and on a screen the
countdown's offset from the spoken hold (its start, and its zero against the
closing chime).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Callable, Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import speech_time  # noqa: E402
from speech_time import Timeline  # noqa: E402

from skill import envelopes  # noqa: E402
from skill.content import supported_locales  # noqa: E402
from skill.understanding import BUILT_IN_PHRASES, Match, Matcher, load_model  # noqa: E402

# Alexa's own time per turn, from the end of what the person says to the first
# sound of the answer: end-of-speech detection, recognition and understanding,
# the skill's round trip and the first audio of the speech. Amazon publishes no
# figure; voice pipelines budget about 0.65 to 1.3 s for these stages, and a
# warm Lambda answer of this skill is well under 0.1 s of it. 1.0 s, the middle.
LATENCY_S = 1.0
MAX_TURNS = 20
ZONE = "America/New_York"
NIGHT = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)   # 3 a.m. in New York
DAY = datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)    # noon in New York
SCREEN = "hub_large"  # an Echo Show 8; every screen gets the same countdown
# What tells the person what to say, and where what they may say ends.
CUES = {"en": r"(?:^|(?<=[.?!] ))(?:Say|Tell me)\b", "es": r"(?:^|(?<=[.?!] ))(?:Di|Dime)\b"}
SAY = {"en": r"\b[Ss]ay ([^.?!]+)", "es": r"\b[Dd]i ([^.?!]+)"}
OPTION_SPLIT = {"en": r",? or |, ", "es": r",? o |, "}
OPTION_ENDS = {"en": r"(?:^|\s+)\b(?:when|to|for|if|and|at)\b.*$",
               "es": r"(?:^|\s+)\b(?:cuando|para|si|y)\b.*$"}
# What a person who wants to get through says, of what they are offered.
FORWARD = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "AMAZON.YesIntent")


@dataclass(frozen=True)
class Routine:
    """A routine as a person asks for it: its name in the report, the muscle's
    slot id (None: the launch's default or the bedtime stretch), the intent it
    is asked with, and what it answers a question with (see ANSWERS). A variant
    (a plain "thigh", asked which) is in the table but not in the worst figures,
    which are issue 27's routines."""

    name: str
    intent: Optional[str]
    muscle: Optional[str] = None
    answer: Optional[str] = None
    relief: bool = True
    variant: bool = False


ROUTINES = (
    Routine("calf", None),  # "open Cramp Coach": the launch starts the calf routine
    Routine("calf", "ReliefIntent", "CALF"),
    Routine("foot", "ReliefIntent", "FOOT"),
    Routine("thigh back", "ReliefIntent", "HAMSTRING"),
    Routine("thigh front", "ReliefIntent", "QUAD"),
    Routine("thigh, asked which", "ReliefIntent", "THIGH", answer="back", variant=True),
    Routine("bedtime", "BedtimeStretchIntent", relief=False),
)
# "The front or the back of your thigh? Say the front, or the back.": the person
# says the word that matters, as people do ("back"; "atrás").
ANSWERS = {"en": {"back": "back"}, "es": {"back": "atrás"}}
ASKED = {"en": "my {muscle} is cramping", "es": "tengo un calambre en mi {muscle}"}
BEDTIME = {"en": "start my bedtime stretch", "es": "estiramiento antes de dormir"}
ONE_SHOT = {"en": "tell {invocation} {request}", "es": "dile a {invocation} que {request}"}
LAUNCH = {"en": "open {invocation}", "es": "abre {invocation}"}


@dataclass
class Walk:
    """One routine walked through: what was said and heard, and when."""

    routine: Routine
    way: str            # "launch", "one-shot" or "name-free"
    locale: str
    night: bool
    screen: bool
    said: list[str] = field(default_factory=list)        # the person's words, the opening first
    heard: list[tuple[float, Timeline]] = field(default_factory=list)  # answers and when they start
    countdowns: list[tuple[float, float]] = field(default_factory=list)  # (start, zero) offsets
    finished: bool = False
    last_speech: str = ""

    @property
    def hold_at(self) -> Optional[float]:
        """Seconds from the end of the wake phrase to the first counted hold's start."""
        for start, timeline in self.heard:
            holds = timeline.holds()
            if holds:
                return round(start + holds[0].start, 1)
        return None

    @property
    def first_hold_seconds(self) -> Optional[float]:
        for _, timeline in self.heard:
            holds = timeline.holds()
            if holds:
                return round(holds[0].seconds, 1)
        return None

    @property
    def opening_s(self) -> float:
        return round(self.heard[0][1].seconds, 1) if self.heard else 0.0

    @property
    def longest_talk_s(self) -> float:
        cue = CUES[language_of(self.locale)]
        return max((stretch for _, timeline in self.heard
                    for stretch in timeline.talk_stretches(cue)), default=0.0)

    @property
    def turns(self) -> int:
        return len(self.said)

    @property
    def worst_countdown_offset(self) -> Optional[float]:
        offsets = [abs(offset) for pair in self.countdowns for offset in pair]
        return round(max(offsets), 1) if offsets else None

    def row(self) -> dict:
        start, zero = self.countdowns[0] if self.countdowns else (None, None)
        return {"routine": self.routine.name, "way": self.way, "locale": self.locale,
                "night": self.night, "screen": self.screen,
                "seconds_to_hold": self.hold_at, "hold_s": self.first_hold_seconds,
                "opening_s": self.opening_s, "longest_talk_s": self.longest_talk_s,
                "turns": self.turns, "countdown_start_offset_s": start,
                "countdown_end_offset_s": zero, "finished": self.finished,
                "said": self.said}


def language_of(locale: str) -> str:
    return locale.split("-")[0].lower()


# ---------------------------------------------------------------- what a response says
def speech_of(body: dict, locale: str) -> Timeline:
    """Everything a response has Alexa say, whichever shape it takes: its
    outputSpeech, then speech the document plays (an APL-A document, or APL
    SpeakItem commands with their speech bound in the datasources). Alexa is
    taken to speak outputSpeech first, then what the document plays."""
    response = body.get("response") or {}
    timeline, _ = speech_time.of_response(response, locale)
    for ssml in document_speech(response.get("directives") or []):
        timeline = timeline.then(speech_time.timeline_of(ssml, locale))
    return timeline


def document_speech(directives: list[dict]) -> list[str]:
    """SSML the directives play, in order."""
    said: list[str] = []
    documents = {}
    for directive in directives:
        kind = directive.get("type", "")
        data = directive.get("datasources") or {}
        if kind == "Alexa.Presentation.APLA.RenderDocument":
            template = (directive.get("document") or {}).get("mainTemplate") or {}
            for item in template.get("items") or [template.get("item")]:
                said.extend(_apla(item, data))
        elif kind == "Alexa.Presentation.APL.RenderDocument":
            document = directive.get("document") or {}
            documents[directive.get("token")] = (document, data)
            said.extend(_speak_commands(document.get("onMount") or [], document, data))
        elif kind == "Alexa.Presentation.APL.ExecuteCommands":
            document, data = documents.get(directive.get("token"), ({}, {}))
            said.extend(_speak_commands(directive.get("commands") or [], document, data))
    return said


def _bound(value, data: dict):
    """A value with a whole "${name.a.b}" binding resolved against the datasources
    (the document's parameter is the datasource of that name, or all of them, as
    APL binds "payload"); a transformer's output (ssmlToSpeech, textToSpeech)
    stands for its input, which is what will be said."""
    if not (isinstance(value, str) and re.fullmatch(r"\$\{[\w.]+\}", value)):
        return value
    first, *path = value[2:-1].split(".")
    nodes = [data[first] if first in data else data]
    for name in path:
        node = nodes[-1]
        if isinstance(node, dict) and name in node:
            nodes.append(node[name])
            continue
        for owner in reversed(nodes[-2:]):  # the object whose properties the name is in
            for transformer in (owner.get("transformers") or []) if isinstance(owner, dict) else []:
                if transformer.get("outputName") == name:
                    spoken = _path(owner.get("properties") or {}, transformer.get("inputPath", ""))
                    if transformer.get("transformer") == "textToSpeech" and spoken:
                        spoken = f"<speak>{spoken}</speak>"
                    return spoken
        return None
    return nodes[-1]


def _path(node, dotted: str):
    for name in dotted.split("."):
        node = node.get(name) if isinstance(node, dict) else None
    return node


def _apla(item: Optional[dict], data: dict) -> list[str]:
    """The speech of an APL-A component as SSML: Speech, Silence and Audio in a
    Sequencer's order; of a Mixer, its first item (what is heard in front)."""
    if not isinstance(item, dict):
        return []
    kind = item.get("type")
    if kind == "Speech":
        content = _bound(item.get("content"), data) or ""
        return [content if "<speak" in content else f"<speak>{content}</speak>"]
    if kind == "Silence":
        remaining, breaks = float(item.get("duration", 0)) / 1000, []
        while remaining > 0:
            breaks.append(f'<break time="{round(min(remaining, 10.0) * 1000)}ms"/>')
            remaining -= 10.0
        return [f"<speak>{''.join(breaks)}</speak>"]
    if kind == "Audio":
        return [f'<speak><audio src="{_bound(item.get("source"), data)}"/></speak>']
    children = item.get("items") or ([item["item"]] if item.get("item") else [])
    if kind == "Mixer":
        children = children[:1]
    return [ssml for child in children for ssml in _apla(child, data)]


def _speak_commands(commands: list[dict], document: dict, data: dict) -> list[str]:
    """SpeakItem and SpeakList commands, in a Sequential's order (Idle's delay as a pause)."""
    said: list[str] = []
    for command in commands:
        kind = command.get("type")
        if command.get("delay"):
            said.append(f'<speak><break time="{int(command["delay"])}ms"/></speak>')
        if kind in ("Sequential", "Parallel"):
            inner = command.get("commands") or []
            said.extend(_speak_commands(inner if kind == "Sequential" else inner[:1],
                                        document, data))
        elif kind == "SpeakItem":
            component = _component(document, command.get("componentId"))
            speech = _bound((component or {}).get("speech"), data)
            if speech:
                said.append(speech)
        elif kind == "SpeakList":
            container = _component(document, command.get("componentId")) or {}
            for child in (container.get("items") or [])[command.get("start", 0):][
                    :command.get("count", 0)]:
                speech = _bound(child.get("speech"), data)
                if speech:
                    said.append(speech)
    return said


def _component(node, identifier) -> Optional[dict]:
    if isinstance(node, dict):
        if node.get("id") == identifier and identifier:
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _component(child, identifier)
        if found:
            return found
    return None


def countdown_of(body: dict) -> Optional[tuple[float, float]]:
    """When a card's countdown starts and reaches zero, in seconds from when the
    document is shown (taken as when speech starts): from its datasources (the
    count's seconds and its start delay) and the document's tick (handleTick's
    minimumDelay). It moves on the first tick at or after its delay, one a tick."""
    for directive in (body.get("response") or {}).get("directives") or []:
        if directive.get("type") != "Alexa.Presentation.APL.RenderDocument":
            continue
        countdown = _find(directive.get("datasources"),
                          lambda node: "seconds" in node and "startAfterMs" in node)
        if not countdown or not countdown["seconds"]:
            continue
        ticker = _find(directive.get("document"), lambda node: "handleTick" in node)
        tick = float(((ticker or {}).get("handleTick") or [{}])[0].get("minimumDelay", 1000)) / 1000
        delay = float(countdown["startAfterMs"]) / 1000
        first_move = max(tick, -(-delay // tick) * tick)
        zero = first_move + (countdown["seconds"] - 1) * tick
        return round(zero - countdown["seconds"] * tick, 2), round(zero, 2)
    return None


def _find(node, wanted: Callable[[dict], bool]) -> Optional[dict]:
    if isinstance(node, dict):
        if wanted(node):
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, wanted)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- the person
def options(text: str, language: str) -> list[str]:
    """What a response tells the person they may say, in order: each "say X" (or
    "di X") option, cut before its "when" or "to"."""
    found = []
    for said in re.findall(SAY[language], text):
        for option in re.split(OPTION_SPLIT[language], said):
            option = re.sub(OPTION_ENDS[language], "", option.strip()).strip(" ,")
            if option:
                found.append(option)
    return found


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[^\w'{}]+", " ", text.lower().replace("\u2019", "'")).split())


class Hearing:
    """Words to an intent as the locale's interaction model says: a sample said
    exactly (or a phrase Alexa knows for a built-in intent), its one slot's value
    resolved by the slot type; anything else through skill.understanding's
    tolerant Matcher, built only then (about a second a locale)."""

    def __init__(self, locale: str):
        self.locale = locale
        language = load_model(locale)["interactionModel"]["languageModel"]
        self.values: dict[str, dict[tuple, tuple[str, Optional[str]]]] = {
            slot_type["name"]: {_words(spoken): (entry["name"]["value"], entry.get("id"))
                                for entry in slot_type["values"]
                                for spoken in [entry["name"]["value"],
                                               *entry["name"].get("synonyms", [])]}
            for slot_type in language.get("types", [])}
        self.exact: dict[tuple, str] = {}
        self.around: dict[tuple, tuple[str, str, str]] = {}  # (before, after) -> intent, slot, type
        for intent in language["intents"]:
            types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            for sample in intent.get("samples", []) + BUILT_IN_PHRASES.get(intent["name"], []):
                words = _words(sample)
                slots = [index for index, word in enumerate(words) if word.startswith("{")]
                if not slots:
                    self.exact.setdefault(words, intent["name"])
                elif len(slots) == 1:
                    name = words[slots[0]].strip("{}")
                    self.around.setdefault((words[:slots[0]], words[slots[0] + 1:]),
                                           (intent["name"], name, types.get(name, "")))
        self._matcher: Optional[Matcher] = None

    def hear(self, text: str) -> Match:
        heard = self.exactly(text)
        if heard is None:
            if self._matcher is None:
                self._matcher = Matcher(load_model(self.locale))
            heard = self._matcher.match(text)
        return heard

    def exactly(self, text: str) -> Optional[Match]:
        """The intent a sample said word for word means; None if it is no sample."""
        words = _words(text)
        if words in self.exact:
            return Match(self.exact[words])
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                frame = self.around.get((words[:start], words[end:]))
                value = frame and self.values.get(frame[2], {}).get(words[start:end])
                if frame and value:
                    return Match(frame[0], {frame[1]: value})
        return None


class Walker:
    """Walks routines through one skill (the Lambda entry point) with a stand-in
    Settings API, so that night is the device's own 3 a.m."""

    def __init__(self, handler: Callable[[dict, object], dict], settings_url: str):
        self.handler = handler
        self.settings_url = settings_url
        self._hearings: dict[str, Hearing] = {}

    def hearing(self, locale: str) -> Hearing:
        if locale not in self._hearings:
            self._hearings[locale] = Hearing(locale)
        return self._hearings[locale]

    def ways_in(self, locale: str, routine: Routine) -> list[str]:
        if routine.intent is None:
            return ["launch"]
        ways = ["one-shot"]
        if "_nameFreeInteraction" in load_model(locale)["interactionModel"]:
            ways.append("name-free")
        return ways

    def opening(self, locale: str, routine: Routine, way: str) -> tuple[str, Optional[dict]]:
        """What the person says to begin, and the intent and slots it is heard as
        (None for the launch)."""
        language, hearing = language_of(locale), self.hearing(locale)
        invocation = load_model(locale)["interactionModel"]["languageModel"]["invocationName"]
        if routine.intent is None:
            return LAUNCH[language].format(invocation=invocation), None
        if routine.muscle:
            request = ASKED[language].format(muscle=self._muscle_word(locale, routine.muscle))
        else:
            request = BEDTIME[language]
        words = request if way == "name-free" else \
            ONE_SHOT[language].format(invocation=invocation, request=request)
        heard = hearing.hear(request)
        resolved = {name: slot for name, slot in heard.slots.items()}
        if heard.intent != routine.intent or (
                routine.muscle and (resolved.get("muscle") or (None, None))[1] != routine.muscle):
            raise RuntimeError(f"{words!r} is heard as {heard.explain()} in {locale}")
        return words, {"intent": heard.intent, "slots": heard.slots}

    def _muscle_word(self, locale: str, muscle_id: str) -> str:
        language = load_model(locale)["interactionModel"]["languageModel"]
        for slot_type in language["types"]:
            for value in slot_type["values"]:
                if value.get("id") == muscle_id:
                    return value["name"]["value"]
        raise KeyError(muscle_id)

    def walk(self, locale: str, routine: Routine, way: str, night: bool,
             screen: bool) -> Walk:
        walk = Walk(routine, way, locale, night, screen)
        voice = speech_time.voice_for(locale)
        started = NIGHT if night else DAY
        clock = 0.0  # seconds since the end of the wake phrase
        options_for = dict(locale=locale, api_endpoint=self.settings_url,
                           screen=SCREEN if screen else None)
        words, heard = self.opening(locale, routine, way)
        walk.said.append(words)
        moment = started
        if heard is None:
            request = envelopes.launch(timestamp=moment, **options_for)
        else:
            if way == "name-free":
                asked = self.handler(envelopes.can_fulfill(
                    heard["intent"], heard["slots"], timestamp=moment, **options_for), None)
                answer = asked["response"]["canFulfillIntent"]["canFulfill"]
                if answer != "YES":
                    raise RuntimeError(f"name-free {words!r} in {locale}: {answer}")
            request = envelopes.intent(heard["intent"], heard["slots"], new=True,
                                       timestamp=moment, **options_for)
        for _ in range(MAX_TURNS):
            body = self.handler(request, None)
            clock += LATENCY_S
            timeline = speech_of(body, locale)
            walk.heard.append((clock, timeline))
            countdown = countdown_of(body)
            holds = timeline.holds()
            if countdown and holds:
                walk.countdowns.append((round(countdown[0] - holds[0].start, 1),
                                        round(countdown[1] - holds[0].chime, 1)))
            clock += timeline.seconds
            text = " ".join(item.text for item in timeline.items if item.kind == "talk")
            walk.last_speech = text
            ended = body["response"].get("shouldEndSession") is not False
            reply = None if ended else self._reply(locale, text, routine)
            if reply is None:  # over, unless it stopped before any hold was heard
                walk.finished = walk.hold_at is not None
                return walk
            said, match = reply
            walk.said.append(said)
            clock += speech_time.talk_seconds(said, voice)
            moment = started + timedelta(seconds=clock)
            request = envelopes.intent(match.intent, match.slots, timestamp=moment,
                                       session_attributes=body.get("sessionAttributes") or {},
                                       **options_for)
        return walk

    def _reply(self, locale: str, text: str, routine: Routine):
        """What a person who wants to get through says to this: the option that
        moves on, or the answer the routine gives to what it is asked ("Say the
        front, or the back", "Is it the front or the back of your thigh?": "back").
        None when nothing is asked that moves them on (the routine is over)."""
        language, hearing = language_of(locale), self.hearing(locale)
        offered = options(text, language)
        for hear in (hearing.exactly, hearing.hear):  # the tolerant matcher only if need be
            heard = [(option, hear(option)) for option in offered]
            for intent in FORWARD:
                for option, match in heard:
                    if match is not None and match.intent == intent:
                        return option, match
        wanted = ANSWERS[language].get(routine.answer or "")
        asked = [*offered, *re.findall(r"[^.?!¿]*\?", text)]  # "Say the back", or a question
        if wanted and any(wanted in _words(question) for question in asked):
            return wanted, hearing.hear(wanted)
        return None


class _SettingsApi(BaseHTTPRequestHandler):
    """Alexa's Settings API as far as the night voice asks: the device's time zone."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = json.dumps(ZONE).encode()
        self.send_response(200 if self.path.endswith("/settings/System.timeZone") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def walks(locales: Optional[list[str]] = None, screens: tuple[bool, ...] = (False, True),
          nights: tuple[bool, ...] = (False, True)) -> Iterator[Walk]:
    """Every routine, way in, locale, day and night, without and with a screen."""
    from skill.app import lambda_handler
    from tests.local_http import LocalServer

    settings = LocalServer(_SettingsApi)
    try:
        walker = Walker(lambda_handler(), settings.url)
        for locale in locales or list(supported_locales()):
            for routine in ROUTINES:
                for way in walker.ways_in(locale, routine):
                    for night in nights:
                        for screen in screens:
                            yield walker.walk(locale, routine, way, night, screen)
    finally:
        settings.close()


def responses_said(locale: str) -> list[str]:
    """Every distinct SSML answer of the walks in a locale, day and night (for the
    calibration's check of whole responses)."""
    said: dict[str, None] = {}
    from skill.app import lambda_handler
    from tests.local_http import LocalServer

    settings = LocalServer(_SettingsApi)
    try:
        handler = lambda_handler()
        walker = Walker(lambda body, context: _keep(handler(body, context), said),
                        settings.url)
        for routine in ROUTINES:
            for night in (False, True):
                walker.walk(locale, routine, walker.ways_in(locale, routine)[0], night, False)
    finally:
        settings.close()
    return list(said)


def _keep(body: dict, said: dict) -> dict:
    ssml = ((body.get("response") or {}).get("outputSpeech") or {}).get("ssml")
    if ssml:
        said[ssml] = None
    return body


# ---------------------------------------------------------------- the report
def summary(done: list[Walk]) -> dict:
    """The bench keys: the worst figures over routines, ways in and locales."""
    voice = [walk for walk in done if not walk.screen and not walk.routine.variant]
    relief = [walk for walk in voice if walk.routine.relief]

    def worst(walks_: list[Walk], value: Callable[[Walk], Optional[float]]):
        scored = [(value(walk), walk) for walk in walks_ if value(walk) is not None]
        return max(scored, key=lambda pair: pair[0]) if scored else (None, None)

    def where(walk: Optional[Walk]) -> str:
        return "" if walk is None else (f"{walk.routine.name}, {walk.way}, {walk.locale}, "
                                        f"{'night' if walk.night else 'day'}")

    at_night = [walk for walk in relief if walk.night]
    to_hold, to_hold_walk = worst(at_night, lambda walk: walk.hold_at)
    by_day, _ = worst([walk for walk in relief if not walk.night], lambda walk: walk.hold_at)
    talk, talk_walk = worst(voice, lambda walk: walk.longest_talk_s)
    offset, offset_walk = worst([walk for walk in done
                                 if walk.screen and not walk.routine.variant],
                                lambda walk: walk.worst_countdown_offset)
    turns, turns_walk = worst(relief, lambda walk: walk.turns)
    bedtime = [walk for walk in voice if not walk.routine.relief]
    return {
        "relief_seconds_to_hold": to_hold,
        "relief_seconds_to_hold_where": where(to_hold_walk),
        "relief_seconds_to_hold_day": by_day,
        "relief_longest_talk_s": talk,
        "relief_longest_talk_where": where(talk_walk),
        "relief_countdown_offset_s": offset,
        "relief_countdown_offset_where": where(offset_walk),
        "relief_turns": turns,
        "relief_turns_where": where(turns_walk),
        "relief_bedtime_turns": max((walk.turns for walk in bedtime), default=None),
        "relief_walks": len(done),
        "relief_unfinished": sum(not walk.finished for walk in done),
        "relief_latency_per_turn_s": LATENCY_S,
    }


def table(done: list[Walk]) -> list[dict]:
    """One row per routine x way in x locale: day and night side by side, the
    countdown's offsets from the screen walk."""
    rows: dict[tuple, dict] = {}
    for walk in done:
        key = (walk.routine.name, walk.way, walk.locale)
        row = rows.setdefault(key, {"routine": key[0], "way": key[1], "locale": key[2]})
        when = "night" if walk.night else "day"
        if walk.screen:
            start, zero = walk.countdowns[0] if walk.countdowns else (None, None)
            row[f"countdown_{when}"] = (start, zero)
        else:
            row[f"to_hold_{when}"] = walk.hold_at
            row[f"longest_talk_{when}"] = walk.longest_talk_s
            row[f"opening_{when}"] = walk.opening_s
            row["turns"] = walk.turns
    return list(rows.values())


def print_table(rows: list[dict], out=sys.stdout) -> None:
    def cell(value) -> str:
        if value is None:
            return "-"
        if isinstance(value, tuple):
            return "/".join("-" if part is None else f"{part:+.1f}" for part in value)
        return f"{value:g}" if isinstance(value, float) else str(value)

    header = ("routine", "way", "locale", "to hold day", "to hold night", "opening night",
              "longest talk night", "turns", "countdown night (start/zero)")
    widths = (18, 9, 6, 11, 13, 13, 18, 5, 28)
    print("  ".join(name.ljust(width) for name, width in zip(header, widths)), file=out)
    for row in rows:
        cells = (row["routine"], row["way"], row["locale"], row.get("to_hold_day"),
                 row.get("to_hold_night"), row.get("opening_night"),
                 row.get("longest_talk_night"), row.get("turns"), row.get("countdown_night"))
        print("  ".join(cell(value).ljust(width) for value, width in zip(cells, widths)),
              file=out)


def measure() -> tuple[dict, list[dict]]:
    done = list(walks())
    return summary(done), table(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    report, rows = measure()
    print_table(rows)
    for name, value in report.items():
        print(f"{name:<34}{value}")
    if args.json:
        print(json.dumps({**report, "rows": rows}))


if __name__ == "__main__":
    main()

"""How well the interaction models route people's own words: the routing benchmark.

The phrasings (phrasings.json) were written before the grammar was grown. Each is
routed two ways: through virtual-alexa's exact matcher over the locale's model
(route.js), and through the text console's matcher. A phrasing is a hit when it
reaches its intent with the slot ids it names; a false alarm is a phrasing that
is not a red flag but reaches RedFlagIntent with a sign resolved.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent.parent
PHRASINGS = {"en": Path(__file__).with_name("phrasings.json"),
             "es": Path(__file__).with_name("phrasings_es.json")}
SCRIPT = Path(__file__).with_name("route.js")
RED_FLAG = "RedFlagIntent"
FALLBACK = "AMAZON.FallbackIntent"


class Phrasing(NamedTuple):
    locale: str
    said: str
    intent: str
    slots: dict
    probe: bool  # ordinary words that must never raise an alarm


class Routed(NamedTuple):
    intent: str
    slots: dict  # slot name -> resolved id, or None when unresolved


def phrasings(language: str = "en") -> list[Phrasing]:
    data = json.loads(PHRASINGS[language].read_text())
    return [Phrasing(locale, entry[0], entry[1], entry[2], "false_alarm_probe" in entry[3:])
            for locale, entries in data.items() if not locale.startswith("_")
            for entry in entries]


def _model(locale: str) -> dict:
    return json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text())


def _resolver(model: dict):
    """Spoken slot value -> id, as Alexa's entity resolution does for listed values."""
    ids = {}
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        for value in slot_type["values"]:
            for spoken in [value["name"]["value"], *value["name"]["synonyms"]]:
                ids[(slot_type["name"], spoken.lower())] = value["id"]
    types = {(intent["name"], slot["name"]): slot["type"]
             for intent in model["interactionModel"]["languageModel"]["intents"]
             for slot in intent.get("slots", [])}
    return lambda intent, name, value: ids.get((types.get((intent, name)), value.lower()))


def route_virtual_alexa(locale: str, said: list[str]) -> list[Routed]:
    model = _model(locale)
    resolve = _resolver(model)
    script = {"model": str(ROOT / "interaction_models" / f"{locale}.json"), "locale": locale,
              "phrases": said}
    result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(script), cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=True)
    return [Routed(item["intent"] or FALLBACK,
                   {name: resolve(item["intent"], name, value)
                    for name, value in item["slots"].items() if value})
            for item in json.loads(result.stdout)]


def route_console(locale: str, said: list[str]) -> list[Routed]:
    from skill.understanding import Matcher, load_model

    matcher = Matcher(load_model(locale))
    routed = []
    for text in said:
        match = matcher.match(text)
        routed.append(Routed(match.intent, {name: resolved
                                            for name, (_, resolved) in match.slots.items()}))
    return routed


def is_hit(phrasing: Phrasing, routed: Routed) -> bool:
    return routed.intent == phrasing.intent and all(
        routed.slots.get(name) == wanted for name, wanted in phrasing.slots.items())


def is_false_alarm(phrasing: Phrasing, routed: Routed) -> bool:
    """Ordinary words that reach a red flag with a sign resolved: the skill would give
    urgent advice. (An unresolved sign only gets a question back.)"""
    return (phrasing.intent != RED_FLAG and routed.intent == RED_FLAG
            and any(routed.slots.values()))


class Report(NamedTuple):
    hits: int
    total: int
    false_alarms: int
    per_intent: dict  # intent -> (hits, total)
    misses: list      # (phrasing, routed)

    @property
    def rate(self) -> float:
        return self.hits / self.total


def evaluate(router, only: Optional[list[str]] = None, language: str = "en") -> Report:
    """Route every phrasing of a language (of the given locales) and score it."""
    by_locale = defaultdict(list)
    for phrasing in phrasings(language):
        if only is None or phrasing.locale in only:
            by_locale[phrasing.locale].append(phrasing)
    hits = alarms = 0
    per_intent: dict = defaultdict(lambda: [0, 0])
    misses = []
    for locale, group in by_locale.items():
        for phrasing, routed in zip(group, router(locale, [p.said for p in group])):
            hit = is_hit(phrasing, routed)
            hits += hit
            alarms += is_false_alarm(phrasing, routed)
            per_intent[phrasing.intent][0] += hit
            per_intent[phrasing.intent][1] += 1
            if not hit:
                misses.append((phrasing, routed))
    total = sum(len(group) for group in by_locale.values())
    return Report(hits, total, alarms, {k: tuple(v) for k, v in sorted(per_intent.items())},
                  misses)

"""How well the interaction models route people's own words: the routing benchmark.

Three sets of phrasings, each an entry of what a person says, the intent it must
reach and the resolved slot ids it must carry ('false_alarm_probe' marks ordinary
words that must never raise an alarm):
- phrasings.json and phrasings_es.json, the sets the grammar was first grown
  against (English before the grammar, Spanish after it);
- development.json, the set round three's grammar was grown from;
- development_2.json and development_3.json, development sets written by helpers
  who never saw the grammar or the other sets, each committed before the grammar
  grew from it;
- blind.json, written by someone who never saw the grammar, the models or the
  other sets: the figure that counts. It is read only as figures per intent and
  per locale; the grammar is never changed for one of its lines.

Each phrasing is heard three ways: exact matching (virtual-alexa's own matcher
over the locale's model, route.js: a lower bound on Alexa), the text console's
tolerant matcher, and the NLU proxy (proxy.py: a statistical classifier trained
on the model's own samples, closer to how Alexa's NLU generalises). Slots are
read as the skill reads them (skill/alexa/slots.py): the listed value's id, or
the lexicon's reading of the words. A phrasing is a hit when it reaches its
intent with the slot ids it names; a false alarm is a phrasing that is not a
red flag but reaches RedFlagIntent with a sign resolved; a wrong intent is a
confident answer for another intent (the fallback, "say that again", is not).
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PHRASINGS = {"en": HERE / "phrasings.json", "es": HERE / "phrasings_es.json"}
SETS = {"tuning": [HERE / "phrasings.json", HERE / "phrasings_es.json"],
        "development": [HERE / "development.json"],
        "development_2": [HERE / "development_2.json"],
        "development_3": [HERE / "development_3.json"],
        "blind": [HERE / "blind.json"]}
SCRIPT = HERE / "route.js"
RED_FLAG = "RedFlagIntent"
FALLBACK = "AMAZON.FallbackIntent"
SIGN_SLOTS = ("sign", "symptom")


class Phrasing(NamedTuple):
    locale: str
    said: str
    intent: str
    slots: dict
    probe: bool  # ordinary words that must never raise an alarm


class Routed(NamedTuple):
    intent: str
    slots: dict  # slot name -> resolved id, or None when unresolved


Router = Callable[[str, list[str]], list[Routed]]


def _read(path: Path) -> list[Phrasing]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Phrasing(locale, entry[0], entry[1], entry[2], "false_alarm_probe" in entry[3:])
            for locale, entries in data.items() if not locale.startswith("_")
            for entry in entries]


def phrasings(language: str = "en") -> list[Phrasing]:
    """The first tuning set of a language (phrasings.json or phrasings_es.json)."""
    return _read(PHRASINGS[language])


def phrasing_set(name: str, language: Optional[str] = None) -> list[Phrasing]:
    """A named set (tuning, development, blind), of one language or both."""
    found = [phrasing for path in SETS[name] for phrasing in _read(path)]
    return [p for p in found if language is None or p.locale.startswith(language)]


def attack_set(language: Optional[str] = None) -> list[Phrasing]:
    """The attack set (attack.json): ordinary sentences that must never raise an alarm
    (their intent is left open: only an alarm counts against them) and real signs, each
    wanting its tier."""
    data = json.loads((HERE / "attack.json").read_text(encoding="utf-8"))
    found = [Phrasing(locale, said, FALLBACK, {}, True)
             for locale, lines in data["ordinary"].items() for said in lines]
    found += [Phrasing(locale, said, RED_FLAG, {slot: sign}, False)
              for locale, lines in data["signs"].items() for said, slot, sign in lines]
    return [p for p in found if language is None or p.locale.startswith(language)]


def _model_path(locale: str) -> Path:
    return ROOT / "interaction_models" / f"{locale}.json"


def _model(locale: str) -> dict:
    return json.loads(_model_path(locale).read_text(encoding="utf-8"))


def heard_as_the_skill_does(locale: str, intent: str, said: dict[str, str]) -> Routed:
    """Slot words as the skill's handlers read them (skill/alexa/slots.py): the listed
    value's id, else the lexicon's reading of the words, in the light of the others."""
    from skill.alexa.slots import read_words
    from skill.understanding import Lexicon

    ids = read_words(Lexicon.load(locale), said, {name: None for name in said})
    return Routed(intent, {name: found for name, found in ids.items()
                           if name in said or found})


Heard = tuple  # (intent, {slot name: the words Alexa would send in it})


def heard_virtual_alexa(locale: str, said: list[str]) -> list[Heard]:
    script = {"model": str(_model_path(locale)), "locale": locale, "phrases": said}
    result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(script), cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=True)
    return [(item["intent"] or FALLBACK,
             {name: value for name, value in item["slots"].items() if value})
            for item in json.loads(result.stdout)]


@lru_cache(maxsize=None)
def console_matcher(locale: str):
    from skill.understanding import Matcher, load_model

    return Matcher(load_model(locale))


def heard_console(locale: str, said: list[str]) -> list[Heard]:
    matcher = console_matcher(locale)
    return [(match.intent, {name: value for name, (value, _) in match.slots.items()})
            for match in map(matcher.match, said)]


def heard_proxy(locale: str, said: list[str]) -> list[Heard]:
    from tests.routing import proxy

    classifier = proxy.trained(locale)
    return [classifier.hear(text) for text in said]


HEARD = {"va": heard_virtual_alexa, "console": heard_console, "proxy": heard_proxy}


def route_virtual_alexa(locale: str, said: list[str]) -> list[Routed]:
    return [heard_as_the_skill_does(locale, *heard) for heard in heard_virtual_alexa(locale, said)]


def route_console(locale: str, said: list[str]) -> list[Routed]:
    return [heard_as_the_skill_does(locale, *heard) for heard in heard_console(locale, said)]


def route_proxy(locale: str, said: list[str]) -> list[Routed]:
    return [heard_as_the_skill_does(locale, *heard) for heard in heard_proxy(locale, said)]


def request_slots(locale: str, slots: dict[str, str]) -> dict:
    """A heard intent's slots as Alexa sends them (tests: skill.envelopes.intent): the
    words, with entity resolution's id when the models list them, else unresolved."""
    from skill.understanding import Lexicon

    lexicon = Lexicon.load(locale)
    return {name: (value, lexicon.listed(lexicon.slot_type(name) or "", value))
            for name, value in slots.items()}


ROUTERS: dict[str, Router] = {"va": route_virtual_alexa, "console": route_console,
                              "proxy": route_proxy}


def is_hit(phrasing: Phrasing, routed: Routed) -> bool:
    return routed.intent == phrasing.intent and all(
        routed.slots.get(name) == wanted for name, wanted in phrasing.slots.items())


def is_false_alarm(phrasing: Phrasing, routed: Routed) -> bool:
    """Ordinary words that reach a red flag with a sign resolved: the skill would give
    urgent advice. (An unresolved sign only gets a question back.)"""
    return (phrasing.intent != RED_FLAG and routed.intent == RED_FLAG
            and any(routed.slots.values()))


def is_wrong_intent(phrasing: Phrasing, routed: Routed) -> bool:
    """A confident answer for another intent: worse than "say that again"."""
    return routed.intent not in (phrasing.intent, FALLBACK)


def tier_of(locale: str, slots: dict) -> Optional[str]:
    """The advice a red flag's ids call for, as the red-flag move reads them (the gravest)."""
    from skill import content

    return content.load(locale).gravest_tier(*(slots.get(name) for name in SIGN_SLOTS))


def urgent_tiers(locale: str) -> set[str]:
    from skill import content

    loaded = content.load(locale)
    return {tier for tier in loaded.sign_tiers.values() if loaded.answer(tier).urgent}


class Report(NamedTuple):
    hits: int
    total: int
    false_alarms: int
    per_intent: dict  # intent -> (hits, total)
    misses: list      # (phrasing, routed)
    per_locale: dict = {}  # locale -> (hits, total)
    wrong: int = 0         # confident answers for another intent
    urgent: tuple = (0, 0)  # (reached, total) of the phrasings of an urgent or emergency sign

    @property
    def rate(self) -> float:
        return self.hits / self.total

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.total


def hear(router: Router, to_hear: list[Phrasing]) -> list[Routed]:
    """Every phrasing heard one way, one call per locale, in the order given."""
    by_locale = defaultdict(list)
    for index, phrasing in enumerate(to_hear):
        by_locale[phrasing.locale].append(index)
    routed: list = [None] * len(to_hear)
    for locale, indexes in by_locale.items():
        for index, heard in zip(indexes, router(locale, [to_hear[i].said for i in indexes])):
            routed[index] = heard
    return routed


def evaluate(router: Router, only: Optional[list[str]] = None, language: str = "en",
             phrasings_to_hear: Optional[list[Phrasing]] = None) -> Report:
    """Route every phrasing (of a set, or the first tuning set of a language; of the
    given locales) and score it."""
    to_hear = [phrasing for phrasing in
               (phrasings(language) if phrasings_to_hear is None else phrasings_to_hear)
               if only is None or phrasing.locale in only]
    return score(to_hear, hear(router, to_hear))


def score(heard: list[Phrasing], routed: list[Routed]) -> Report:
    """The figures of phrasings and how they were heard."""
    by_locale = defaultdict(list)
    for phrasing, result in zip(heard, routed):
        by_locale[phrasing.locale].append((phrasing, result))
    hits = alarms = wrong = reached = urgent = 0
    per_intent: dict = defaultdict(lambda: [0, 0])
    per_locale: dict = {}
    misses = []
    for locale, group in by_locale.items():
        tiers = urgent_tiers(locale)
        locale_hits = 0
        for phrasing, routed in group:
            hit = is_hit(phrasing, routed)
            hits += hit
            locale_hits += hit
            alarms += is_false_alarm(phrasing, routed)
            wrong += is_wrong_intent(phrasing, routed)
            per_intent[phrasing.intent][0] += hit
            per_intent[phrasing.intent][1] += 1
            wanted = tier_of(locale, phrasing.slots) if phrasing.intent == RED_FLAG else None
            if wanted in tiers:
                urgent += 1
                reached += routed.intent == RED_FLAG and tier_of(locale, routed.slots) == wanted
            if not hit:
                misses.append((phrasing, routed))
        per_locale[locale] = (locale_hits, len(group))
    total = len(heard)
    return Report(hits, total, alarms, {k: tuple(v) for k, v in sorted(per_intent.items())},
                  misses, per_locale, wrong, (reached, urgent))

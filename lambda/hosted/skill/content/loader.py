"""Reads what the skill says from the per-locale content files, once per locale.

Content is data: a reviewed wording change or a new locale touches no move.
Each locale is its language's base file (en.json, es.json) with the locale's own
file laid over it. Loading validates everything a move relies on, so a bad edit fails
at start-up and in the tests, not in front of someone in pain.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any, Optional

from skill.content.records import Answer, Hold, Line, Routine, Step
from skill.speech import Segment, segment_of

CONTENT_DIR = os.path.dirname(os.path.abspath(__file__))
BASE_FILE = "en.json"
DEFAULT_LOCALE = "en"  # the base alone: names no country's emergency number


class ContentError(ValueError):
    """A content file is not what the moves need."""


class Content:
    """One locale's content, validated and with its values filled in."""

    def __init__(self, locale: str, raw: dict[str, Any]):
        self.locale = locale
        self.sources: dict[str, str] = raw["sources"]
        self._values: dict[str, str] = raw["values"]
        self._phrases = {key: self.fill(text, f"phrases.{key}")
                         for key, text in raw["phrases"].items()}
        self._holds = {name: self._hold(name, entry) for name, entry in raw["holds"].items()}
        self._steps = {key: self._step(key, entry)
                       for key, entry in raw["steps"].items()}
        self._answers = {key: self._answer(key, entry)
                         for key, entry in raw["answers"].items()}
        self._routines = {name: self._routine(name, entry)
                          for name, entry in raw["routines"].items()}
        self._tier_rank = {tier: rank for rank, tier in enumerate(raw["signs"])}
        self._sign_tiers = {sign: tier for tier, signs in raw["signs"].items()
                            for sign in signs}
        self._check_references()

    # What moves ask for.
    def phrase(self, key: str, **names: object) -> str:
        """A phrase; {{name}} in it is filled from `names` ("Step {{step}} of {{steps}}")."""
        text = self._phrases[key]
        return text.format(**names) if names else text

    def answer(self, key: str) -> Answer:
        return self._answers[key]

    def has_answer(self, key: str) -> bool:
        return key in self._answers

    def hold(self, name: str) -> Hold:
        return self._holds[name]

    def routine(self, name: str) -> Routine:
        return self._routines[name]

    def has_routine(self, name: str) -> bool:
        return name in self._routines

    @property
    def phrases(self) -> dict[str, str]:
        return dict(self._phrases)

    @property
    def answers(self) -> dict[str, Answer]:
        return dict(self._answers)

    @property
    def steps(self) -> dict[str, Step]:
        return dict(self._steps)

    def value(self, key: str) -> str:
        return self._values[key]

    def sign_tier(self, sign_id: Optional[str]) -> Optional[str]:
        """The advice a resolved sign calls for (an answer key), or None for no known sign."""
        return self._sign_tiers.get(sign_id) if sign_id else None

    def gravest_tier(self, *sign_ids: Optional[str]) -> Optional[str]:
        """Of several signs ("swollen and I can't breathe"), the advice of the gravest:
        urgent before not, then in the content's order of tiers (emergency first)."""
        tiers = [tier for tier in map(self.sign_tier, sign_ids) if tier]
        return min(tiers, key=lambda tier: (not self.answer(tier).urgent, self._tier_rank[tier]),
                   default=None)

    @property
    def sign_tiers(self) -> dict[str, str]:
        return dict(self._sign_tiers)

    # Loading and validation.
    def fill(self, text: str, where: str) -> str:
        if not isinstance(text, str):
            raise ContentError(f"{where}: expected text, got {text!r}")
        names = re.findall(r"(?<!\{)\{(\w*)\}(?!\})", text)  # {{name}} is filled later
        missing = [name for name in names if name not in self._values]
        if missing:
            raise ContentError(f"{where}: no value for {missing}")
        return text.format_map(self._values)

    def _segments(self, raw: Any, where: str) -> tuple[Segment, ...]:
        items = [raw] if isinstance(raw, str) else raw
        segments: list[Segment] = []
        for item in items:
            try:
                segment = segment_of(item)
            except ValueError as error:
                raise ContentError(f"{where}: {error}") from None
            segments.append(self.fill(segment, where) if isinstance(segment, str) else segment)
        return tuple(segments)

    def _sources(self, entry: dict, where: str) -> tuple[str, ...]:
        sources = tuple(entry.get("sources") or ())
        if not sources:
            raise ContentError(f"{where}: a health statement needs its sources")
        unknown = [source for source in sources if source not in self.sources]
        if unknown:
            raise ContentError(f"{where}: unknown sources {unknown}")
        return sources

    def _line(self, entry: dict, where: str) -> Line:
        return Line(self._segments(entry["say"], where), self._sources(entry, where))

    def _hold(self, name: str, entry: dict) -> Hold:
        where = f"holds.{name}"
        return Hold(self._segments(entry["say"], where), self.fill(entry["again"], where),
                    entry.get("kind"))

    def _step(self, key: str, entry: dict) -> Step:
        where = f"steps.{key}"
        hold = entry.get("hold")
        if hold is not None and hold not in self._holds:
            raise ContentError(f"{where}: unknown hold {hold!r}")
        intro = entry.get("intro")
        return Step(key, self._segments(entry["say"], where),
                    self._holds[hold] if hold else None,
                    self.fill(intro, where) if intro is not None else None,
                    self.fill(entry["place"], where),
                    entry.get("standing") is True,
                    self.fill(entry["prompt"], where),
                    self.fill(entry["reprompt"], where),
                    self._sources(entry, where),
                    self._segments(entry.get("caveat", []), where),
                    entry.get("flows") is True)

    def _answer(self, key: str, entry: dict) -> Answer:
        where = f"answers.{key}"
        listed = entry.get("tiers") or entry.get("tips")
        if listed:
            parts = tuple(self._line(part, f"{where}[{index}]")
                          for index, part in enumerate(listed))
        else:
            parts = (self._line(entry, where),)
        offer = entry.get("offer")
        intro = entry.get("intro")
        return Answer(parts, self.fill(intro, where) if intro is not None else None, offer,
                      entry.get("ask", f"offer_{offer}" if offer else None),
                      entry.get("more", "offer_more" if len(parts) > 1 else None),
                      entry.get("urgent") is True, entry.get("serious") is True)

    def _routine(self, name: str, entry: dict) -> Routine:
        missing = [step for step in entry["steps"] if step not in self._steps]
        if missing or not entry["steps"]:
            raise ContentError(f"routines.{name}: unknown or no steps {missing}")
        return Routine(name, tuple(self._steps[step] for step in entry["steps"]),
                       entry["finish"], entry.get("seated"), entry.get("relief", True) is True)

    def _check_references(self) -> None:
        for routine in self._routines.values():
            if routine.finish not in self._answers:
                raise ContentError(f"routines.{routine.name}: unknown finish {routine.finish!r}")
            if routine.seated and routine.seated not in self._routines:
                raise ContentError(f"routines.{routine.name}: unknown seated {routine.seated!r}")
        for key, answer in self._answers.items():
            for phrase in (answer.ask, answer.more):
                if phrase and phrase not in self._phrases:
                    raise ContentError(f"answers.{key}: unknown phrase {phrase!r}")
            if answer.offer and not (answer.offer in self._answers
                                     or answer.offer in self._routines):
                raise ContentError(f"answers.{key}: cannot offer {answer.offer!r}")
        for tier in set(self._sign_tiers.values()):
            if tier not in self._answers:
                raise ContentError(f"signs.{tier}: no answer of that name")


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=None)
def supported_locales() -> tuple[str, ...]:
    return tuple(sorted(name[:-5] for name in os.listdir(CONTENT_DIR)
                        if name.endswith(".json") and "-" in name))


def resolve_locale(locale: object) -> str:
    """The content locale for a request's locale; unknown ones (or junk) get the base."""
    if isinstance(locale, str) and locale in supported_locales():
        return locale
    return DEFAULT_LOCALE


def load(locale: Optional[str] = DEFAULT_LOCALE) -> Content:
    """The content for a request's locale. Cached by the locale it resolves to, so
    requests in thousands of made-up locales share the one base."""
    return _load_resolved(resolve_locale(locale))


def base_file_for(locale: str) -> str:
    """A locale's base: its language's file (es.json for es-MX), else the English one."""
    language = f"{locale.split('-')[0]}.json"
    return language if os.path.exists(os.path.join(CONTENT_DIR, language)) else BASE_FILE


@lru_cache(maxsize=None)
def _load_resolved(locale: str) -> Content:
    with open(os.path.join(CONTENT_DIR, base_file_for(locale)), encoding="utf-8") as base_file:
        raw = json.load(base_file)
    if locale != DEFAULT_LOCALE:
        with open(os.path.join(CONTENT_DIR, f"{locale}.json"), encoding="utf-8") as locale_file:
            raw = _deep_merge(raw, json.load(locale_file))
    return Content(locale, raw)

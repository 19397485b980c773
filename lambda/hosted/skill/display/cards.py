"""Draws a card (skill.coach.replies.Card) as an APL RenderDocument directive.

Imported only for a device that renders APL, so neither this module nor
ask_sdk_model's APL classes cost anything elsewhere. Documents, drawings and
styles are JSON data beside this file, read once; the words on a card come from
the locale's content, as spoken.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Optional

from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

from skill.coach.replies import Card
from skill.content import Content
from skill.display.pace import seconds_of

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "cramp-coach-card"
KINDS = ("step", "answer", "urgent")  # the cards there are, one document each
WITH_NUMBER = ("red_flag_emergency", "red_flag_tetanus")  # emergency advice: call the number
SMALL_HUB_DP = 600  # a hub less tall than this is a small one (Echo Show 5)


@lru_cache(maxsize=None)
def data(name: str) -> dict:
    with open(os.path.join(HERE, name), encoding="utf-8") as file:
        return json.load(file)


def version_of(text: object) -> Optional[tuple[int, ...]]:
    """An APL version ("1.9", "2023.3") as numbers in the order they compare; None
    for anything else."""
    if not (isinstance(text, str) and re.fullmatch(r"\d{1,4}(\.\d{1,4}){0,2}", text)):
        return None
    return tuple(int(part) for part in text.split("."))


def renders_on(runtime_version: object) -> bool:
    """Whether a device whose APL runtime is of this version (its maxVersion, as the
    request says) renders every document a card may be: an older one, or one that
    does not say, gets the voice alone, never a document it can't show."""
    device = version_of(runtime_version)
    needed = [version_of(data(f"documents/{kind}.json").get("version")) for kind in KINDS]
    return device is not None and all(
        version is not None and version <= device for version in needed)


def document(kind: str, drawing: str = "") -> dict:
    """The document for a kind of card; a step's carries its one drawing. (A new
    top-level dict over the cached data, which is never changed.)"""
    template = data(f"documents/{kind}.json")
    if not drawing:
        return template
    return {**template, "graphics": {drawing: data("drawings.json")["graphics"][drawing]}}


def layout_of(viewport) -> str:
    """The kind of screen, from the viewport Alexa describes (see styles.json)."""
    if getattr(getattr(viewport, "shape", None), "value", None) == "ROUND":
        return "round"
    if getattr(getattr(viewport, "mode", None), "value", None) == "TV":
        return "tv"
    height = getattr(viewport, "current_pixel_height", None) or getattr(
        viewport, "pixel_height", None)
    dpi = getattr(viewport, "dpi", None)
    if (isinstance(height, (int, float)) and isinstance(dpi, (int, float)) and dpi > 0
            and height * 160 / dpi < SMALL_HUB_DP):
        return "hub_small"
    return "hub_large"


def countdown(card: Card, locale: str, night: bool) -> dict:
    """The countdown of a step's hold, timed for the voice it is spoken in (by day,
    or the slower night voice) so that it starts when the counted silence does and
    reaches zero as the chime sounds, each within half a second. The document
    ticks once a second from when it is shown and moves on the first tick at or
    after startAfterMs: N seconds that start moving one tick after second `begin`
    reach zero at `begin + N`. No hold, no countdown (0 seconds)."""
    if not card.timing:
        return {"seconds": 0, "startAfterMs": 0}
    before, hold = card.timing
    start = seconds_of(before, locale, night)
    begin, end = round(start), round(start + seconds_of(hold, locale, night))
    return {"seconds": max(1, end - begin), "startAfterMs": (begin + 1) * 1000}


def datasources(card: Card, content: Content, viewport, drawing: str = "",
                night: bool = False) -> dict:
    """What the document binds to `payload`: the card (with its drawing's name, for a
    step), and the style for this screen."""
    shown: dict = {"text": card.text}
    if card.kind == "step":
        shown.update(progress=content.phrase("card_progress", step=card.step, steps=card.steps),
                     drawing=drawing,
                     countdown=countdown(card, content.locale, night))
    if card.kind in ("step", "answer"):
        shown["buttons"] = [{"label": content.phrase(f"button_{event}"), "event": event}
                            for event in card.buttons]
    if card.kind == "urgent":
        shown["number"] = (content.value("emergency_digits") if card.answer in WITH_NUMBER
                           else "")
    style = data("styles.json")["layouts"][layout_of(viewport)]
    return {"payload": {"card": shown, "style": style}}


def directive(card: Card, content: Content, viewport, night: bool = False
              ) -> RenderDocumentDirective:
    """The card, drawn for the screen the viewport describes, in the locale's words;
    its countdown timed for the voice it is spoken in (the night voice is slower)."""
    drawing = data("drawings.json")["steps"][card.step_id] if card.kind == "step" else ""
    return RenderDocumentDirective(token=TOKEN, document=document(card.kind, drawing),
                                   datasources=datasources(card, content, viewport, drawing,
                                                           night))

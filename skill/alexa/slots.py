"""Reading a slot the way the skill understands it: by its resolved id, never by the
words alone.

Custom slot types are not closed lists: Alexa may fill a slot with words that
match no value ("my leg is fine" can arrive as a sign). Moves act only on an id.
Entity resolution gives one for a listed value; for a value it did not match
(ER_SUCCESS_NO_MATCH, or no resolutions at all), the skill's lexicon reads the
words (skill.understanding.Lexicon): "really swollen" is SWELLING, "cold and
blue" is COLD_PALE_LEG, while "fine", "not swollen" or "cold from the covers"
resolve to nothing, and so get the one sign question.
"""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, get_slot

LEG_SIGN, BODY_SIGN = "sign", "symptom"  # a leg sign's words may name a body sign, not the reverse
MATCHED = "ER_SUCCESS_MATCH"  # compared by value: importing the enum's module costs a cold start


def slot_of(handler_input: HandlerInput, name: str):
    try:
        return get_slot(handler_input, name)
    except (AttributeError, TypeError):
        return None


def resolved_ids(handler_input: HandlerInput) -> dict[str, Optional[str]]:
    """Every slot of the request's intent: its resolved id (upper case), or None."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None)
    if not isinstance(slots, dict):
        return {}
    ids = {name: resolved_id(slot) for name, slot in slots.items() if isinstance(name, str)}
    said = {name: slot_words(slot) for name, slot in slots.items() if name in ids}
    if any(words and ids[name] is None for name, words in said.items()):
        return read_words(lexicon_of(handler_input), said, ids)
    return ids


def read_words(lexicon, said: dict[str, Optional[str]],
               ids: dict[str, Optional[str]]) -> dict[str, Optional[str]]:
    """The ids with each unresolved slot's words read by the lexicon, in the light of the
    others; a sign's words are read as both kinds of sign ("swollen and i can't breathe")."""
    ids = dict(ids)
    unresolved = {name: words for name, words in said.items() if words and not ids.get(name)}
    context = " ".join(words for words in said.values() if words)
    for name, words in unresolved.items():
        ids[name] = lexicon.resolve(lexicon.slot_type(name), words, context)
    if LEG_SIGN in unresolved and not ids.get(BODY_SIGN):
        ids[BODY_SIGN] = lexicon.resolve(lexicon.slot_type(BODY_SIGN), unresolved[LEG_SIGN],
                                         context, strong=True)
    return ids


def resolved_id(slot) -> Optional[str]:
    """A slot object's resolved id (upper case) when entity resolution matched it, else None."""
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None)
    for authority in authorities or []:
        code = getattr(getattr(authority, "status", None), "code", None)
        values = getattr(authority, "values", None)
        if getattr(code, "value", code) == MATCHED and values:
            resolved_id = getattr(getattr(values[0], "value", None), "id", None)
            if isinstance(resolved_id, str) and resolved_id:
                return resolved_id.upper()
    return None


def slot_words(slot) -> Optional[str]:
    """The words Alexa heard in a slot, or None for an empty or forged one."""
    value = getattr(slot, "value", None)
    return value if isinstance(value, str) and value.strip() else None


def lexicon_of(handler_input: HandlerInput):
    """The request's locale's lexicon, imported only when a value needs it (never
    on a launch, so a cold start does not pay for it)."""
    from skill.understanding import Lexicon

    try:
        locale = get_locale(handler_input)
    except (AttributeError, TypeError):
        locale = None
    return Lexicon.load(locale if isinstance(locale, str) else None)

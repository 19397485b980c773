"""Reading a slot the way Alexa resolved it: by entity-resolution id, never by the words.

Custom slot types are not closed lists: Alexa may fill a slot with words that
match no value ("my leg is fine" can arrive as a sign). Moves act only on a
resolved id, so such words can never be taken for a sign, a muscle or a cause.
"""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot

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
    return {name: resolved_id(slot) for name, slot in slots.items() if isinstance(name, str)}


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

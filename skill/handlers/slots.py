"""Reading a slot the way Alexa resolved it: by entity-resolution id, never by the words.

Custom slot types are not closed lists: Alexa may fill a slot with words that
match no value ("my leg is fine" can arrive as a sign). Handlers act only on a
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


def slot_id(handler_input: HandlerInput, name: str) -> Optional[str]:
    """The slot's resolved id (upper case) when entity resolution matched it, else None."""
    return resolved_id(slot_of(handler_input, name))


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

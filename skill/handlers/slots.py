"""Reading a slot the way Alexa resolved it."""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot

MATCHED = "ER_SUCCESS_MATCH"  # compared by value: importing the enum's module costs a cold start


def slot_value(handler_input: HandlerInput, name: str) -> Optional[str]:
    """The slot's resolved id (lower case) when entity resolution matched it,
    else what the person said, else None."""
    try:
        slot = get_slot(handler_input, name)
    except (AttributeError, TypeError):
        return None
    if slot is None:
        return None
    authorities = getattr(slot.resolutions, "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(authority.status, "code", None)
        if (getattr(code, "value", code) == MATCHED
                and authority.values):
            resolved = authority.values[0].value
            if resolved and resolved.id:
                return resolved.id.lower()
    value = slot.value
    return value.strip() if isinstance(value, str) and value.strip() else None

"""Reading a slot the way Alexa resolved it."""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model.slu.entityresolution import StatusCode


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
        if (authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
                and authority.values):
            resolved = authority.values[0].value
            if resolved and resolved.id:
                return resolved.id.lower()
    value = slot.value
    return value.strip() if isinstance(value, str) and value.strip() else None

"""Reading a request as sent, cheaply (the SDK's predicates build a new object per call)."""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput

SILENT_PREFIXES = ("AudioPlayer.", "PlaybackController.")
SILENT_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered",
                "CanFulfillIntentRequest")
TOUCH = "Alexa.Presentation.APL.UserEvent"


def request_type(handler_input: HandlerInput) -> str:
    """The kind of request, e.g. "LaunchRequest"."""
    return getattr(handler_input.request_envelope.request, "object_type", None) or ""


def intent_name(handler_input: HandlerInput) -> Optional[str]:
    """The intent's name for an IntentRequest, else None."""
    request = handler_input.request_envelope.request
    if request_type(handler_input) != "IntentRequest":
        return None
    return getattr(getattr(request, "intent", None), "name", None)


def touch_event(handler_input: HandlerInput) -> Optional[str]:
    """The event a card's button sent (an APL UserEvent's first argument)."""
    arguments = getattr(handler_input.request_envelope.request, "arguments", None)
    if isinstance(arguments, list) and arguments and isinstance(arguments[0], str):
        return arguments[0]
    return None


def has_screen(handler_input: HandlerInput) -> bool:
    """The device renders APL, in a version the cards are written in (checked on the
    request as sent: the display code is imported only for a device with APL)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return False
    from skill.display.cards import renders_on

    return renders_on(getattr(getattr(apl, "runtime", None), "max_version", None))


def takes_no_speech(handler_input: HandlerInput) -> bool:
    """Requests Alexa sends that no one is listening to an answer for: the session
    closed, a player event, a report of an earlier error, a name-free query."""
    kind = request_type(handler_input)
    return kind in SILENT_TYPES or kind.startswith(SILENT_PREFIXES)

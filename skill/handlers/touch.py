"""A touch on a card's button (an APL UserEvent) runs the same routine code as
the voice intent it stands for."""

from __future__ import annotations

from typing import Mapping, Optional

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from skill.handlers.base import request_type

# The event a button sends, and the intent whose handler it shares.
EVENTS = {"next": "AMAZON.NextIntent", "repeat": "AMAZON.RepeatIntent",
          "back": "AMAZON.PreviousIntent", "cant_stand": "CantStandIntent",
          "continue": "AMAZON.ResumeIntent"}


class TouchHandler(AbstractRequestHandler):
    def __init__(self, handlers_by_intent: Mapping[str, AbstractRequestHandler]):
        self.handlers = {event: handlers_by_intent[intent] for event, intent in EVENTS.items()}

    def can_handle(self, handler_input):
        return request_type(handler_input) == "Alexa.Presentation.APL.UserEvent"

    def handle(self, handler_input):
        handler = self.handlers.get(_event_of(handler_input))
        if handler is None:  # not a button of ours: nothing to say
            return handler_input.response_builder.response
        return handler.handle(handler_input)


def _event_of(handler_input) -> Optional[str]:
    arguments = getattr(handler_input.request_envelope.request, "arguments", None)
    if isinstance(arguments, list) and arguments and isinstance(arguments[0], str):
        return arguments[0]
    return None

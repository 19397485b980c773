"""The last line of defence: a calm apology and a way on, never silence."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from skill import log
from skill.alexa.interceptors import turn_of
from skill.alexa.requests import takes_no_speech
from skill.alexa.respond import respond
from skill.coach import moves


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Whatever failed, the person still hears how to ease a cramp and how to go on;
    a request that takes no speech still gets none. Each apology spoken is counted
    (skill.log.apology): to Lambda the invocation succeeded, so its Errors metric
    never sees one."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        kind = type(handler_input.request_envelope.request).__name__
        log.error("handling %s failed: %r", kind, exception, exc_info=exception)
        if takes_no_speech(handler_input):
            return handler_input.response_builder.response
        turn = turn_of(handler_input)
        response = respond(handler_input, turn, moves.error(turn))
        log.apology(kind, exception)
        return response

"""Carrying on after Alexa closed the session: the 15-minute resume point.

The interceptors in skill.interceptors find the point when a session opens and
save it when one closes mid-routine; here is what the person hears about it.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill import routine as engine
from skill.handlers.base import (RESUME_POINT, WELCOME_BACK, Reply, content_of, conversation_of,
                                 intent_name, now_of, request_type, respond)
from skill.handlers.relief import still_hurts
from skill.handlers.safety import long_cramp

REOPENINGS = ("AMAZON.NextIntent", "AMAZON.ResumeIntent", "StillHurtsIntent")


class WelcomeBackHandler(AbstractRequestHandler):
    """Reopening the skill, or a one-shot "next", "continue" or "it still hurts",
    within 15 minutes of a closed session: the cramp's clock first (ten minutes
    on, the long-cramp advice), then the offer to carry on where they were."""

    def can_handle(self, handler_input):
        attributes = handler_input.attributes_manager.request_attributes
        return attributes.get(RESUME_POINT) is not None and (
            request_type(handler_input) == "LaunchRequest"
            or any(intent_name(handler_input) == name for name in REOPENINGS))

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        content = content_of(handler_input)
        state = handler_input.attributes_manager.request_attributes[RESUME_POINT]
        conversation.routine = state
        if (engine.routine_of(content, state).relief
                and engine.has_lasted_too_long(state, now_of(handler_input))):
            return respond(handler_input, long_cramp(handler_input))
        if intent_name(handler_input) == "StillHurtsIntent":
            return respond(handler_input, still_hurts(handler_input))
        state.paused = True
        conversation.offer = WELCOME_BACK
        step = engine.current_step(content, state)
        prompt = content.phrase("prompt_welcome_back")
        return respond(handler_input, Reply([content.phrase("welcome_back"), step.place], prompt,
                                            reprompt=f"{step.place} {prompt}"))


def handlers() -> list[AbstractRequestHandler]:
    return [WelcomeBackHandler()]

"""Help, stop, fallback, session end, and intents the skill does not know."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill import routine as engine
from skill.handlers.base import (MISSED, Reply, content_of, conversation_of, intent_name,
                                 request_type, respond, takes_no_speech)
from skill.handlers.navigation import way_forward


class HelpHandler(AbstractRequestHandler):
    """What the person can say now, in one breath (under 30 words). The first
    help of a session adds the disclaimer; later ones don't repeat it."""

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "AMAZON.HelpIntent"

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        content = content_of(handler_input)
        in_routine = engine.in_progress(content, conversation.routine)
        options = content.phrase("help_routine" if in_routine else "help_general")
        body = [options]
        if not conversation.helped:
            body.append(content.phrase("disclaimer"))
        conversation.helped = conversation.disclaimer_given = True
        reprompt = way_forward(handler_input)[1] if in_routine else options
        return respond(handler_input, Reply(body, reprompt=reprompt))


class GoodbyeHandler(AbstractRequestHandler):
    """Stop, cancel and home all end the skill, kindly."""

    INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def can_handle(self, handler_input):
        return any(intent_name(handler_input) == name for name in self.INTENTS)

    def handle(self, handler_input):
        return respond(handler_input, Reply([content_of(handler_input).phrase("goodbye")]))


class FallbackHandler(AbstractRequestHandler):
    """Anything not understood, or an intent this skill does not have.

    Help escalates and never repeats itself: the first miss says so and repeats
    the prompt; the second names things to say; after that the two alternate,
    with another apology, so the same one is never heard three times running.
    """

    def can_handle(self, handler_input):
        return request_type(handler_input) == "IntentRequest"

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        content = content_of(handler_input)
        conversation.misses += 1
        handler_input.attributes_manager.request_attributes[MISSED] = True
        prompt, reprompt = way_forward(handler_input)
        if conversation.misses % 2 == 0:
            in_routine = engine.in_progress(content, conversation.routine)
            options = content.phrase("fallback_options_routine" if in_routine
                                     else "fallback_options")
            return respond(handler_input, Reply([], options, options))
        apology = content.phrase("fallback" if conversation.misses == 1 else "fallback_again")
        return respond(handler_input, Reply([apology], prompt, reprompt))


class SilentRequestHandler(AbstractRequestHandler):
    """Alexa closed the session (silence, an error, or the person left), or sent
    an event that takes no speech, or one no handler above took (a connection
    answer the skill never asked for, an APL event it never set up): an empty
    response, never an apology. Every intent is the fallback's."""

    def can_handle(self, handler_input):
        return takes_no_speech(handler_input) or request_type(handler_input) != "IntentRequest"

    def handle(self, handler_input):
        return handler_input.response_builder.response


def handlers() -> list[AbstractRequestHandler]:
    """Registered last: FallbackHandler takes every intent nothing else took, and
    SilentRequestHandler every other request."""
    return [HelpHandler(), GoodbyeHandler(), FallbackHandler(), SilentRequestHandler()]

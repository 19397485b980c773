"""Questions: causes, symptoms, prevention, when to see a doctor, the bedtime
stretch, and the yes/no that follows an offer."""

from __future__ import annotations

import re
from typing import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name

from skill.handlers.base import (Reply, answer_reply, content_of, conversation_of,
                                 respond)
from skill.handlers.navigation import way_forward
from skill.handlers.relief import resume, start_routine
from skill.handlers.slots import slot_value

GENERAL_CAUSES = "causes"


def cause_topic(handler_input: HandlerInput) -> str:
    """The answer for the cause asked about; the general answer for any other."""
    spoken = slot_value(handler_input, "cause")
    if spoken:
        key = "cause_" + re.sub(r"[^a-z]+", "_", spoken.lower()).strip("_")
        if content_of(handler_input).has_answer(key):
            return key
    return GENERAL_CAUSES


class QuestionHandler(AbstractRequestHandler):
    """Answers one question intent with the first part of a content answer."""

    def __init__(self, intent_name: str, topic: Callable[[HandlerInput], str]):
        self.intent_name = intent_name
        self.topic = topic

    def can_handle(self, handler_input):
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input):
        return respond(handler_input, answer_reply(handler_input, self.topic(handler_input)))


class BedtimeStretchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("BedtimeStretchIntent")(handler_input)

    def handle(self, handler_input):
        return respond(handler_input, start_routine(handler_input, "bedtime"))


class YesHandler(AbstractRequestHandler):
    """Accepts what was just offered: the next part, a topic, a routine, or going back."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input):
        return respond(handler_input, accept_offer(handler_input))


def accept_offer(handler_input: HandlerInput) -> Reply:
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    offer = conversation.offer or ""
    topic, _, part = offer.partition(":")
    if offer == "resume" and conversation.routine is not None:
        return resume(handler_input)
    if content.has_routine(topic):
        return start_routine(handler_input, topic)
    if content.has_answer(topic):
        index = int(part) if part.isdigit() else 0
        if index < len(content.answer(topic).parts):
            return answer_reply(handler_input, topic, index)
    prompt, reprompt = way_forward(handler_input)
    return Reply([content.phrase("fallback")], prompt, reprompt)


class NoHandler(AbstractRequestHandler):
    """Declines an offer: back to the routine if one is in progress, else goodbye."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        content = content_of(handler_input)
        conversation.offer = None
        prompt, reprompt = way_forward(handler_input, ending_allowed=True)
        if prompt is None:
            return respond(handler_input, Reply([content.phrase("goodbye")]))
        return respond(handler_input, Reply([content.phrase("okay")], prompt, reprompt))


def handlers() -> list[AbstractRequestHandler]:
    return [
        QuestionHandler("CausesIntent", cause_topic),
        QuestionHandler("SymptomsIntent", lambda _: "symptoms"),
        QuestionHandler("SeeDoctorIntent", lambda _: "see_doctor"),
        QuestionHandler("PreventionIntent", lambda _: "prevention"),
        BedtimeStretchHandler(),
        YesHandler(),
        NoHandler(),
    ]

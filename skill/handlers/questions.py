"""Questions: causes, symptoms, prevention, when to see a doctor, the bedtime
stretch, and the yes/no that follows an offer."""

from __future__ import annotations

from typing import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput

from skill.handlers.base import (Reply, answer_reply, content_of, conversation_of, intent_name,
                                 respond)
from skill.handlers.navigation import way_forward
from skill.handlers.relief import accept_offer, start_routine
from skill.handlers.slots import slot_id

GENERAL_CAUSES = "causes"


def topic_for(slot: str, prefix: str, general: str) -> Callable[[HandlerInput], str]:
    """The answer for the resolved value asked about (prefix + id); the general one otherwise."""
    def topic(handler_input: HandlerInput) -> str:
        resolved = slot_id(handler_input, slot)
        key = f"{prefix}_{resolved.lower()}" if resolved else ""
        return key if content_of(handler_input).has_answer(key) else general
    return topic


class QuestionHandler(AbstractRequestHandler):
    """Answers one question intent with the first part of a content answer."""

    def __init__(self, intent_name: str, topic: Callable[[HandlerInput], str]):
        self.intent_name = intent_name
        self.topic = topic

    def can_handle(self, handler_input):
        return intent_name(handler_input) == self.intent_name

    def handle(self, handler_input):
        return respond(handler_input, answer_reply(handler_input, self.topic(handler_input)))


class BedtimeStretchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return intent_name(handler_input) == "BedtimeStretchIntent"

    def handle(self, handler_input):
        return respond(handler_input, start_routine(handler_input, "bedtime"))


class YesHandler(AbstractRequestHandler):
    """Accepts what was just offered: the next part, a topic, a routine, or going back."""

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "AMAZON.YesIntent"

    def handle(self, handler_input):
        return respond(handler_input, accept_offer(handler_input))


class NoHandler(AbstractRequestHandler):
    """Declines an offer: back to the routine if one is in progress, else goodbye."""

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "AMAZON.NoIntent"

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
        QuestionHandler("CausesIntent", topic_for("cause", "cause", GENERAL_CAUSES)),
        QuestionHandler("RemedyIntent", topic_for("remedy", "remedy", "remedy_unknown")),
        QuestionHandler("DurationIntent", lambda _: "duration"),
        QuestionHandler("ChildrenIntent", lambda _: "children"),
        QuestionHandler("SymptomsIntent", lambda _: "symptoms"),
        QuestionHandler("SeeDoctorIntent", lambda _: "see_doctor"),
        QuestionHandler("PreventionIntent", lambda _: "prevention"),
        BedtimeStretchHandler(),
        YesHandler(),
        NoHandler(),
    ]

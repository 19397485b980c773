"""Red flags: a real sign of a blood clot or an emergency stops everything else;
ordinary words never do."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput

from skill import routine as engine
from skill.handlers.base import (Card, Reply, content_of, conversation_of, intent_name, respond,
                                 words_of)
from skill.handlers.navigation import way_forward
from skill.handlers.slots import slot_id

SIGN_CHECK = "sign_check"  # the offer while the skill waits to hear whether there is a sign
LONG_CRAMP_CHECK = "long_cramp_check"  # the same, once a cramp has lasted ten minutes
# What "yes" and "no" to each check lead to: an answer key, or None for back to the routine.
CHECK_ANSWERS = {SIGN_CHECK: ("red_flag_unclear", None),
                 LONG_CRAMP_CHECK: ("red_flag_clot", "long_cramp_advice")}


def urgent_advice(handler_input: HandlerInput, key: str) -> Reply:
    """The advice for a sign's tier: the routine stops at once, and the way on is repeat."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    conversation.routine = None
    conversation.offer = None
    advice = list(content.answer(key).parts[0].say)
    return Reply(advice, content.phrase("prompt_red_flag"), reprompt=words_of(advice),
                 urgent=True, card=Card("urgent", words_of(advice), answer=key))


def long_cramp(handler_input: HandlerInput) -> Reply:
    """Ten minutes on, the routine ends: no more stretching, massage or heat. The person
    is asked about the signs of a clot, and every answer leads to urgent advice."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    conversation.routine = None
    conversation.offer = LONG_CRAMP_CHECK
    question = content.phrase("long_cramp_check")
    said = [*content.answer("still_hurts_long").parts[0].say, question]
    return Reply(said, content.phrase("prompt_sign_check"),
                 reprompt=f"{question} {content.phrase('prompt_sign_check')}", urgent=True,
                 card=Card("urgent", words_of(said), answer="still_hurts_long"))


def ask_about_signs(handler_input: HandlerInput, lead: tuple = ()) -> Reply:
    """One short question; the routine is kept, paused, until the answer."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    if engine.in_progress(content, conversation.routine):
        conversation.routine.paused = True
    conversation.offer = SIGN_CHECK
    question = content.phrase("sign_check")
    return Reply([*lead, question], content.phrase("prompt_sign_check"),
                 reprompt=f"{question} {content.phrase('prompt_sign_check')}")


class RedFlagHandler(AbstractRequestHandler):
    """Acts on the sign's resolved id only, by the tiers in the content.

    Emergency signs: call the local emergency number. Signs of a possible clot:
    stop stretching and massaging, get urgent help. A sign that did not
    resolve, or one that is not a red flag on its own, gets one question.
    The skill never offers to call anyone; the person must make the call.
    """

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "RedFlagIntent"

    def handle(self, handler_input):
        content = content_of(handler_input)
        sign = slot_id(handler_input, "sign") or slot_id(handler_input, "symptom")
        tier = content.sign_tier(sign)
        if tier and content.answer(tier).urgent:
            return respond(handler_input, urgent_advice(handler_input, tier))
        lead = tuple(content.answer(tier).parts[0].say) if tier else ()
        return respond(handler_input, ask_about_signs(handler_input, lead))


class SignCheckAnswerHandler(AbstractRequestHandler):
    """Yes or no to a question about the signs of a clot.

    To "Is your leg swollen, red or warm, or do you have chest pain?", yes (still
    unclear) is the advice to get help if worried, and no goes back to the routine.
    After ten minutes of cramp, yes is the clot advice and no the long-cramp advice.
    """

    def can_handle(self, handler_input):
        return (conversation_of(handler_input).offer in CHECK_ANSWERS
                and (intent_name(handler_input) == "AMAZON.YesIntent"
                     or intent_name(handler_input) == "AMAZON.NoIntent"))

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        if_yes, if_no = CHECK_ANSWERS[conversation.offer]
        key = if_yes if intent_name(handler_input) == "AMAZON.YesIntent" else if_no
        if key:
            return respond(handler_input, urgent_advice(handler_input, key))
        conversation.offer = "resume" if conversation.routine else None
        prompt, reprompt = way_forward(handler_input)
        return respond(handler_input, Reply([content_of(handler_input).phrase("okay")],
                                            prompt, reprompt))


def handlers() -> list[AbstractRequestHandler]:
    return [RedFlagHandler(), SignCheckAnswerHandler()]

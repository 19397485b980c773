"""The guided relief routine: starting it, and every way of moving through it."""

from __future__ import annotations

from typing import Callable, Optional

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import routine as engine
from skill.handlers.base import (WELCOME_BACK, Reply, answer_reply, content_of, conversation_of,
                                 intent_name, now_of, replay_card, request_type, respond, send,
                                 step_reply)
from skill.handlers.navigation import way_forward
from skill.handlers.safety import long_cramp
from skill.handlers.slots import slot_id
from skill.handlers.touch import TouchHandler
from skill.speech import is_safe_inner

DEFAULT_MUSCLE = "calf"
THIGH = "THIGH"          # a plain "thigh": the front and the back are stretched differently
THIGH_SIDE = "thigh"     # the offer while the skill waits for "the front" or "the back"
BACK_OF_THIGH = "hamstring"


def start_routine(handler_input: HandlerInput, name: str, muscle: str = DEFAULT_MUSCLE,
                  lead: tuple = ()) -> Reply:
    conversation = conversation_of(handler_input)
    conversation.routine = engine.begin(name, muscle, now_of(handler_input))
    return step_reply(handler_input, lead)


def muscle_asked_for(handler_input: HandlerInput) -> Optional[str]:
    """The routine for the muscle Alexa resolved, or None when none resolved to one."""
    muscle = (slot_id(handler_input, "muscle") or "").lower()
    return muscle if content_of(handler_input).has_routine(muscle) else None


def ask_thigh_side(handler_input: HandlerInput) -> Reply:
    content = content_of(handler_input)
    conversation_of(handler_input).offer = THIGH_SIDE
    question = content.phrase("thigh_side")
    return Reply([question], content.phrase("prompt_thigh_side"),
                 reprompt=f"{question} {content.phrase('prompt_thigh_side')}")


class LaunchRequestHandler(AbstractRequestHandler):
    """Opening the skill means someone has a cramp now: the first words are the first step."""

    def can_handle(self, handler_input):
        return request_type(handler_input) == "LaunchRequest"

    def handle(self, handler_input):
        return respond(handler_input, start_routine(handler_input, DEFAULT_MUSCLE))


class ReliefIntentHandler(AbstractRequestHandler):
    """ "Help, my foot is cramping": the routine for that muscle, from its first step.

    Mid-routine it is a correction ("actually it's my foot"): another muscle
    switches to that muscle's routine; the same one, or none named, carries on.
    A plain "thigh" is asked about first: front or back.
    """

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "ReliefIntent"

    def handle(self, handler_input):
        if slot_id(handler_input, "muscle") == THIGH:
            return respond(handler_input, ask_thigh_side(handler_input))
        content = content_of(handler_input)
        muscle = muscle_asked_for(handler_input)
        state = conversation_of(handler_input).routine
        if engine.in_progress(content, state) and engine.routine_of(content, state).relief:
            if muscle is None or muscle == state.muscle:
                state.paused = False
                return respond(handler_input, step_reply(handler_input,
                                                         (content.phrase("okay"),)))
            return respond(handler_input, start_routine(
                handler_input, muscle, muscle, lead=(content.phrase("okay"),)))
        muscle = muscle or DEFAULT_MUSCLE
        return respond(handler_input, start_routine(handler_input, muscle, muscle))


class BackOfThighHandler(AbstractRequestHandler):
    """ "Back" in answer to "the front or the back of your thigh?" is the hamstring,
    not "go back" (Alexa hears a lone "back" as the built-in previous intent)."""

    def can_handle(self, handler_input):
        return (intent_name(handler_input) == "AMAZON.PreviousIntent"
                and conversation_of(handler_input).offer == THIGH_SIDE)

    def handle(self, handler_input):
        return respond(handler_input,
                       start_routine(handler_input, BACK_OF_THIGH, BACK_OF_THIGH))


# Moves within a routine. Each takes the handler input and returns the reply,
# or None when there is no routine to move in.
def _next(handler_input: HandlerInput) -> Reply:
    conversation, content = conversation_of(handler_input), content_of(handler_input)
    if conversation.offer and conversation.offer != "resume":
        return accept_offer(handler_input)  # "okay" or "next" after "want another tip?"
    if engine.current_step(content, conversation.routine) is None:
        return Reply([content.phrase("routine_done")], content.phrase("prompt_after_routine"))
    engine.advance(content, conversation.routine)
    return step_reply(handler_input)


def _previous(handler_input: HandlerInput) -> Reply:
    content = content_of(handler_input)
    if engine.go_back(conversation_of(handler_input).routine):
        return step_reply(handler_input)
    return step_reply(handler_input, (content.phrase("first_step"),))


def _start_over(handler_input: HandlerInput) -> Reply:
    engine.restart(conversation_of(handler_input).routine, now_of(handler_input))
    return step_reply(handler_input, (content_of(handler_input).phrase("start_over"),))


WAIT = "wait_45"


def _wait(handler_input: HandlerInput) -> Reply:
    """ "Wait", "hang on": a counted wait that outlasts Alexa's listening window,
    a gentle check-in, then the way back. The session stays open."""
    content = content_of(handler_input)
    routine = conversation_of(handler_input).routine
    if engine.in_progress(content, routine):
        routine.paused = True
    hold = content.hold(WAIT)
    prompt = hold.again if engine.in_progress(content, routine) else content.phrase("prompt_start")
    return Reply([content.phrase("paused"), *hold.say], prompt)


def resume(handler_input: HandlerInput) -> Reply:
    """Back to the step. After a question or a wait, without replaying its timed
    part ("repeat" does that); after a closed session, the whole step again."""
    conversation = conversation_of(handler_input)
    conversation.routine.paused = False
    brief = conversation.offer != WELCOME_BACK
    return step_reply(handler_input, (content_of(handler_input).phrase("resumed"),), brief=brief)


def _cant_stand(handler_input: HandlerInput) -> Reply:
    """The sitting way, never the standing step again: the routine's seated
    variant; without one, stay sitting, or the step as it is, done sitting."""
    content = content_of(handler_input)
    state = conversation_of(handler_input).routine
    if engine.switch_to_seated(content, state):
        return step_reply(handler_input)
    step = engine.current_step(content, state)
    if step is not None and step.standing:
        return Reply([content.phrase("stay_sitting")], step.prompt, step.reprompt)
    return step_reply(handler_input, (content.phrase("seated_already"),))


def still_hurts(handler_input: HandlerInput) -> Reply:
    """The next most useful step; after ten minutes, the routine ends in urgent advice."""
    conversation, content = conversation_of(handler_input), content_of(handler_input)
    state = conversation.routine
    if engine.has_lasted_too_long(state, now_of(handler_input)):
        return long_cramp(handler_input)
    lead = content.phrase("try_next" if engine.current_step(content, state)
                          else "still_hurts_done")
    engine.next_most_useful(content, state)
    return step_reply(handler_input, (lead,))


def _cramp_gone(handler_input: HandlerInput) -> Reply:
    engine.finish_now(content_of(handler_input), conversation_of(handler_input).routine)
    return _aftercare(handler_input)


def _aftercare(handler_input: HandlerInput) -> Reply:
    lead = (content_of(handler_input).phrase("cramp_gone"),)
    return answer_reply(handler_input, "aftercare", lead=lead)


def accept_offer(handler_input: HandlerInput) -> Reply:
    """Yes, okay or next to what was just offered: the next part, a topic, a routine,
    going back to the routine; with nothing offered, the next step."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    offer = conversation.offer or ""
    topic, _, part = offer.partition(":")
    if offer in ("resume", WELCOME_BACK) and conversation.routine is not None:
        return resume(handler_input)
    if content.has_routine(topic):
        return start_routine(handler_input, topic)
    if content.has_answer(topic):
        index = int(part) if part.isdigit() else 0
        if index < len(content.answer(topic).parts):
            return answer_reply(handler_input, topic, index)
    if engine.in_progress(content, conversation.routine):
        engine.advance(content, conversation.routine)
        return step_reply(handler_input)
    prompt, reprompt = way_forward(handler_input)
    return Reply([content.phrase("fallback")], prompt, reprompt)


def _no_routine(handler_input: HandlerInput) -> Reply:
    content = content_of(handler_input)
    return Reply([content.phrase("no_routine")], content.phrase("prompt_start"))


def _begin(name: str) -> Callable[[HandlerInput], Reply]:
    """Without a routine in progress, some moves mean "help me now": start one."""
    return lambda handler_input: start_routine(handler_input, name)


class RoutineMoveHandler(AbstractRequestHandler):
    """One navigation intent: its move when a routine is in progress, and what
    it means when none is."""

    def __init__(self, intent_name: str, move: Callable[[HandlerInput], Reply],
                 without_routine: Callable[[HandlerInput], Reply] = _no_routine):
        self.intent_name = intent_name
        self.move = move
        self.without_routine = without_routine

    def can_handle(self, handler_input):
        return intent_name(handler_input) == self.intent_name

    def handle(self, handler_input) -> Optional[Response]:
        if conversation_of(handler_input).routine is None:
            return respond(handler_input, self.without_routine(handler_input))
        return respond(handler_input, self.move(handler_input))


class RepeatHandler(AbstractRequestHandler):
    """Says again exactly what was last said, holds and all."""

    intent_name = "AMAZON.RepeatIntent"

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "AMAZON.RepeatIntent"

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        said, reprompt = conversation.last_said, conversation.last_reprompt
        if is_safe_inner(said) and (reprompt is None or is_safe_inner(reprompt)):
            return send(handler_input, said, reprompt, conversation.last_urgent,
                        replay_card(handler_input))
        return respond(handler_input, _no_routine(handler_input))


def _next_without_routine(handler_input: HandlerInput) -> Reply:
    if conversation_of(handler_input).offer:
        return accept_offer(handler_input)
    return _no_routine(handler_input)


def handlers() -> list[AbstractRequestHandler]:
    moves = [
        RepeatHandler(),
        RoutineMoveHandler("AMAZON.NextIntent", _next, _next_without_routine),
        RoutineMoveHandler("AMAZON.PreviousIntent", _previous),
        RoutineMoveHandler("AMAZON.StartOverIntent", _start_over, _begin(DEFAULT_MUSCLE)),
        RoutineMoveHandler("AMAZON.PauseIntent", _wait, _wait),
        RoutineMoveHandler("AMAZON.ResumeIntent", resume),
        RoutineMoveHandler("CantStandIntent", _cant_stand, _begin(f"{DEFAULT_MUSCLE}_seated")),
        RoutineMoveHandler("StillHurtsIntent", still_hurts, _begin(DEFAULT_MUSCLE)),
        RoutineMoveHandler("CrampGoneIntent", _cramp_gone, _aftercare),
    ]
    by_intent = {move.intent_name: move for move in moves}
    return [LaunchRequestHandler(), ReliefIntentHandler(), BackOfThighHandler(), *moves,
            TouchHandler(by_intent)]

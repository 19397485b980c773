"""Every move of the conversation: Turn -> Reply, the whole state machine in one file.

A move reads the Turn, sets the state it changes itself (the routine, the
offer, what a "yes" now accepts), and returns the Reply to speak; composing the
words is skill.coach.replies' job, speaking them skill.alexa.respond's. Which
move runs for which request is skill.alexa.dispatch's routing table.

Sections: relief, safety, questions, continuity, built-ins.
"""

from __future__ import annotations

from typing import Callable, Optional

from skill.coach import replies
from skill.coach import routine as engine
from skill.coach.conversation import Offer
from skill.coach.replies import Card, Reply, words_of
from skill.coach.turn import Turn
from skill.speech import Segment, render

Move = Callable[[Turn], Reply]

DEFAULT_MUSCLE = "calf"
THIGH = "thigh"           # a plain "thigh": rubbed while asked front or back (stretched differently)
BACK_OF_THIGH = "hamstring"
SEATED_DEFAULT = f"{DEFAULT_MUSCLE}_seated"
BOTH_LEGS = "both"        # the legs slot's id, in lower case, and its routine
HELPER = "helper"         # someone speaking for the person with the cramp
HELPED = ("her", "him", "them")  # the person slot's ids for someone else
PREGNANT = "pregnant"
WAIT = "wait_45"
GENERAL_CAUSES = "causes"
STILL_HURTS_BRIDGES = 4   # hurts_1 .. hurts_4: never the same one twice running


# What every move shares: the step, an answer, and where to go from a reply.
def show_step(turn: Turn, lead: tuple[Segment, ...] = (), brief: bool = False,
              trail: tuple[Segment, ...] = ()) -> Reply:
    """The current routine step (nothing left on offer), or the routine's closing
    words once it is done. Never after urgent advice; ten minutes into a cramp,
    whatever the move, the long-cramp advice instead. Steps that flow run on into
    the next in the same answer; after the first step, once a session, the tip
    that "Alexa, next" works at any time."""
    content, conversation = turn.content, turn.conversation
    state = conversation.routine
    assert state is not None
    if conversation.urgent:
        return urgent_is_final(turn)
    routine = engine.routine_of(content, state)
    if routine.relief and engine.has_lasted_too_long(state, turn.now):
        return long_cramp(turn)
    current = engine.current_step(content, state)
    if current is None:
        return finish(turn, routine.finish, lead, bedtime=not routine.relief)
    conversation.offer = Offer.THIGH_SIDE if state.name == THIGH else None
    if state.step and conversation.once("tip:barge_in"):
        trail = (*trail, content.phrase("barge_in"))
    reply = _step(turn, lead, brief, trail)
    while current.flows and not brief and state.step + 1 < len(routine.steps):
        engine.advance(content, state)
        current = routine.steps[state.step]
        reply = replies.flowing(reply, _step(turn))
    return reply


def _step(turn: Turn, lead: tuple[Segment, ...] = (), brief: bool = False,
          trail: tuple[Segment, ...] = ()) -> Reply:
    """The current step's reply; its caveat only the first time the session hears it."""
    conversation, state = turn.conversation, turn.conversation.routine
    assert state is not None
    current = engine.current_step(turn.content, state)
    assert current is not None
    caveat = bool(current.caveat) and conversation.once(f"caveat:{current.id}")
    return replies.step(turn.content, state, turn.screen, lead, brief, caveat, trail)


def give_answer(turn: Turn, key: str, part: int = 0, lead: tuple[Segment, ...] = (),
                ask: bool = True) -> Reply:
    """One part of an answer; a routine in progress waits, paused, until it is resumed."""
    routine = turn.conversation.routine
    in_routine = engine.in_progress(turn.content, routine)
    if in_routine and routine is not None:
        routine.paused = True
    reply = replies.answer(turn.content, key, part, in_routine, lead, ask)
    turn.conversation.offer = reply.offer
    return reply


def finish(turn: Turn, key: str, lead: tuple[Segment, ...] = (), bedtime: bool = False) -> Reply:
    """A routine's closing words. At night (and after the bedtime stretch) they end the
    session with "Sleep well." and let the person sleep, asking nothing; by day the tip
    they offer is offered once a session, never again."""
    offered = turn.content.answer(key).offer
    if turn.night or bedtime:
        reply = give_answer(turn, key, lead=lead, ask=False)
        reply.closing = (turn.content.phrase("sleep_well"),)
        return reply
    return give_answer(turn, key, lead=lead,
                       ask=not offered or turn.conversation.once(f"offer:{offered}"))


def _at_standing_step(turn: Turn) -> bool:
    state = turn.conversation.routine
    current = engine.current_step(turn.content, state) if state else None
    return current is not None and current.standing


def way_forward(turn: Turn, ending_allowed: bool = False) -> tuple[Optional[str], Optional[str]]:
    return replies.way_forward(turn.content, turn.conversation, ending_allowed)


# ---------------------------------------------------------------- relief
def start_routine(turn: Turn, name: str, muscle: str = DEFAULT_MUSCLE,
                  lead: tuple[Segment, ...] = (), trail: tuple[Segment, ...] = ()) -> Reply:
    """A routine from its first step; the cramp's clock carries on from a relief
    routine already going (switching muscle or sitting down never resets it).
    After urgent advice, show_step gives the warning instead."""
    going = turn.conversation.routine
    started = engine.begin(name, muscle, turn.now)
    if going is not None and going.started_at is not None \
            and turn.content.routine(going.name).relief and turn.content.routine(name).relief:
        started.started_at = going.started_at
    turn.conversation.routine = started
    return show_step(turn, lead, trail=trail)


def begin(name: str) -> Move:
    """Without a routine in progress, some moves mean "help me now": start one."""
    return lambda turn: start_routine(turn, name)


def launch(turn: Turn) -> Reply:
    """Opening the skill means someone has a cramp now: the first words are the first step."""
    return start_routine(turn, DEFAULT_MUSCLE)


def relief(turn: Turn) -> Reply:
    """ "Help, my foot is cramping": the routine for that muscle, from its first step;
    both legs, someone helping another person, or a plain thigh (rubbed while
    asked: front or back?) have routines of their own. Said pregnant, the
    routine carries the pregnancy caution once, after its first step.

    Mid-routine it is a correction ("actually it's my foot"): another routine
    replaces it; the same one, or none named, carries on.
    """
    content = turn.content
    asked_for = _routine_asked_for(turn)
    caution: tuple[Segment, ...] = ()
    person = (turn.slot("person") or "").lower()
    if person == PREGNANT and turn.conversation.once("caution:pregnancy"):
        caution = tuple(content.answer("pregnancy_caution").parts[0].say)
    state = turn.conversation.routine
    if state is not None and engine.in_progress(content, state) \
            and engine.routine_of(content, state).relief:
        if asked_for is None or asked_for in (state.muscle, state.name):
            state.paused = False
            return show_step(turn, (content.phrase("okay"),), trail=caution)
        return start_routine(turn, asked_for, asked_for, (content.phrase("okay"),), caution)
    asked_for = asked_for or DEFAULT_MUSCLE
    return start_routine(turn, asked_for, asked_for, trail=caution)


def _routine_asked_for(turn: Turn) -> Optional[str]:
    """The routine the slots name: both legs, a helper, or the muscle; None for none."""
    if (turn.slot("legs") or "").lower() == BOTH_LEGS:
        return BOTH_LEGS
    if (turn.slot("person") or "").lower() in HELPED:
        return HELPER
    muscle = (turn.slot("muscle") or "").lower()
    return muscle if turn.content.has_routine(muscle) else None


def back_of_thigh(turn: Turn) -> Reply:
    """ "Back" in answer to "the front or the back of your thigh?" is the hamstring,
    not "go back" (Alexa hears a lone "back" as the built-in previous intent)."""
    return start_routine(turn, BACK_OF_THIGH, BACK_OF_THIGH)


def thigh_side_again(turn: Turn) -> Reply:
    """ "Next" or "yes" to "the front or the back?" is no answer (and Spanish "adelante",
    forward, is heard as next): the question again, briefly, the rub not replayed."""
    state = turn.conversation.routine
    current = engine.current_step(turn.content, state) if state else None
    if current is None:
        return next_step(turn)
    return Reply([], current.reprompt, current.reprompt)


def next_step(turn: Turn) -> Reply:
    """The next step; "okay" or "next" after an offer ("want another tip?") accepts it."""
    conversation, content = turn.conversation, turn.content
    if conversation.routine is None:
        return accept_offer(turn) if conversation.offer else no_routine(turn)
    if conversation.offer and conversation.offer != Offer.RESUME:
        return accept_offer(turn)  # a seated carry-on included: the step itself, not the next
    if engine.current_step(content, conversation.routine) is None:
        return Reply([content.phrase("routine_done")], content.phrase("prompt_after_routine"))
    engine.advance(content, conversation.routine)
    return show_step(turn)


def previous_step(turn: Turn) -> Reply:
    state = turn.conversation.routine
    if state is None:
        return no_routine(turn)
    if engine.go_back(state):
        return show_step(turn)
    return show_step(turn, (turn.content.phrase("first_step"),))


def start_over(turn: Turn) -> Reply:
    state = turn.conversation.routine
    if state is None:
        return start_routine(turn, DEFAULT_MUSCLE)
    engine.restart(state)
    return show_step(turn, (turn.content.phrase("start_over"),))


def wait(turn: Turn) -> Reply:
    """ "Wait", "hang on": a counted wait that outlasts Alexa's listening window,
    a gentle check-in, then the way back. The session stays open."""
    content, routine = turn.content, turn.conversation.routine
    in_routine = engine.in_progress(content, routine)
    if in_routine and routine is not None:
        if engine.routine_of(content, routine).relief \
                and engine.has_lasted_too_long(routine, turn.now):
            return long_cramp(turn)  # the clock is checked on every move of a relief routine
        routine.paused = True
    hold = content.hold(WAIT)
    prompt = hold.again if in_routine else content.phrase("prompt_start")
    return Reply([content.phrase("paused"), *hold.say], prompt)


def resume(turn: Turn) -> Reply:
    """Back to the step. After a question or a wait, without replaying its timed
    part ("repeat" does that); after a closed session, the whole step again."""
    conversation = turn.conversation
    if conversation.routine is None:
        return no_routine(turn)
    conversation.routine.paused = False
    brief = conversation.offer not in (Offer.WELCOME_BACK, Offer.SEATED)
    return show_step(turn, (turn.content.phrase("resumed"),), brief=brief)


def cant_stand(turn: Turn) -> Reply:
    """The sitting way, never the standing step again and never a step replayed:
    at a standing step, the seated variant from the same place (or, without one,
    past the standing step); at a seated step, stay as you are."""
    content, state = turn.content, turn.conversation.routine
    if state is None:
        return start_routine(turn, SEATED_DEFAULT)
    current = engine.current_step(content, state)
    if current is not None and not current.standing:
        return Reply([content.phrase("seated_already")], current.prompt, current.reprompt)
    if not engine.switch_to_seated(content, state) and current is not None:
        engine.advance(content, state)
    return show_step(turn, (content.phrase("stay_sitting"),))


def still_hurts(turn: Turn) -> Reply:
    """The next most useful step; after ten minutes, the routine ends in urgent advice."""
    content, state = turn.content, turn.conversation.routine
    if turn.conversation.urgent:
        return urgent_is_final(turn, before=_said(turn, "urgent_still"))
    if state is None:
        return start_routine(turn, DEFAULT_MUSCLE)
    if engine.has_lasted_too_long(state, turn.now):
        return long_cramp(turn)
    conversation = turn.conversation
    lead = content.phrase(f"hurts_{conversation.hurts % STILL_HURTS_BRIDGES + 1}")
    conversation.hurts += 1
    engine.next_most_useful(content, state)
    return show_step(turn, (lead,))


def cramp_gone(turn: Turn) -> Reply:
    if turn.conversation.urgent:  # the aftercare's gentle stretch is not for that leg
        return urgent_is_final(turn, before=_said(turn, "urgent_eased"))
    state, key = turn.conversation.routine, "aftercare"
    if state is not None:
        engine.finish_now(turn.content, state)
        if engine.routine_of(turn.content, state).relief:
            key = engine.routine_of(turn.content, state).finish
    return finish(turn, key, (turn.content.phrase("cramp_gone"),))


def accept_offer(turn: Turn) -> Reply:
    """Yes, okay or next to what was just offered: the next part, a topic, a routine,
    going back to the routine; with nothing offered, the next step."""
    conversation, content = turn.conversation, turn.content
    offer = conversation.offer
    topic, part = Offer.topic_and_part(offer)
    if offer in (Offer.RESUME, Offer.WELCOME_BACK, Offer.SEATED) \
            and conversation.routine is not None:
        return resume(turn)
    if content.has_routine(topic):
        return start_routine(turn, topic)
    if content.has_answer(topic) and part < len(content.answer(topic).parts):
        return give_answer(turn, topic, part)
    if conversation.routine is not None and engine.in_progress(content, conversation.routine):
        engine.advance(content, conversation.routine)
        return show_step(turn)
    prompt, reprompt = way_forward(turn)
    return Reply([content.phrase("fallback")], prompt, reprompt)


def no_routine(turn: Turn) -> Reply:
    if turn.conversation.urgent:
        return urgent_is_final(turn)
    content = turn.content
    return Reply([content.phrase("no_routine")], content.phrase("prompt_start"))


def repeat(turn: Turn) -> Reply:
    """Says again exactly what was last said, holds and all."""
    conversation = turn.conversation
    said, reprompt = conversation.last_said, conversation.last_reprompt
    if said is not None and replies.is_repeatable(said, reprompt):
        card = replies.replay_card(turn.content, conversation)
        return Reply.again(said, reprompt, conversation.last_urgent, card)
    return no_routine(turn)


# ---------------------------------------------------------------- safety
# Red flags: a real sign of a blood clot or an emergency stops everything else;
# ordinary words never do. The skill never offers to call anyone: the person
# must make the call.
def red_flag(turn: Turn) -> Reply:
    """Acts on the sign's resolved id only, by the tiers in the content.

    Emergency signs: call the local emergency number. Signs of a possible clot:
    stop stretching and massaging, get urgent help. A sign that did not
    resolve, or one that is not a red flag on its own, gets one question.
    """
    content = turn.content
    tier = content.gravest_tier(turn.slot("sign"), turn.slot("symptom"))
    if tier and content.answer(tier).urgent:
        return urgent_advice(turn, tier)
    lead = tuple(content.answer(tier).parts[0].say) if tier else ()
    return ask_about_signs(turn, lead)


def urgent_advice(turn: Turn, key: str) -> Reply:
    """The advice for a sign's tier: the routine stops at once, for the rest of the
    session (urgent_is_final), and the way on is repeat."""
    turn.conversation.routine = None
    turn.conversation.offer = None
    turn.conversation.urgent = key
    return replies.urgent(turn.content, key)


def long_cramp(turn: Turn) -> Reply:
    """Ten minutes on, the routine ends: no more stretching, massage or heat. The person
    is asked about the signs of a clot, and every answer leads to urgent advice."""
    content = turn.content
    turn.conversation.routine = None
    turn.conversation.offer = Offer.LONG_CRAMP_CHECK
    turn.conversation.urgent = "still_hurts_long"
    question = content.phrase("long_cramp_check")
    said = [*content.answer("still_hurts_long").parts[0].say, question]
    return Reply(said, content.phrase("prompt_sign_check"),
                 reprompt=f"{question} {content.phrase('prompt_sign_check')}", urgent=True,
                 card=Card("urgent", words_of(said), answer="still_hurts_long"))


def _said(turn: Turn, key: str) -> tuple[Segment, ...]:
    return tuple(turn.content.answer(key).parts[0].say)


def urgent_is_final(turn: Turn, before: tuple[Segment, ...] = ()) -> Reply:
    """After urgent advice, nothing leads back to a stretch, massage, heat or walk in
    that session: "it still hurts", "start over", "next", a touch on a card all
    hear the warning again, briefly, with its route. (The routine is already gone,
    so no resume point outlives it; nothing about the warning is stored.)"""
    content, given = turn.content, turn.conversation.urgent or "red_flag_clot"
    if not content.has_answer(given) or not content.answer(given).urgent:
        given = "red_flag_clot"
    turn.conversation.routine = None
    return replies.urgent(content, given, before)


def ask_about_signs(turn: Turn, lead: tuple[Segment, ...] = ()) -> Reply:
    """One short question; the routine is kept, paused, until the answer."""
    content, routine = turn.content, turn.conversation.routine
    if routine is not None and engine.in_progress(content, routine):
        routine.paused = True
    turn.conversation.offer = Offer.SIGN_CHECK
    question = content.phrase("sign_check")
    return Reply([*lead, question], content.phrase("prompt_sign_check"),
                 reprompt=f"{question} {content.phrase('prompt_sign_check')}")


# What "yes" and "no" to each check lead to: an answer key, or None for back to the routine.
# A yes may be to chest pain or a cold leg as much as to a swollen one: the emergency
# number comes first, then the urgent route, never a hedge.
CHECK_ANSWERS = {Offer.SIGN_CHECK: ("red_flag_unclear", None),
                 Offer.LONG_CRAMP_CHECK: ("red_flag_unclear", "long_cramp_advice")}


def _check_answered(turn: Turn, yes: bool) -> Reply:
    """To "Is your leg swollen, red or warm, or cold or pale, or do you have chest pain
    or trouble breathing?", yes is the emergency number first, then the urgent route;
    no goes back to the routine (after ten minutes of cramp, the long-cramp advice)."""
    conversation = turn.conversation
    if_yes, if_no = CHECK_ANSWERS[conversation.offer or Offer.SIGN_CHECK]
    key = if_yes if yes else if_no
    if key:
        return urgent_advice(turn, key)
    conversation.offer = Offer.RESUME if conversation.routine else None
    prompt, reprompt = way_forward(turn)
    return Reply([turn.content.phrase("okay")], prompt, reprompt)


def check_yes(turn: Turn) -> Reply:
    return _check_answered(turn, yes=True)


def check_no(turn: Turn) -> Reply:
    return _check_answered(turn, yes=False)


def dizzy(turn: Turn) -> Reply:
    """Dizzy or light-headed, likely on a standing step: sit or lie down now, and
    carry on sitting."""
    return _sit_down(turn, "dizzy")


def fall(turn: Turn) -> Reply:
    """A fall: stay still, the emergency number if hurt, else up slowly; then sitting."""
    return _sit_down(turn, "fall")


def _sit_down(turn: Turn, key: str) -> Reply:
    """The advice, spoken plainly; a routine in progress carries on in its seated
    form (or past its standing step) when the person says so. After urgent advice,
    the advice and the warning again."""
    content, conversation = turn.content, turn.conversation
    advice = tuple(content.answer(key).parts[0].say)
    if conversation.urgent:
        return urgent_is_final(turn, before=advice)
    state = conversation.routine
    if state is None or not engine.in_progress(content, state):
        conversation.offer = None
        return Reply(advice, content.phrase("prompt_start"), urgent=True)
    current = engine.current_step(content, state)
    if not engine.switch_to_seated(content, state) and current is not None and current.standing:
        engine.advance(content, state)
    state.paused = True
    conversation.offer = Offer.SEATED
    prompt = content.phrase("prompt_after_dizzy")
    return Reply(advice, prompt, prompt, urgent=True)


# ---------------------------------------------------------------- questions
def answer_to(key: str) -> Move:
    """A question with one answer: its first part."""
    return lambda turn: give_answer(turn, key)


def answer_about(slot: str, general: str) -> Move:
    """The answer for the resolved value asked about (slot_id, e.g. cause_statins);
    the general one otherwise."""
    def move(turn: Turn) -> Reply:
        resolved = turn.slot(slot)
        key = f"{slot}_{resolved.lower()}" if resolved else ""
        return give_answer(turn, key if turn.content.has_answer(key) else general)
    return move


def bedtime_stretch(turn: Turn) -> Reply:
    return start_routine(turn, "bedtime")


def no(turn: Turn) -> Reply:
    """Declines an offer: back to the routine if one is in progress, else goodbye.
    At a standing step with nothing on offer, it declines the standing."""
    if turn.conversation.offer is None and _at_standing_step(turn):
        return cant_stand(turn)
    turn.conversation.offer = None
    prompt, reprompt = way_forward(turn, ending_allowed=True)
    if prompt is None:
        return Reply([turn.content.phrase("goodbye")])
    return Reply([turn.content.phrase("okay")], prompt, reprompt)


# ---------------------------------------------------------------- continuity
# Carrying on after Alexa closed the session: the 15-minute resume point, which
# skill.alexa.interceptors finds when a session opens and saves when one closes
# mid-routine.
def welcome_back(turn: Turn) -> Reply:
    """Reopening the skill, or a one-shot "next" or "continue", within 15 minutes of
    a closed session: the step itself, where they were ("Welcome back. You were on
    the massage. Now rub ..."), unless the cramp's clock says ten minutes have
    passed (show_step gives the long-cramp advice then); "start over" starts afresh."""
    conversation, content = turn.conversation, turn.content
    state = conversation.routine = turn.resume_point
    assert state is not None
    current = engine.current_step(content, state)
    assert current is not None
    return show_step(turn, (content.phrase("welcome_back"), current.place))


def welcome_back_still_hurts(turn: Turn) -> Reply:
    """A one-shot "it still hurts" within 15 minutes: the place taken up, and the
    next most useful step (or, ten minutes on, the long-cramp advice)."""
    turn.conversation.routine = turn.resume_point
    return still_hurts(turn)


# ---------------------------------------------------------------- built-ins
def thanks(turn: Turn) -> Reply:
    """ "Thank you": a short answer, then on with whatever is going, or goodbye."""
    prompt, reprompt = way_forward(turn, ending_allowed=True)
    return Reply([turn.content.phrase("thanks")], prompt, reprompt)


def skip_step(turn: Turn) -> Reply:
    """ "Skip that", "I don't have a heating pad": on to the next step; at a standing
    step, the sitting way instead."""
    content, state = turn.content, turn.conversation.routine
    if state is None or not engine.in_progress(content, state):
        return no_routine(turn)
    if _at_standing_step(turn):
        return cant_stand(turn)
    engine.advance(content, state)
    return show_step(turn, (content.phrase("skipped"),))


def other_leg(turn: Turn) -> Reply:
    """ "What about the other leg?": the same relief routine from its first step, for
    the other leg, with its own clock (after urgent advice, show_step gives the warning)."""
    content, state = turn.content, turn.conversation.routine
    relief_going = state is not None and content.routine(state.name).relief
    name = state.name if state is not None and relief_going else DEFAULT_MUSCLE
    muscle = state.muscle if state is not None and relief_going else DEFAULT_MUSCLE
    turn.conversation.routine = engine.begin(name, muscle, turn.now)
    return show_step(turn, (content.phrase("other_leg"),))



def help_(turn: Turn) -> Reply:
    """What the person can say now, in one breath (under 30 words). The first
    help of a session adds the disclaimer; later ones don't repeat it."""
    conversation, content = turn.conversation, turn.content
    in_routine = engine.in_progress(content, conversation.routine)
    options = content.phrase("help_routine" if in_routine else "help_general")
    body = [options]
    if not conversation.helped:
        body.append(content.phrase("disclaimer"))
    conversation.helped = conversation.disclaimer_given = True
    reprompt = way_forward(turn)[1] if in_routine else options
    return Reply(body, reprompt=reprompt)


def goodbye(turn: Turn) -> Reply:
    """Stop, cancel and home all end the skill, kindly; mid-routine, with the place
    kept for 15 minutes when a store keeps it."""
    going = engine.in_progress(turn.content, turn.conversation.routine)
    kept = going and turn.keeps_place and not turn.store_failed
    return Reply([turn.content.phrase("goodbye_kept" if kept else "goodbye")])


def fallback(turn: Turn) -> Reply:
    """Anything not understood, or an intent this skill does not have.

    Help escalates and never repeats itself: the first miss says so and repeats
    the prompt; the second names things to say; after that the two alternate,
    with another apology, so the same one is never heard three times running.
    """
    conversation, content = turn.conversation, turn.content
    conversation.misses += 1
    turn.missed = True
    prompt, reprompt = way_forward(turn)
    if conversation.misses % 2 == 0:
        in_routine = engine.in_progress(content, conversation.routine)
        options = content.phrase("fallback_options_routine" if in_routine
                                 else "fallback_options")
        return Reply([], options, options)
    apology = content.phrase("fallback" if conversation.misses == 1 else "fallback_again")
    return Reply([apology], prompt, reprompt)


def told(turn: Turn, phrase: str, **names: object) -> Reply:
    """What a platform call came to (forget me, a reminder), then back to the
    routine if one is going, else goodbye."""
    prompt, reprompt = way_forward(turn, ending_allowed=True)
    return Reply([turn.content.phrase(phrase, **names)], prompt, reprompt)


def forgotten(turn: Turn, phrase: str) -> Reply:
    """What "forget me" did: deleted, nothing there, or the store failing (said truthfully)."""
    return Reply([turn.content.phrase(phrase)])


def error(turn: Turn) -> Reply:
    """Whatever failed, the person still hears how to ease a cramp and how to go on."""
    content = turn.content
    prompt = content.phrase("prompt_error")
    speech = [content.phrase("error"), *content.answer("error_instruction").parts[0].say,
              prompt]
    return Reply.again(render(speech), render([prompt]))

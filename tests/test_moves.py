"""The state machine as a table: (state, what was said) -> (state after, what is heard).

Drives the coach without the SDK: a Turn is built by hand, the routing table
(skill.alexa.dispatch.route_for, overrides included) picks the move, and the
move's reply and the conversation after it are compared with the table. The
words expected are looked up in the content, so a reviewed wording changes no
row. The end-to-end tests drive the same moves through the real entry points.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import pytest

from skill import content as content_files
from skill.alexa.dispatch import Action, route_for
from skill.coach.conversation import Conversation, Offer, RoutineState
from skill.coach.replies import words_of
from skill.coach.turn import Turn

NOW = 1_800_000_000.0
CONTENT = content_files.load("en-US")
LAUNCH = "LaunchRequest"


class Before(NamedTuple):
    routine: Optional[str] = None   # "calf:1": the routine and its step
    paused: bool = False
    offer: Optional[str] = None
    minutes: float = 0              # how long ago the routine began
    misses: int = 0
    resume_point: Optional[str] = None  # "calf:2", found in the store as the session opens


class After(NamedTuple):
    routine: Optional[str]
    paused: bool
    offer: Optional[str]
    urgent: bool
    ends: bool


def step(id_: str) -> str:
    return words_of(CONTENT.steps[id_].words)


def answer(key: str, part: int = 0) -> str:
    return words_of(CONTENT.answer(key).parts[part].say)


def phrase(key: str) -> str:
    return CONTENT.phrase(key)


def answered(key: str, routine: Optional[str] = None) -> After:
    """After an answer: what it offers is on offer, and with no offer the session ends."""
    offer = CONTENT.answer(key).offer
    return After(routine, False, offer, CONTENT.answer(key).serious, offer is None)


def routine_state(written: Optional[str], minutes: float) -> Optional[RoutineState]:
    if written is None:
        return None
    name, _, at = written.partition(":")
    return RoutineState(name, int(at or 0), muscle=name.split("_")[0],
                        started_at=NOW - minutes * 60)


# (state before, what was said, its slots, state after, words heard)
TABLE = [
    # relief: starting
    (Before(), LAUNCH, {}, After("calf:0", False, None, False, False), step("calf_stretch")),
    (Before(), "ReliefIntent", {"muscle": "FOOT"},
     After("foot:0", False, None, False, False), step("foot_stretch")),
    (Before(), "ReliefIntent", {"muscle": "THIGH"},
     After("thigh:0", False, Offer.THIGH_SIDE, False, False), step("thigh_massage")),
    (Before(), "ReliefIntent", {"legs": "BOTH"},
     After("both:0", False, None, False, False), step("both_stretch")),
    (Before(), "ReliefIntent", {"person": "HER"},
     After("helper:0", False, None, False, False), step("helper_stretch")),
    (Before(), "ReliefIntent", {"person": "PREGNANT"},
     After("calf:0", False, None, False, False), answer("pregnancy_caution")),
    (Before(offer=Offer.THIGH_SIDE), "AMAZON.PreviousIntent", {},
     After("hamstring:0", False, None, False, False), step("hamstring_stretch")),
    (Before("thigh:0", offer=Offer.THIGH_SIDE), "AMAZON.NextIntent", {},  # es "adelante"
     After("thigh:0", False, Offer.THIGH_SIDE, False, False), CONTENT.steps["thigh_massage"].reprompt),
    (Before(), "AMAZON.StartOverIntent", {},
     After("calf:0", False, None, False, False), step("calf_stretch")),
    (Before(), "CantStandIntent", {},
     After("calf_seated:0", False, None, False, False), step("calf_stretch")),
    (Before(), "StillHurtsIntent", {}, After("calf:0", False, None, False, False),
     step("calf_stretch")),
    (Before(), "BedtimeStretchIntent", {},
     After("bedtime:3", False, None, False, False), step("bedtime_calves_again")),
    # relief: moving through a routine
    (Before("calf:0"), "AMAZON.NextIntent", {},
     After("calf:1", False, None, False, False), step("massage")),
    (Before("calf:1"), "AMAZON.PreviousIntent", {},
     After("calf:0", False, None, False, False), step("calf_stretch")),
    (Before("calf:0"), "AMAZON.PreviousIntent", {},
     After("calf:0", False, None, False, False), phrase("first_step")),
    (Before("calf:2", minutes=5), "AMAZON.StartOverIntent", {},
     After("calf:0", False, None, False, False), phrase("start_over")),
    (Before("calf:1"), "AMAZON.PauseIntent", {},
     After("calf:1", True, None, False, False), phrase("paused")),
    (Before("calf:1", paused=True, offer=Offer.RESUME), "AMAZON.ResumeIntent", {},
     After("calf:1", False, None, False, False), phrase("resumed")),
    (Before("calf:0"), "CantStandIntent", {},
     After("calf:0", False, None, False, False), phrase("seated_already")),
    (Before("calf:3"), "CantStandIntent", {},
     After("calf_seated:3", False, None, False, False), step("shake_seated")),
    (Before("calf:3"), "AMAZON.NoIntent", {},
     After("calf_seated:3", False, None, False, False), step("shake_seated")),
    (Before("hamstring:0"), "CantStandIntent", {},
     After("hamstring:0", False, None, False, False), phrase("seated_already")),
    (Before("calf:1"), "StillHurtsIntent", {},
     After("calf:2", False, None, False, False), phrase("hurts_1")),
    (Before("calf:1"), "ReliefIntent", {"muscle": "FOOT"},
     After("foot:0", False, None, False, False), phrase("okay")),
    (Before("calf:1", paused=True), "ReliefIntent", {},
     After("calf:1", False, None, False, False), step("massage")),
    (Before("calf:5"), "AMAZON.NextIntent", {},
     After("calf:5", False, None, False, False), phrase("routine_done")),
    (Before("bedtime:3"), "AMAZON.NextIntent", {},
     answered("bedtime_done", "bedtime:4"), answer("bedtime_done")),
    (Before("calf:1"), "CrampGoneIntent", {},
     answered("aftercare", "calf:5"), phrase("cramp_gone")),
    # safety
    (Before("calf:1"), "RedFlagIntent", {"sign": "SWELLING"},
     After(None, False, None, True, False), answer("red_flag_clot")),
    (Before("calf:1"), "RedFlagIntent", {"symptom": "CHEST_PAIN"},
     After(None, False, None, True, False), answer("red_flag_emergency")),
    (Before("calf:1"), "RedFlagIntent", {"sign": None},
     After("calf:1", True, Offer.SIGN_CHECK, False, False), phrase("sign_check")),
    (Before("calf:1"), "RedFlagIntent", {"sign": "TENDERNESS"},
     After("calf:1", True, Offer.SIGN_CHECK, False, False), answer("tender_alone")),
    (Before("calf:1", paused=True, offer=Offer.SIGN_CHECK), "AMAZON.NoIntent", {},
     After("calf:1", True, Offer.RESUME, False, False), phrase("okay")),
    (Before("calf:1", paused=True, offer=Offer.SIGN_CHECK), "AMAZON.YesIntent", {},
     After(None, False, None, True, False), answer("red_flag_unclear")),
    (Before("calf:1", minutes=11), "StillHurtsIntent", {},
     After(None, False, Offer.LONG_CRAMP_CHECK, True, False), answer("still_hurts_long")),
    (Before(offer=Offer.LONG_CRAMP_CHECK), "AMAZON.YesIntent", {},
     After(None, False, None, True, False), answer("red_flag_unclear")),
    (Before("calf:0"), "DizzyIntent", {},
     After("calf_seated:0", True, Offer.SEATED, True, False), answer("dizzy")),
    (Before("calf_seated:0", paused=True, offer=Offer.SEATED), "AMAZON.NextIntent", {},
     After("calf_seated:0", False, None, False, False), step("calf_stretch")),
    (Before("calf:3"), "DizzyIntent", {},
     After("calf_seated:3", True, Offer.SEATED, True, False), answer("dizzy")),
    (Before("hamstring:3"), "FallIntent", {},
     After("hamstring_seated:3", True, Offer.SEATED, True, False), answer("fall")),
    (Before(), "FallIntent", {}, After(None, False, None, True, False), answer("fall")),
    (Before("calf:2"), "SkipStepIntent", {},
     After("calf:3", False, None, False, False), phrase("skipped")),
    (Before("calf:3"), "SkipStepIntent", {},
     After("calf_seated:3", False, None, False, False), phrase("stay_sitting")),
    (Before("calf:3", minutes=4), "OtherLegIntent", {},
     After("calf:0", False, None, False, False), phrase("other_leg")),
    (Before("calf:1"), "ThanksIntent", {},
     After("calf:1", False, None, False, False), phrase("thanks")),
    (Before(), "ThanksIntent", {}, After(None, False, None, False, True), phrase("thanks")),
    (Before(offer=Offer.LONG_CRAMP_CHECK), "AMAZON.NoIntent", {},
     After(None, False, None, True, False), answer("long_cramp_advice")),
    # questions
    (Before(), "CausesIntent", {"cause": "STATINS"},
     answered("cause_statins"), answer("cause_statins")),
    (Before(), "CausesIntent", {"cause": None},
     answered("causes"), answer("causes")),
    (Before(), "RemedyIntent", {"remedy": "MAGNESIUM"},
     answered("remedy_magnesium"), answer("remedy_magnesium")),
    (Before("calf:1"), "PreventionIntent", {},
     After("calf:1", True, Offer.part_of("prevention", 1), False, False), answer("prevention")),
    (Before(offer=Offer.part_of("prevention", 1)), "AMAZON.YesIntent", {},
     After(None, False, Offer.part_of("prevention", 2)
           if len(CONTENT.answer("prevention").parts) > 2 else None, False, False),
     answer("prevention", 1)),
    (Before("calf:1", paused=True, offer=Offer.RESUME), "AMAZON.YesIntent", {},
     After("calf:1", False, None, False, False), phrase("resumed")),
    (Before("calf:1", paused=True, offer=Offer.RESUME), "AMAZON.NoIntent", {},
     After("calf:1", True, None, False, False), phrase("okay")),
    (Before(), "AMAZON.NoIntent", {}, After(None, False, None, False, True), phrase("goodbye")),
    # continuity: a session opening within 15 minutes of one closed mid-routine
    (Before(resume_point="calf:2"), LAUNCH, {},
     After("calf:2", False, None, False, False), step("warmth")),
    (Before(resume_point="calf:2"), "AMAZON.NextIntent", {},
     After("calf:2", False, None, False, False), phrase("welcome_back")),
    (Before("calf:2", paused=True, offer=Offer.WELCOME_BACK), "AMAZON.YesIntent", {},
     After("calf:2", False, None, False, False), step("warmth")),
    (Before(resume_point="calf:1"), "StillHurtsIntent", {},
     After("calf:2", False, None, False, False), phrase("hurts_1")),
    (Before(resume_point="calf:1", minutes=11), LAUNCH, {},
     After(None, False, Offer.LONG_CRAMP_CHECK, True, False), answer("still_hurts_long")),
    # built-ins
    (Before(), "AMAZON.RepeatIntent", {}, After(None, False, None, False, False),
     phrase("no_routine")),
    (Before(), "AMAZON.HelpIntent", {}, After(None, False, None, False, False),
     phrase("help_general")),
    (Before("calf:1"), "AMAZON.HelpIntent", {}, After("calf:1", False, None, False, False),
     phrase("help_routine")),
    (Before("calf:1"), "AMAZON.StopIntent", {}, After("calf:1", False, None, False, True),
     phrase("goodbye")),
    (Before(), "AMAZON.FallbackIntent", {}, After(None, False, None, False, False),
     phrase("fallback")),
    (Before(misses=1), "AMAZON.FallbackIntent", {}, After(None, False, None, False, False),
     phrase("fallback_options")),
    (Before(), "NoSuchIntent", {}, After(None, False, None, False, False), phrase("fallback")),
]


def written(state: Optional[RoutineState]) -> Optional[str]:
    return f"{state.name}:{state.step}" if state else None


@pytest.mark.parametrize("before, said, slots, after, heard", TABLE,
                         ids=[f"{row[0].routine or row[0].resume_point or '-'}"
                              f"/{row[0].offer or '-'}/{row[1]}" for row in TABLE])
def test_state_machine(before, said, slots, after, heard):
    conversation = Conversation(routine=routine_state(before.routine, before.minutes),
                                offer=before.offer, misses=before.misses)
    if conversation.routine:
        conversation.routine.paused = before.paused
    turn = Turn(CONTENT, conversation, NOW, slots=slots,
                resume_point=routine_state(before.resume_point, before.minutes))
    kind = LAUNCH if said == LAUNCH else "IntentRequest"
    move = route_for(kind, said, turn)
    assert move is not None and not isinstance(move, Action)
    reply = move(turn)
    state = turn.conversation.routine
    assert After(written(state), bool(state and state.paused), turn.conversation.offer,
                 reply.urgent, not (reply.prompt or reply.reprompt or reply.rendered)) == after
    assert heard in " ".join([words_of(reply.body), reply.prompt or ""])


def test_replies_do_not_change_the_state_they_are_built_from():
    """Composing a reply (replies.py) leaves the conversation as it was; only moves change it."""
    from skill.coach import replies

    state = RoutineState("calf", 1, started_at=NOW)
    conversation = Conversation(routine=state, offer=Offer.RESUME)
    before = conversation.to_dict()
    replies.step(CONTENT, state, screen=True)
    replies.answer(CONTENT, "prevention", 0, in_routine=True)
    replies.way_forward(CONTENT, conversation)
    replies.replay_card(CONTENT, conversation)
    assert conversation.to_dict() == before

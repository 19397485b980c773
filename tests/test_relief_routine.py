"""The guided relief routine, through the real Lambda handler: what a person hears."""

import re

import pytest

from skill import content as content_files
from tests.speech import spoken_ms

CONTENT = content_files.load("en-US")
MUSCLES = {  # muscle slot as Alexa resolves it -> the routine it starts
    ("calf", "CALF"): "calf",
    ("toes", "FOOT"): "foot",
    ("back of my thigh", "HAMSTRING"): "hamstring",
    ("quad", "QUAD"): "quad",
}
OTHER_WAYS_IN = {"both": {"legs": ("both legs", "BOTH")},  # a routine -> the slots that start it
                 "helper": {"person": ("my mum", "HER")}}
STANDING = [step.say[0] for step in CONTENT.steps.values() if step.standing]


def steps_of(routine: str):
    return CONTENT.routine(routine).steps


def start(talk, routine: str):
    if routine == "calf":
        return talk.launch()
    if routine in OTHER_WAYS_IN:
        return talk.intent("ReliefIntent", **OTHER_WAYS_IN[routine])
    spoken, resolved = next(slot for slot, name in MUSCLES.items() if name == routine)
    return talk.intent("ReliefIntent", muscle=(spoken, resolved))


def test_launch_opens_with_the_counted_stretch_sitting_up_in_bed(lambda_talk):
    heard = lambda_talk.launch()
    speech = heard.speech
    before_instruction = speech.split("Sit up in bed")[0]
    assert len(before_instruction.split()) <= 8
    assert speech.index("Sit up in bed with that leg straight.") \
        < speech.index("pull your toes up toward your shin") < speech.index("Hold it there.") \
        < speech.index("And gently let go.") < speech.index("Say next when you're ready")
    assert not any(words in speech for words in STANDING)  # never standing first
    assert "not medical advice" not in speech
    assert heard.reprompt.endswith("Say next, or repeat to stretch again.") and not heard.ended


def test_the_disclaimer_waits_for_the_first_calm_point_and_comes_once(lambda_talk):
    """Never between an instruction and its cue: not in a step, but after the first answer."""
    assert "not medical advice" not in lambda_talk.launch()
    assert "not medical advice" not in lambda_talk.intent("AMAZON.NextIntent")
    assert "not medical advice" in lambda_talk.intent("DurationIntent")
    assert "not medical advice" not in lambda_talk.intent("SymptomsIntent")


@pytest.mark.parametrize("slot, routine", MUSCLES.items())
def test_each_muscle_starts_its_own_routine(lambda_talk, slot, routine):
    heard = lambda_talk.intent("ReliefIntent", muscle=slot)
    assert steps_of(routine)[0].say[0] in heard.speech


@pytest.mark.parametrize("spoken", ["elbow", "the top of my head", "</speak>"])
def test_muscle_words_that_did_not_resolve_start_the_calf_routine(lambda_talk, spoken):
    """The routine follows the resolved id only (Alexa's, or the lexicon's reading of the
    words: "front of my thigh" is the quad, tests/test_understanding_lexicon.py); words
    nothing resolves get the most common cramp, the default."""
    heard = lambda_talk.intent("ReliefIntent", muscle=spoken)
    assert steps_of("calf")[0].say[0] in heard.speech


def test_relief_without_a_muscle_is_the_calf_routine(lambda_talk):
    assert steps_of("calf")[0].say[0] in lambda_talk.intent("ReliefIntent").speech


@pytest.mark.parametrize("routine", ["calf", "foot", "hamstring", "quad", "both"])
def test_walk_the_whole_routine_then_aftercare_then_a_tip(lambda_talk, routine):
    heard = start(lambda_talk, routine)
    for step in steps_of(routine):
        assert step.say[0] in heard.speech
        assert heard.reprompt == step.reprompt and not heard.ended
        heard = lambda_talk.intent("AMAZON.NextIntent")
    assert "sore for up to a day" in heard and "glass of water" in heard
    assert heard.speech.endswith("Would you like a tip to help prevent the next one?")
    tip = lambda_talk.intent("AMAZON.YesIntent")
    assert "may help" in tip and "Want another tip?" in tip
    another = lambda_talk.intent("AMAZON.NextIntent")  # "okay" or "next" to another tip
    assert "Drink enough" in another and not another.ended
    lambda_talk.intent("AMAZON.NoIntent")
    past_the_end = lambda_talk.intent("AMAZON.NextIntent")
    assert "You've finished the routine" in past_the_end and not past_the_end.ended


def pauses_of(ssml: str) -> list[float]:
    """Every break in the speech, in seconds: whole seconds ("4s") or milliseconds ("3500ms")."""
    return [int(amount) / (1000 if unit == "ms" else 1)
            for amount, unit in re.findall(r'<break time="(\d+)(s|ms)"/>', ssml)]


def test_the_stretch_is_held_for_a_spoken_count_down_in_short_breaks(lambda_talk):
    heard = lambda_talk.launch()
    ssml = heard.body["response"]["outputSpeech"]["ssml"]
    hold = ssml[ssml.index("Hold it there."):ssml.index("And gently let go.")]
    pauses = pauses_of(hold)
    assert pauses and all(0 < seconds <= 5 for seconds in pauses)  # a short beat every 5 s
    assert 15 <= sum(pauses) <= 25
    assert 22_000 <= spoken_ms(hold) <= 28_000  # the count's marks fall on the true 25 seconds
    marks = ["Twenty more seconds.", "Fifteen more.", "Ten more.", "Five more.", "gently let go"]
    positions = [heard.speech.index(mark) for mark in marks]
    assert positions == sorted(positions)


ROUTINE_INTENTS = ["AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
                   "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
                   "CantStandIntent", "StillHurtsIntent", "CrampGoneIntent",
                   "AMAZON.HelpIntent", "AMAZON.FallbackIntent"]


def first_standing(routine: str) -> int:
    return next(index for index, step in enumerate(steps_of(routine)) if step.standing)


def seated_from(routine: str, index: int) -> tuple[str, int]:
    """Where "I can't stand" at a standing step leads: the seated routine, at its
    first step not done already (nothing replayed)."""
    seated = CONTENT.routine(routine).seated
    done = {step.id for step in steps_of(routine)[:index]}
    return seated, next(at for at, step in enumerate(steps_of(seated)) if step.id not in done)


def expected(routine: str, index: int, intent: str, before: str) -> tuple[list[str], list[str]]:
    """What the person must hear after `intent` at step `index` of `routine`, and
    what they must not."""
    steps = steps_of(routine)
    here = steps[index]
    stretch = next((step for step in steps if step.hold and step.hold.kind == "stretch"), steps[0])
    if intent == "CantStandIntent" and here.standing:
        seated, at = seated_from(routine, index)
        hear = ["That's fine. Stay sitting", steps_of(seated)[at].say[0]]
        return hear, STANDING + [step.say[0] for step in steps[:index]]
    if intent == "CantStandIntent":  # already sitting: said so, the step not replayed
        return ["That's fine, this one is done sitting down.", here.prompt], [here.say[0]]
    hear = {
        "AMAZON.NextIntent": [steps[index + 1].say[0]] if index + 1 < len(steps)
        else ["sore for up to a day"],
        "AMAZON.PreviousIntent": [steps[index - 1].say[0]] if index
        else ["This is the first step.", here.say[0]],
        "AMAZON.RepeatIntent": [before],
        "AMAZON.StartOverIntent": ["Let's start again.", steps[0].say[0]],
        "AMAZON.PauseIntent": ["Okay, I'll wait.", "Say continue when you're ready."],
        "AMAZON.ResumeIntent": ["Let's carry on.", here.say[0]],
        "StillHurtsIntent": [CONTENT.phrase("hurts_1"), steps[index + 1].say[0]
                             if index + 1 < len(steps) else stretch.say[0]],
        "CrampGoneIntent": ["glad it has eased", "sore for up to a day"],
        "AMAZON.HelpIntent": ["Say next, repeat, wait, or I can't stand.", "not medical advice"],
        "AMAZON.FallbackIntent": ["didn't catch that", here.prompt],
    }[intent]
    return hear, []


def ends_the_session(routine: str, index: int, intent: str) -> bool:
    """Only a routine's closing words with nothing to offer (the helper's) end it."""
    closing = intent == "CrampGoneIntent" or (intent == "AMAZON.NextIntent"
                                              and index + 1 == len(steps_of(routine)))
    return closing and not CONTENT.answer(CONTENT.routine(routine).finish).offer


RELIEF = ["calf", "foot", "hamstring", "quad", "both", "helper"]
SEATED = [CONTENT.routine(routine).seated for routine in RELIEF if CONTENT.routine(routine).seated]
ALL_STEPS = [(routine, index) for routine in RELIEF + SEATED
             for index in range(len(steps_of(routine)))]


def walk_to(talk, routine: str, index: int):
    """To a step the way a person gets there: a seated routine by "I can't stand" at
    the first standing step of its standing routine, then next or back."""
    if not routine.endswith("_seated"):
        heard = start(talk, routine)
        for _ in range(index):
            heard = talk.intent("AMAZON.NextIntent")
        return heard
    standing = routine.removesuffix("_seated")
    walk_to(talk, standing, first_standing(standing))
    heard = talk.intent("CantStandIntent")
    seated, at = seated_from(standing, first_standing(standing))
    assert seated == routine and steps_of(routine)[at].say[0] in heard.speech
    while at != index:
        heard = talk.intent("AMAZON.NextIntent" if at < index else "AMAZON.PreviousIntent")
        at += 1 if at < index else -1
    return heard


@pytest.mark.parametrize("intent", ROUTINE_INTENTS)
@pytest.mark.parametrize("routine, index", ALL_STEPS)
def test_every_navigation_intent_at_every_step(lambda_talk, routine, index, intent):
    before = walk_to(lambda_talk, routine, index)
    heard = lambda_talk.intent(intent)
    hear, never = expected(routine, index, intent, before.speech)
    for words in hear:
        assert words in heard.speech, f"{words!r} not in {heard.speech!r}"
    for words in never:
        assert words not in heard.speech, f"{words!r} in {heard.speech!r}"
    if not any(step.standing for step in steps_of(routine)):  # seated stays seated
        assert not any(words in heard.speech for words in STANDING), heard.speech
    if ends_the_session(routine, index, intent):
        assert heard.ended
    else:
        assert not heard.ended and heard.reprompt


@pytest.mark.parametrize("routine, index", ALL_STEPS)
def test_pause_then_resume_returns_to_the_same_step(lambda_talk, routine, index):
    walk_to(lambda_talk, routine, index)
    lambda_talk.intent("AMAZON.PauseIntent")
    heard = lambda_talk.intent("AMAZON.ResumeIntent")
    assert steps_of(routine)[index].say[0] in heard.speech


@pytest.mark.parametrize("routine, index", ALL_STEPS)
def test_a_question_mid_routine_is_answered_and_resume_returns(lambda_talk, routine, index):
    walk_to(lambda_talk, routine, index)
    answer = lambda_talk.intent("CausesIntent")
    assert "no known cause" in answer
    assert answer.speech.endswith("Say continue to go back to your stretch.")
    back = lambda_talk.intent("AMAZON.ResumeIntent")
    assert steps_of(routine)[index].say[0] in back.speech


def test_yes_after_a_question_also_goes_back_to_the_stretch(lambda_talk):
    walk_to(lambda_talk, "calf", 2)
    lambda_talk.intent("CausesIntent")
    assert steps_of("calf")[2].say[0] in lambda_talk.intent("AMAZON.YesIntent").speech


def test_a_tip_mid_routine_offers_more_or_the_way_back(lambda_talk):
    walk_to(lambda_talk, "calf", 2)
    tip = lambda_talk.intent("PreventionIntent")
    assert tip.speech.endswith("Want another tip? Or say continue to go back to your stretch.")
    assert "Drink enough" in lambda_talk.intent("AMAZON.YesIntent")
    assert steps_of("calf")[2].say[0] in lambda_talk.intent("AMAZON.ResumeIntent").speech


def test_next_after_a_question_moves_on_from_where_the_person_was(lambda_talk):
    walk_to(lambda_talk, "calf", 1)
    lambda_talk.intent("SymptomsIntent")
    assert steps_of("calf")[2].say[0] in lambda_talk.intent("AMAZON.NextIntent").speech


@pytest.mark.parametrize("slot, emergency", [
    ({"sign": ("swollen", "SWELLING")}, False), ({"sign": ("darker", "REDNESS")}, False),
    ({"sign": ("hot", "WARMTH")}, False), ({"symptom": ("pain", "CHEST_PAIN")}, True),
    ({"symptom": ("short", "BREATHLESSNESS")}, True), ({"sign": ("cold", "COLD_PALE_LEG")}, True),
    ({"symptom": ("passed out", "FAINTING")}, True)])
@pytest.mark.parametrize("routine, index", ALL_STEPS)
def test_a_red_flag_at_any_step_stops_the_routine(lambda_talk, routine, index, slot, emergency):
    walk_to(lambda_talk, routine, index)
    heard = lambda_talk.intent("RedFlagIntent", **slot)
    assert "Stop stretching, massaging and warming" in heard
    if emergency:
        assert heard.speech.startswith("Use your phone to call nine one one now")
    else:
        assert "blood clot" in heard and "urgent" in heard and "call nine one one now" in heard
    assert "use your phone to call nine one one now" in heard.reprompt.lower()
    after = lambda_talk.intent("AMAZON.NextIntent")  # urgent advice is final: the advice again
    assert "Stop stretching, massaging and warming" in after
    assert "use your phone to call nine one one now" in after
    assert not any(step.say[0] in after.speech for step in steps_of(routine))


def test_cant_stand_at_the_stretch_in_bed_says_it_is_done_sitting_without_holding_it_again(
        lambda_talk):
    lambda_talk.launch()
    heard = lambda_talk.intent("CantStandIntent")
    assert heard.speech == ("That's fine, this one is done sitting down. "
                            + steps_of("calf")[0].prompt)
    assert "Hold it there." not in heard and not heard.ended


def test_cant_stand_at_the_standing_step_carries_on_timed_in_bed(lambda_talk):
    walk_to(lambda_talk, "calf", first_standing("calf"))
    heard = lambda_talk.intent("CantStandIntent")
    assert "Stay sitting" in heard and "Stay in bed, and gently move your foot" in heard
    assert "(pause 4 s)" in heard.speech and "(chime)" in heard.speech
    assert not any(words in heard.speech for words in STANDING)


@pytest.mark.parametrize("declined", ["CantStandIntent", "AMAZON.NoIntent", "SkipStepIntent"])
@pytest.mark.parametrize("routine", ["calf", "foot", "hamstring", "quad", "both"])
def test_standing_is_offered_and_no_or_skip_decline_it_at_the_same_place(lambda_talk, routine,
                                                                        declined):
    offered = walk_to(lambda_talk, routine, first_standing(routine))
    assert "If you'd like to" in offered and "get up slowly" in offered
    heard = lambda_talk.intent(declined)
    seated, at = seated_from(routine, first_standing(routine))
    assert heard.speech.startswith("That's fine. Stay sitting")
    assert steps_of(seated)[at].say[0] in heard.speech
    done = steps_of(routine)[:first_standing(routine)]
    assert not any(words in heard.speech for words in STANDING + [step.say[0] for step in done])
    assert not heard.ended


def test_it_still_hurts_after_ten_minutes_gives_the_urgent_advice(lambda_talk):
    walk_to(lambda_talk, "calf", 1)
    early = lambda_talk.intent("StillHurtsIntent")
    assert "ten minutes" not in early
    lambda_talk.wait(10)
    late = lambda_talk.intent("StillHurtsIntent")
    assert "lasts more than ten minutes and doesn't ease when you move needs urgent" in late.speech
    assert "Stop stretching, massaging and warming the leg now." in late
    assert late.speech.endswith("Is your leg swollen, red or warm, or cold or pale, or do you have "
                                "chest pain or trouble breathing? Say yes or no.")
    assert late.speech.index("emergency department") < late.speech.index("Is your leg")
    assert "Let's try the next thing." not in late
    assert not any(step.say[0] in late.speech for step in steps_of("calf"))


@pytest.mark.parametrize("answer, advice", [("AMAZON.YesIntent", "use your phone to call nine one one now"),
                                            ("AMAZON.NoIntent", "cramp that won't ease")])
def test_the_ten_minute_point_ends_the_routine_in_urgent_advice(lambda_talk, answer, advice):
    lambda_talk.launch()
    lambda_talk.wait(11)
    lambda_talk.intent("StillHurtsIntent")
    heard = lambda_talk.intent(answer)
    assert advice in heard and "emergency department" in heard
    after = lambda_talk.intent("AMAZON.NextIntent")  # no more stretching, massage or heat
    assert advice in after and "emergency department" in after
    assert re.search("stop stretching, massaging and warming|don't stretch, rub or warm",
                     after.speech.lower())
    assert not any(step.say[0] in after.speech for step in steps_of("calf"))


def test_it_still_hurts_after_the_last_step_goes_back_to_the_stretch(lambda_talk):
    walk_to(lambda_talk, "calf", len(steps_of("calf")))
    heard = lambda_talk.intent("StillHurtsIntent")
    assert heard.speech.startswith("I'm sorry it's still hurting.")
    assert "pull your toes up toward your shin" in heard and not heard.ended


def test_its_gone_jumps_to_aftercare_and_offers_a_tip(lambda_talk):
    walk_to(lambda_talk, "calf", 1)
    heard = lambda_talk.intent("CrampGoneIntent")
    assert "sore for up to a day" in heard
    assert heard.speech.endswith("Would you like a tip to help prevent the next one?")
    no = lambda_talk.intent("AMAZON.NoIntent")
    assert no.ended and "Take care" in no


def test_it_still_hurts_without_a_routine_starts_one(lambda_talk):
    assert steps_of("calf")[0].say[0] in lambda_talk.intent("StillHurtsIntent").speech


@pytest.mark.parametrize("intent", ["AMAZON.NextIntent", "AMAZON.PreviousIntent",
                                    "AMAZON.ResumeIntent"])
def test_moves_without_a_routine_say_how_to_start(lambda_talk, intent):
    heard = lambda_talk.intent(intent)
    assert "no stretch going on" in heard and "help me with a cramp" in heard
    assert not heard.ended


def test_start_over_without_a_routine_starts_the_calf_routine(lambda_talk):
    assert steps_of("calf")[0].say[0] in lambda_talk.intent("AMAZON.StartOverIntent").speech


def test_repeat_with_nothing_said_yet_offers_a_start(lambda_talk):
    assert "help me with a cramp" in lambda_talk.intent("AMAZON.RepeatIntent")

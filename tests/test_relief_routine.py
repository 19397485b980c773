"""The guided relief routine, through the real Lambda handler: what a person hears."""

import re

import pytest

from skill import content as content_files

CONTENT = content_files.load("en-US")
MUSCLES = {  # muscle slot as Alexa resolves it -> the routine it starts
    ("calf", "CALF"): "calf",
    ("toes", "FOOT"): "foot",
    ("back of my thigh", "HAMSTRING"): "hamstring",
    ("quad", "QUAD"): "quad",
}


def steps_of(routine: str):
    return CONTENT.routine(routine).steps


def start(talk, routine: str):
    if routine == "calf":
        return talk.launch()
    spoken, resolved = next(slot for slot, name in MUSCLES.items() if name == routine)
    return talk.intent("ReliefIntent", muscle=(spoken, resolved))


def test_launch_opens_with_the_first_instruction(lambda_talk):
    heard = lambda_talk.launch()
    before_instruction = heard.speech.split("turn on a light")[0]
    assert len(before_instruction.split()) <= 8
    assert "knee slightly bent" in heard
    speech = heard.speech
    assert speech.index("turn on a light") < speech.index("hold the bed or a steady chair") \
        < speech.index("stand up slowly") < speech.index("your weight on the cramped leg")
    assert "If standing is hard, say I can't stand, and we'll do it sitting." in speech
    assert heard.reprompt.endswith("Say next, or say I can't stand.")


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


@pytest.mark.parametrize("spoken", ["foot", "front of my thigh", "elbow", "</speak>"])
def test_muscle_words_that_did_not_resolve_start_the_calf_routine(lambda_talk, spoken):
    """The routine follows the resolved id only; the most common cramp is the default."""
    heard = lambda_talk.intent("ReliefIntent", muscle=spoken)
    assert steps_of("calf")[0].say[0] in heard.speech


def test_relief_without_a_muscle_is_the_calf_routine(lambda_talk):
    assert "your weight on the cramped leg" in lambda_talk.intent("ReliefIntent")


@pytest.mark.parametrize("routine", ["calf", "foot", "hamstring", "quad"])
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


def test_the_stretch_is_held_for_a_spoken_count_in_short_breaks(lambda_talk):
    lambda_talk.launch()
    heard = lambda_talk.intent("AMAZON.NextIntent")
    ssml = heard.body["response"]["outputSpeech"]["ssml"]
    pauses = [int(seconds) for seconds in re.findall(r'<break time="(\d+)s"/>', ssml)]
    assert all(seconds <= 10 for seconds in pauses)
    assert 20 <= sum(pauses) <= 30
    assert "Ten seconds" in heard and "Twenty" in heard and "gently let go" in heard


ROUTINE_INTENTS = ["AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
                   "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
                   "CantStandIntent", "StillHurtsIntent", "CrampGoneIntent",
                   "AMAZON.HelpIntent", "AMAZON.FallbackIntent"]


def expected(routine: str, index: int, intent: str, before: str) -> list[str]:
    """What the person must hear after `intent` at step `index` of `routine`."""
    steps = steps_of(routine)
    here = steps[index].say[0]
    seated = CONTENT.routine(routine).seated
    return {
        "AMAZON.NextIntent": [steps[index + 1].say[0]] if index + 1 < len(steps)
        else ["sore for up to a day"],
        "AMAZON.PreviousIntent": [steps[index - 1].say[0]] if index
        else ["This is the first step.", here],
        "AMAZON.RepeatIntent": [before],
        "AMAZON.StartOverIntent": ["Let's start again.", steps[0].say[0]],
        "AMAZON.PauseIntent": ["Okay, I'll wait.", "Say continue when you're ready."],
        "AMAZON.ResumeIntent": ["Let's carry on.", here],
        "CantStandIntent": [CONTENT.routine(seated).steps[0].say[0]] if seated
        else ["Stay sitting"] if steps[index].standing else ["done sitting down", here],
        "StillHurtsIntent": [steps[index + 1].say[0]] if index + 1 < len(steps)
        else ["Let's try the next thing."],
        "CrampGoneIntent": ["glad it has eased", "sore for up to a day"],
        "AMAZON.HelpIntent": ["Say next, repeat, wait, or I can't stand.", "not medical advice"],
        "AMAZON.FallbackIntent": ["didn't catch that", steps[index].prompt],
    }[intent]


ALL_STEPS = [(routine, index) for routine in ("calf", "foot", "hamstring", "quad",
                                              "calf_seated", "quad_seated")
             for index in range(len(steps_of(routine)))]


def walk_to(talk, routine: str, index: int):
    if routine.endswith("_seated"):
        start(talk, routine.removesuffix("_seated"))
        heard = talk.intent("CantStandIntent")
    else:
        heard = start(talk, routine)
    for _ in range(index):
        heard = talk.intent("AMAZON.NextIntent")
    return heard


@pytest.mark.parametrize("intent", ROUTINE_INTENTS)
@pytest.mark.parametrize("routine, index", ALL_STEPS)
def test_every_navigation_intent_at_every_step(lambda_talk, routine, index, intent):
    before = walk_to(lambda_talk, routine, index)
    heard = lambda_talk.intent(intent)
    for words in expected(routine, index, intent, before.speech):
        assert words in heard.speech, f"{words!r} not in {heard.speech!r}"
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
    after = lambda_talk.intent("AMAZON.NextIntent")  # urgent advice is final: the warning again
    assert "Don't stretch, rub or warm that leg" in after
    assert not any(step.say[0] in after.speech for step in steps_of(routine))


def test_cant_stand_switches_to_a_seated_stretch(lambda_talk):
    lambda_talk.launch()
    heard = lambda_talk.intent("CantStandIntent")
    assert "stay sitting" in heard and "pull your toes up toward your shin" in heard
    assert "(pause 10 s)" in heard.speech


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
    after = lambda_talk.intent("AMAZON.NextIntent")
    assert "Don't stretch, rub or warm that leg" in after  # no more stretching, massage or heat


def test_it_still_hurts_after_the_last_step_goes_back_to_the_stretch(lambda_talk):
    walk_to(lambda_talk, "calf", len(steps_of("calf")))
    heard = lambda_talk.intent("StillHurtsIntent")
    assert "I'm sorry it still hurts." in heard
    assert "pull your toes up toward your shin" in heard


def test_its_gone_jumps_to_aftercare_and_offers_a_tip(lambda_talk):
    walk_to(lambda_talk, "calf", 1)
    heard = lambda_talk.intent("CrampGoneIntent")
    assert "sore for up to a day" in heard
    assert heard.speech.endswith("Would you like a tip to help prevent the next one?")
    no = lambda_talk.intent("AMAZON.NoIntent")
    assert no.ended and "Take care" in no


def test_it_still_hurts_without_a_routine_starts_one(lambda_talk):
    assert "your weight on the cramped leg" in lambda_talk.intent("StillHurtsIntent")


@pytest.mark.parametrize("intent", ["AMAZON.NextIntent", "AMAZON.PreviousIntent",
                                    "AMAZON.ResumeIntent"])
def test_moves_without_a_routine_say_how_to_start(lambda_talk, intent):
    heard = lambda_talk.intent(intent)
    assert "no stretch going on" in heard and "help me with a cramp" in heard
    assert not heard.ended


def test_start_over_without_a_routine_starts_the_calf_routine(lambda_talk):
    assert "your weight on the cramped leg" in lambda_talk.intent("AMAZON.StartOverIntent")


def test_repeat_with_nothing_said_yet_offers_a_start(lambda_talk):
    assert "help me with a cramp" in lambda_talk.intent("AMAZON.RepeatIntent")

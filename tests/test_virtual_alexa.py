"""An independent Alexa client (virtual-alexa) talking to a real `python -m skill serve`."""

import pytest

from tests.virtual_alexa.client import converse


def test_open_the_skill_and_walk_into_the_routine(open_server):
    launch, nxt, repeat, stop = converse(open_server.url, [
        {"launch": True}, {"utter": "next"}, {"utter": "repeat"}, {"utter": "stop"}])
    assert launch.speech.startswith("Let's ease that cramp. Sit up in bed")
    assert "pull your toes up toward your shin" in launch and "Hold it there." in launch
    assert "rub the tight muscle" in nxt
    assert repeat.speech == nxt.speech
    # The server has a store: the place is kept, and the person is told so.
    assert stop.ended and "keep your place for fifteen minutes" in stop


def test_the_whole_calf_routine_by_voice(open_server):
    said = ["next", "next", "next", "next", "next", "yes"]
    heard = converse(open_server.url, [{"launch": True}] + [{"utter": u} for u in said])
    assert "pull your toes up toward your shin" in heard[0]
    assert "rub the tight muscle" in heard[1]
    assert "heating pad" in heard[2]
    assert "If you'd like to stand on it" in heard[3]
    assert "your weight on the cramped leg" in heard[3]
    assert "walk around gently" in heard[4]
    assert "sore for up to a day" in heard[5]
    assert "may help" in heard[6]


def test_one_shot_foot_cramp_with_branches_and_a_question(open_server):
    heard = converse(open_server.url, [
        {"utter": "my foot is cramping"}, {"utter": "i can't stand"}, {"utter": "wait"},
        {"utter": "continue"}, {"utter": "why do i get cramps at night"}, {"utter": "continue"},
        {"utter": "it still hurts"}, {"utter": "go back"}, {"utter": "it's gone"}, {"utter": "no"}])
    foot, seated, wait, resumed, why, back, still, previous, gone, no = heard
    assert "pull your toes back toward your shin" in foot and "Hold it there." in foot
    assert "your weight on that foot" not in foot  # the stretch sitting up in bed comes first
    # Already sitting: said so, and the stretch just held is not held again.
    assert "this one is done sitting down" in seated and "Hold it there." not in seated
    assert "I'll wait" in wait and not wait.ended
    assert "Let's carry on" in resumed and "pull your toes back" in resumed
    assert "no known cause" in why and "go back to your stretch" in why
    assert "pull your toes back" in back
    assert "I'm sorry it's still hurting." in still and "rub the tight muscle" in still
    assert "pull your toes back" in previous
    assert "sore for up to a day" in gone
    assert no.ended


def test_a_red_flag_by_voice_stops_the_routine(open_server):
    heard = converse(open_server.url, [
        {"launch": True}, {"utter": "next"}, {"utter": "my leg is swollen"}, {"utter": "next"}])
    assert "Stop stretching, massaging and warming" in heard[2] and "blood clot" in heard[2]
    # Urgent advice is final: "next" hears the advice again, never a step.
    assert "Stop stretching, massaging and warming" in heard[3] and "blood clot" in heard[3]
    assert "rub the tight muscle" not in heard[3]


def test_chest_pain_by_voice_says_call_the_emergency_number(open_server):
    heard = converse(open_server.url, [{"launch": True}, {"utter": "i have chest pain"}])
    assert heard[1].speech.startswith("Use your phone to call nine one one now")


# Numbers in words, so that Alexa reads them digit by digit ("nine one one").
EMERGENCY_NUMBERS = {"en-US": "nine one one", "en-CA": "nine one one", "en-GB": "nine nine nine",
                     "en-AU": "triple zero",
                     "en-IN": "one one two, or one zero eight for an ambulance"}
# Overnight, urgent means the emergency department or the locale's urgent advice line.
LOCAL_HELP = {"en-US": "emergency department", "en-CA": "eight one one",
              "en-GB": "one one one", "en-AU": "emergency department", "en-IN": "hospital"}


@pytest.mark.parametrize("locale", sorted(EMERGENCY_NUMBERS))
def test_a_conversation_in_each_locale_names_the_local_numbers(open_server, locale):
    launch, nxt, chest, doctor, more, cramp_again = converse(open_server.url, [
        {"launch": True}, {"utter": "next"}, {"utter": "i have chest pain"},
        {"utter": "when should i see a doctor"}, {"utter": "yes"},
        {"utter": "my calf is cramping"}], locale=locale)
    number = EMERGENCY_NUMBERS[locale]
    assert "pull your toes up" in launch
    assert "rub the tight muscle" in nxt
    assert chest.speech.startswith(f"Use your phone to call {number} now")
    assert f"use your phone to call {number} now" in doctor.speech.lower()
    assert LOCAL_HELP[locale] in more.speech
    # Urgent advice is final: a cramp after chest pain hears the warning, with its number.
    assert "Stop stretching, massaging and warming" in cramp_again
    assert number in cramp_again.speech and "pull your toes up" not in cramp_again
    for other in set(EMERGENCY_NUMBERS.values()) - {number}:
        assert other not in chest.speech + doctor.speech


def test_british_phrasing_is_understood(open_server):
    cramp, gp = converse(open_server.url, [{"utter": "i've got cramp in my foot"},
                                           {"utter": "should i see my gp"}], locale="en-GB")
    assert "pull your toes back toward your shin" in cramp
    assert "call nine nine nine now" in gp


MUSCLE_UTTERANCES = {"calf": "my calf is cramping", "foot": "my toes are cramping",
                     "hamstring": "i have a cramp in my back of my thigh",
                     "quad": "i have a cramp in my front of my thigh"}


@pytest.mark.parametrize("muscle", sorted(MUSCLE_UTTERANCES))
def test_each_muscles_routine_by_voice_from_first_step_to_aftercare(open_server, muscle):
    from skill import content as content_files

    steps = content_files.load("en-US").routine(muscle).steps
    heard = converse(open_server.url, [{"utter": MUSCLE_UTTERANCES[muscle]}] +
                     [{"utter": "next"}] * len(steps))
    for step, reply in zip(steps, heard):
        assert step.say[0] in reply.speech
    assert "sore for up to a day" in heard[-1]


def test_a_red_flag_by_voice_at_every_step(open_server):
    turns, expected = [], []
    for step in range(5):
        turns += [{"utter": "my calf is cramping"}] + [{"utter": "next"}] * step
        turns.append({"utter": "my calf is red"})
        expected.append(len(turns) - 1)
    heard = converse(open_server.url, turns)
    for index in expected:
        assert "Stop stretching, massaging and warming" in heard[index]
        assert "blood clot" in heard[index]

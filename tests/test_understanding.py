"""Understanding people as they say it: what a person hears when they speak their own way."""

import subprocess
import sys

import pytest

from skill import content as content_files
from skill.understanding import Matcher, load_model
from tests.conftest import ROOT
from tests.virtual_alexa.client import converse

CONTENT = content_files.load("en-US")
CALF = CONTENT.routine("calf").steps
FOOT = CONTENT.routine("foot").steps
ALARM_WORDS = ("blood clot", "Call nine one one", "call nine one one", "urgent")


def no_alarm(heard) -> bool:
    return not any(words in heard.speech for words in ALARM_WORDS)


def test_ordinary_words_mid_routine_by_voice_keep_the_routine(open_server):
    heard = converse(open_server.url, [
        {"launch": True}, {"utter": "i'm up"}, {"utter": "okay"}, {"utter": "what causes this"},
        {"utter": "continue"}, {"utter": "ready"}, {"utter": "i'm sitting down"},
        {"utter": "i'm fine"}])
    launch, up, okay, why, back, ready, sitting, fine = heard
    assert CALF[1].say[0] in up.speech           # "I'm up" is next: the massage
    assert CALF[2].say[0] in okay.speech         # "okay" moves on
    assert "no known cause" in why and "go back to your stretch" in why
    assert CALF[2].say[0] in back.speech
    assert CALF[3].say[0] in ready.speech        # the offer to stand
    assert "Stay sitting" in sitting.speech      # declined: on in bed, nothing replayed
    assert CONTENT.steps["shake_seated"].say[0] in sitting.speech
    assert "sore for up to a day" in fine.speech
    assert all(no_alarm(turn) for turn in heard)


def test_a_correction_by_voice_switches_to_that_muscle(open_server):
    calf, nxt, foot = converse(open_server.url, [
        {"utter": "my calf is cramping"}, {"utter": "next"}, {"utter": "actually it's my foot"}])
    assert CALF[1].say[0] in nxt.speech
    assert foot.speech.startswith("Okay.") and FOOT[0].say[0] in foot.speech


def test_a_plain_thigh_is_asked_front_or_back_by_voice(open_server):
    asked, front = converse(open_server.url, [{"utter": "my thigh is cramping"},
                                              {"utter": "the front"}])
    assert "The front or the back of your thigh?" in asked and not asked.ended
    assert CONTENT.routine("quad").steps[0].say[0] in front.speech
    asked, back = converse(open_server.url, [{"utter": "my upper leg is cramping"},
                                             {"utter": "back"}])
    assert "front or the back" in asked
    assert CONTENT.routine("hamstring").steps[0].say[0] in back.speech


@pytest.mark.parametrize("intent", ["AMAZON.YesIntent", "AMAZON.NextIntent"])
def test_yes_okay_ready_or_done_at_a_step_move_on(lambda_talk, intent):
    lambda_talk.launch()
    for step in CALF[1:]:
        assert step.say[0] in lambda_talk.intent(intent).speech
    assert "sore for up to a day" in lambda_talk.intent(intent)


@pytest.mark.parametrize("slot", [{}, {"sign": "fine"}, {"sign": "up"}, {"symptom": "sleep"}])
def test_a_sign_that_does_not_resolve_gets_one_question_and_keeps_the_routine(lambda_talk, slot):
    lambda_talk.launch()
    lambda_talk.intent("AMAZON.NextIntent")
    asked = lambda_talk.intent("RedFlagIntent", **slot)
    assert asked.speech.startswith("Is your leg swollen, red or warm, or cold or pale, or do you "
                                 "have chest pain or trouble breathing?")
    assert no_alarm(asked) and not asked.ended
    back = lambda_talk.intent("AMAZON.NoIntent")
    assert "go back to your stretch" in back and no_alarm(back)
    assert CALF[1].say[0] in lambda_talk.intent("AMAZON.ResumeIntent").speech


def test_a_yes_to_the_question_is_the_emergency_number_first_never_a_hedge(lambda_talk):
    lambda_talk.launch()
    lambda_talk.intent("RedFlagIntent", sign="weird")
    heard = lambda_talk.intent("AMAZON.YesIntent")
    assert heard.speech.startswith("If you have chest pain, trouble breathing, or a cold or pale "
                                   "leg, use your phone to call nine one one now.")
    assert "worried" not in heard
    after = lambda_talk.intent("AMAZON.NextIntent")  # the advice again, never a step
    assert after.speech.startswith(heard.speech.split(" Say repeat")[0])
    assert "Stop stretching, massaging and warming" in after


def test_tenderness_alone_is_not_an_alarm(lambda_talk):
    lambda_talk.launch()
    heard = lambda_talk.intent("RedFlagIntent", sign=("tender", "TENDERNESS"))
    assert "soreness after a cramp is normal" in heard and no_alarm(heard)
    assert "Is your leg swollen, red or warm" in heard


def test_a_resolved_sign_in_answer_to_the_question_gives_the_advice(lambda_talk):
    lambda_talk.launch()
    lambda_talk.intent("RedFlagIntent", sign="odd")
    heard = lambda_talk.intent("RedFlagIntent", sign=("puffy", "SWELLING"))
    assert "blood clot" in heard and "Stop stretching, massaging and warming" in heard


def test_the_same_muscle_again_carries_on_where_the_person_is(lambda_talk):
    lambda_talk.launch()
    lambda_talk.intent("AMAZON.NextIntent")
    heard = lambda_talk.intent("ReliefIntent", muscle=("calf", "CALF"))
    assert heard.speech.startswith("Okay.") and CALF[1].say[0] in heard.speech


def test_not_understood_escalates_and_never_repeats_one_apology_three_times(lambda_talk):
    lambda_talk.launch()
    misses = [lambda_talk.intent("AMAZON.FallbackIntent") for _ in range(5)]
    assert misses[0].speech.startswith("Sorry, I didn't catch that.")
    assert CALF[0].prompt in misses[0].speech
    assert misses[1].speech == "You can say next, repeat, wait, or I can't stand."
    assert "Sorry, I didn't catch that" not in misses[2].speech
    for first, second, third in zip(misses, misses[1:], misses[2:]):
        assert not (first.speech == second.speech == third.speech)
    assert all(not miss.ended and miss.reprompt for miss in misses)
    lambda_talk.intent("AMAZON.NextIntent")
    assert lambda_talk.intent("AMAZON.FallbackIntent").speech.startswith("Sorry, I didn't")


def test_not_understood_outside_a_routine_names_how_to_start(lambda_talk):
    lambda_talk.intent("AMAZON.FallbackIntent")
    second = lambda_talk.intent("AMAZON.FallbackIntent")
    assert "help me with a cramp" in second and "Sorry" not in second.speech


MATCHER = Matcher(load_model("en-US"))


@pytest.mark.parametrize("typed, intent, slots", [
    ("um so my calf is cramping please", "ReliefIntent", {"muscle": ("calf", "CALF")}),
    ("cramping my calf is", "ReliefIntent", {"muscle": ("calf", "CALF")}),
    ("my calf is crampng", "ReliefIntent", {"muscle": ("calf", "CALF")}),
    ("my lower leg has seized up", "ReliefIntent", {"muscle": ("calf", "CALF")}),
    ("it is still hurting a lot", "StillHurtsIntent", {}),
    ("when shoud i see a doctor", "SeeDoctorIntent", {}),
    ("could it be my water pills", "CausesIntent", {"cause": ("diuretics", "DIURETICS")}),
    ("my leg is not swollen", "RedFlagIntent", {"sign": ("not swollen", None)}),
    ("i have a headache", "AMAZON.FallbackIntent", {}),
])
def test_the_console_hears_tolerantly_like_alexa(typed, intent, slots):
    match = MATCHER.match(typed)
    assert (match.intent, match.slots) == (intent, slots)


def test_explain_prints_the_intent_and_slots_each_line_was_heard_as():
    result = subprocess.run([sys.executable, "-m", "skill", "chat", "--explain"],
                            input="my foot is cramping\nis it my statin\n", capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[ReliefIntent muscle='foot' (FOOT)]" in result.stdout
    assert "[CausesIntent cause='statins' (STATINS)]" in result.stdout


# What the skill itself tells people to say ("Say next when you're ready.")
# must be understood, by Alexa's matching, in every locale.
TOLD_TO_SAY_ES = [
    ("Di siguiente", "siguiente", "AMAZON.NextIntent"),
    ("di no puedo levantarme", "no puedo levantarme", "CantStandIntent"),
    ("Di continúa", "continúa", "AMAZON.ResumeIntent"),
    ("Di repite", "repite", "AMAZON.RepeatIntent"),
    ("Di ayúdame con un calambre", "ayúdame con un calambre", "ReliefIntent"),
    ("pregunta por qué dan calambres", "por qué dan calambres", "CausesIntent"),
    ("cuándo ir al médico", "cuándo debo ir al médico", "SeeDoctorIntent"),
    ("si todavía duele", "todavía duele", "StillHurtsIntent"),
    ("cuando se haya ido", "ya se fue", "CrampGoneIntent"),
    ("repite, espera,", "espera", "AMAZON.PauseIntent"),
    ("Di sí o no", "sí", "AMAZON.YesIntent"),
    ("Di es delante, o es atrás", "es atrás", "ReliefIntent"),
]
TOLD_TO_SAY = [
    ("Say next", "next", "AMAZON.NextIntent"),
    ("say I can't stand", "i can't stand", "CantStandIntent"),
    ("Say continue", "continue", "AMAZON.ResumeIntent"),
    ("Say repeat", "repeat", "AMAZON.RepeatIntent"),
    ("Say help me with a cramp", "help me with a cramp", "ReliefIntent"),
    ("ask why cramps happen", "why do cramps happen", "CausesIntent"),
    ("ask why cramps happen", "why cramps happen", "CausesIntent"),
    ("when to see a doctor", "when should i see a doctor", "SeeDoctorIntent"),
    ("if it still hurts", "it still hurts", "StillHurtsIntent"),
    ("when it's gone", "it's gone", "CrampGoneIntent"),
    ("repeat, wait,", "wait", "AMAZON.PauseIntent"),
    ("Say yes or no", "yes", "AMAZON.YesIntent"),
]


@pytest.mark.parametrize("language, told_to_say", [("en", TOLD_TO_SAY), ("es", TOLD_TO_SAY_ES)])
def test_what_the_skill_tells_people_to_say_is_understood(language, told_to_say):
    from tests import routing

    locales = [locale for locale in content_files.supported_locales()
               if locale.startswith(language)]
    content = content_files.load(locales[0])
    spoken = " ".join([*content.phrases.values(),
                       *(text for step in content.steps.values()
                         for text in (step.prompt, step.reprompt)),
                       *(hold.again for hold in map(content.hold, ("count_25", "wait_45")))])
    for told, _, _ in told_to_say:
        assert told in spoken, f"the skill no longer says {told!r}: update this list"
    for locale in locales:
        routed = routing.route_virtual_alexa(locale, [said for _, said, _ in told_to_say])
        wrong = [(said, got.intent) for (_, said, intent), got in zip(told_to_say, routed)
                 if got.intent != intent]
        assert not wrong, f"{locale}: {wrong}"

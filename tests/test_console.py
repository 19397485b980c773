"""The text console: typed text to requests, through the real skill, as plain text."""

import os
import subprocess
import sys

import pytest

from skill.understanding import Lexicon, Matcher, load_model
from tests.conftest import ROOT

MATCHER = Matcher(load_model("en-US"))
OPEN_AND_ASK = "open cramp coach\nhow long does a cramp last\nstop\n"  # an answer: the disclaimer


def chat(lines: str, *flags: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skill", "chat", *flags], input=lines,
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, **(env or {})})


def test_the_piped_conversation_from_the_issue():
    result = chat("my calf is cramping\nnext\nwhy do I get cramps at night\nresume\n"
                  "some nonsense\nit's gone\nstop\n")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("Alexa: ")]
    assert len(said) == 7
    assert "pull your toes up" in said[0] and "(pause 3.5 s)" in said[0]  # ms shown as seconds
    assert "(pause 4 s)" in said[1] and "rub the tight muscle" in said[1]
    assert "no known cause" in said[2]
    assert "Let's carry on." in said[3]
    assert "didn't catch that" in said[4] and "Say next" in said[4]
    assert "sore for up to a day" in said[5]
    assert "Take care" in said[6]
    assert "(if you say nothing: " in result.stdout
    for noise in ("<speak>", "<break", "Traceback", "You: "):
        assert noise not in result.stdout + result.stderr


def test_the_console_stops_when_the_skill_ends_the_session():
    result = chat("open cramp coach\nstop\nnext\n")
    assert result.returncode == 0
    assert result.stdout.count("Alexa: ") == 2


def test_exit_and_end_of_input_leave_quietly():
    assert chat("open cramp coach\nexit\nnext\n").stdout.count("Alexa: ") == 1
    assert chat("").returncode == 0 and chat("").stdout == ""


def test_a_throwaway_store_by_default_and_a_kept_one_with_db(tmp_path):
    for _ in range(2):
        assert "not medical advice" in chat(OPEN_AND_ASK).stdout
    db = str(tmp_path / "prefs.sqlite3")
    assert "not medical advice" in chat(OPEN_AND_ASK, "--db", db).stdout
    assert "not medical advice" not in chat(OPEN_AND_ASK, "--db", db).stdout


def test_other_locales_use_their_own_model():
    result = chat("open cramp coach\n", "--locale", "xx-XX")
    assert result.returncode != 0 and "No interaction model" in result.stderr


def test_speak_without_espeak_says_so_clearly(tmp_path):
    result = chat(OPEN_AND_ASK, "--speak", env={"PATH": str(tmp_path)})
    assert result.returncode == 0
    assert "espeak-ng is not installed" in result.stderr
    assert "Let's ease that cramp" in result.stdout


def test_speak_hands_the_ssml_to_espeak(tmp_path):
    spoken = tmp_path / "spoken.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$2\" >> {spoken}\n")
    fake.chmod(0o755)
    result = chat(OPEN_AND_ASK, "--speak",
                  env={"PATH": f"{tmp_path}:{os.environ['PATH']}"})
    assert result.returncode == 0
    assert spoken.read_text().startswith("<speak>Let's ease that cramp.")


@pytest.mark.parametrize("typed, intent, slots", [
    ("I can't stand", "CantStandIntent", {}),
    ("i cannot stand!", "CantStandIntent", {}),
    ("It's GONE.", "CrampGoneIntent", {}),
    ("it is gone", "CrampGoneIntent", {}),
    ("my arch is cramping", "ReliefIntent", {"muscle": ("foot", "FOOT")}),
    ("I've got a cramp in my back of my thigh", "ReliefIntent",
     {"muscle": ("hamstring", "HAMSTRING")}),
    ("my elbow is cramping", "ReliefIntent", {"muscle": ("elbow", None)}),
    ("can statins cause cramps", "CausesIntent", {"cause": ("statins", "STATINS")}),
    ("my leg is swollen", "RedFlagIntent", {"sign": ("swollen", "SWELLING")}),
    ("yeah", "AMAZON.YesIntent", {}),
    ("go back", "AMAZON.PreviousIntent", {}),
    ("go back to the stretch", "AMAZON.ResumeIntent", {}),
    ("when should i see a docter", "SeeDoctorIntent", {}),
    ("purple monkey dishwasher", "AMAZON.FallbackIntent", {}),
])
def test_typed_text_becomes_the_intent_alexa_would_send(typed, intent, slots):
    match = MATCHER.match(typed)
    assert (match.intent, match.slots) == (intent, slots)


@pytest.mark.parametrize("typed, expected", [
    ("open cramp coach", (True, None)), ("Cramp Coach", (True, None)),
    ("ask cramp coach to help my calf is cramping", (True, "help my calf is cramping")),
    ("tell cramp coach it's gone", (True, "it has gone")),
    ("next", (False, None))])
def test_launch_and_one_shot_phrases(typed, expected):
    assert MATCHER.launch_or_one_shot(typed) == expected


@pytest.mark.parametrize("typed, intent", [
    ("my kid wakes up with leg cramps", "ChildrenIntent"),  # not "my kid ... leg" as a muscle
    ("how do i stop getting leg cramps at night", "PreventionIntent"),
    ("my leg feels fine now", "CrampGoneIntent"),
])
def test_a_slot_holds_a_slots_words_not_the_sentence_around_them(typed, intent):
    assert MATCHER.match(typed).intent == intent


@pytest.mark.parametrize("typed, never", [
    ("no it's not swollen", "AMAZON.YesIntent"),  # a guessed yes with a "not" in it
    ("my calf is cramping eh", "RedFlagIntent"),  # carrier words are not an unlisted sign
    ("one of my legs is all swollen and puffy", "AMAZON.YesIntent"),  # longer than any yes
])
def test_the_last_resort_is_never_a_confident_opposite(typed, never):
    assert MATCHER.match(typed).intent != never


@pytest.mark.parametrize("locale, typed, intent, slots", [
    ("en-GB", "ugh my calf is cramping again tonight mate", "ReliefIntent", {"muscle": "CALF"}),
    ("en-US", "sorry to bother you but my foot is cramping what do i do", "ReliefIntent",
     {"muscle": "FOOT"}),
    ("es-MX", "ay dios mío tengo un calambre en la pantorrilla qué hago", "ReliefIntent",
     {"muscle": "CALF"}),
])
def test_a_request_is_heard_through_the_asides_around_it(locale, typed, intent, slots):
    """Words the lexicon knows people wrap a request in are left out; the rest is a sample."""
    match = Matcher(load_model(locale)).match(typed)
    assert (match.intent, {name: found for name, (_, found) in match.slots.items()}) == (
        intent, slots)


def test_a_sign_heard_through_asides_is_sent_with_the_whole_sentence():
    """The asides are left out to find the request, never to lose what may deny or
    explain a sign: the sign goes to the skill with every word said, for its lexicon."""
    typed = "okay so my leg is all red please help"
    match = Matcher(load_model("en-GB")).match(typed)
    assert (match.intent, match.slots) == ("RedFlagIntent", {"sign": (typed, None)})


@pytest.mark.parametrize("locale, typed", [
    ("en-CA", "it's freezing in this house"),  # a leg sign needs the leg
    ("es-ES", "qué frío hace aquí"),
    ("en-US", "i passed out on the couch watching tv and woke up with a cramp"),  # asleep
    ("en-AU", "nah me chest's fine mate it's just this cramp"),  # reassured
    ("es-US", "me quedé dormido en el couch y me desperté con un cramp"),  # asleep, not numb
    ("en-US", "my leg is red from rubbing it so hard all night"),  # what explains it stays
    ("en-CA", "no it's not swollen or red or anything"),
    ("en-GB", "i can't move my leg because the cat is on it"),  # a reason is never left out
    ("en-US", "my chest hurts from laughing so much"),
    ("en-US", "i passed out asleep after the cramp"),
    ("es-ES", "mi amiga se desmayó en su boda"),
    ("es-ES", "el pecho está bien"),
])
def test_an_ordinary_sentence_is_never_read_as_a_sign(locale, typed):
    """What is left out to find a sample never explains, denies or qualifies a sign."""
    match = Matcher(load_model(locale)).match(typed)
    lexicon = Lexicon.load(locale)
    assert not (match.intent == "RedFlagIntent" and any(
        found or lexicon.resolve(lexicon.slot_type(name), value)
        for name, (value, found) in match.slots.items())), match.explain()


@pytest.mark.parametrize("locale, typed, slots", [
    ("en-GB", "i woke up with a cramp in my calf and it is horrible tonight", {"muscle": "CALF"}),
    ("es-MX", "mi esposo tiene un calambre y está gritando en la recámara", {"person": "HIM"}),
])
def test_a_sample_is_found_inside_a_longer_sentence(locale, typed, slots):
    """The words around it hold no "not" and no word of any slot, so nothing is lost."""
    match = Matcher(load_model(locale)).match(typed)
    assert (match.intent, {name: found for name, (_, found) in match.slots.items()}) == (
        "ReliefIntent", slots)


@pytest.mark.parametrize("locale, typed, tier", [
    ("es-ES", "tengo la pantorrilla hinchada y ahora también me duele el pecho", "red_flag_emergency"),
    ("en-GB", "my calf is all swollen and now i can't breathe properly", "red_flag_emergency"),
    ("es-US", "me duele el pecho y tengo mucho miedo", "red_flag_emergency"),
    ("en-AU", "i just fainted and now i'm on the floor", "red_flag_emergency"),
])
def test_clauses_run_together_are_heard_one_by_one_the_graver_sign_first(locale, typed, tier):
    """Two clauses, each a sample: the red flags among them are heard together, with the
    whole sentence as their words, so the graver sign decides the advice."""
    from skill import content

    match = Matcher(load_model(locale)).match(typed)
    lexicon = Lexicon.load(locale)
    ids = [lexicon.resolve(lexicon.slot_type(name), value, typed)
           for name, (value, _) in match.slots.items()]
    assert match.intent == "RedFlagIntent", match.explain()
    assert content.load(locale).gravest_tier(*ids) == tier, match.explain()


@pytest.mark.parametrize("locale, typed", [
    ("en-US", "i fainted once at school and now my calf is cramping"),  # a time gone by
    ("en-GB", "my calf is cramping and my chest is fine"),
    ("es-MX", "me desmayé una vez de niño y ahora tengo un calambre"),
])
def test_a_clause_of_a_sentence_never_raises_an_alarm_the_rest_takes_back(locale, typed):
    match = Matcher(load_model(locale)).match(typed)
    lexicon = Lexicon.load(locale)
    resolved = [found or lexicon.resolve(lexicon.slot_type(name), value, typed)
                for name, (value, found) in match.slots.items()]
    assert not (match.intent == "RedFlagIntent" and any(resolved)), match.explain()


@pytest.mark.parametrize("locale, typed", [
    ("en-GB", "i'm not getting out of bed it's freezing"),  # the room, not the leg
    ("es-MX", "está haciendo un frío bien feo"),
    ("en-CA", "the furnace quit so my toes are freezing"),  # the room explains it
    ("en-IN", "no no chest pain is not there"),  # denied twice is denied
    ("en-CA", "hypothetically a leg that won't move is that a nine one one thing"),
    ("es-MX", "a poco un calambre te puede dar dolor de pecho"),  # a question in general
    ("en-US", "i passed out flyers all day and now my calves hate me"),  # another sense
    ("es-MX", "me picaron los moscos y tengo ronchitas rojas en la pierna"),  # a bite
    ("en-US", "in the mystery i'm reading the detective faints at the crime scene"),  # a story
])
def test_a_sign_word_in_an_ordinary_sentence_never_raises_an_alarm(locale, typed):
    match = Matcher(load_model(locale)).match(typed)
    lexicon = Lexicon.load(locale)
    assert not (match.intent == "RedFlagIntent" and any(
        found or lexicon.resolve(lexicon.slot_type(name), value, typed)
        for name, (value, found) in match.slots.items())), match.explain()

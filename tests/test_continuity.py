"""Keeping the person's place: steps timed to outlast Alexa's listening window, a wait
that waits, and a 15-minute resume point that survives the session (and a restart)."""

import json
import re
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import boto3
import pytest

from skill import content as content_files
from skill import envelopes
from skill.speech import MAX_BREAK_SECONDS
from tests.conftest import TABLE, Server, boto_credentials
from tests.lambda_store import run_lambda
from tests.lambda_store import speech as lambda_speech
from tests.talk import Talk
from tests.virtual_alexa.client import converse

CONTENT = content_files.load("en-US")
BREAK = re.compile(r'<break time="(\d+)s"/>')
CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
WORD = re.compile(r"[A-Za-z']+")
# Steps that take longer than Alexa listens (about 8 s), and the silence each must give.
TIMED = {"stretch": (20, 30), "massage": (20, 30), "warmth": (15, 30), "walk": (20, 30)}


def kind_of(step_id: str) -> str | None:
    for kind in TIMED:
        if kind in step_id or (kind == "stretch" and step_id.startswith("bedtime")):
            return kind
    return None


def ssml(heard) -> str:
    return heard.body["response"]["outputSpeech"]["ssml"]


def breaks(heard) -> list[int]:
    return [int(seconds) for seconds in BREAK.findall(ssml(heard))]


def words_before_first_break(heard) -> int:
    before = BREAK.split(ssml(heard))[0]
    return len(WORD.findall(re.sub(r"<[^>]+>", " ", before)))


def at(moment: datetime) -> str:
    return envelopes.iso(moment)


def now() -> datetime:
    """Wall-clock time: the stores drop expired points by the wall clock, as DynamoDB does."""
    return datetime.now(timezone.utc).replace(microsecond=0)


# Timed steps, through the Lambda entry point.
ROUTINES = ["calf", "foot", "hamstring", "quad", "bedtime"]


def walk_routine(talk: Talk, routine: str):
    """Every step of a routine as heard, from its start to its last step."""
    intent = ("BedtimeStretchIntent", {}) if routine == "bedtime" else (
        "ReliefIntent", {"muscle": (routine, routine.upper())})
    heard = [talk.intent(intent[0], **intent[1])]
    for _ in CONTENT.routine(routine).steps[1:]:
        heard.append(talk.intent("AMAZON.NextIntent"))
    return heard


@pytest.mark.parametrize("routine", ROUTINES)
def test_every_long_step_is_timed_in_short_breaks_ending_in_a_chime(lambda_talk, routine):
    for step, heard in zip(CONTENT.routine(routine).steps, walk_routine(lambda_talk, routine)):
        kind = kind_of(step.id)
        assert all(0 < seconds <= MAX_BREAK_SECONDS for seconds in breaks(heard))
        if kind is None:
            continue
        assert words_before_first_break(heard) <= 25, (step.id, heard.speech)
        low, high = TIMED[kind]
        timed = ssml(heard)
        assert low <= sum(breaks(heard)) <= high + 3, (step.id, breaks(heard))
        # The chime comes once, after the last counted silence, before the prompt.
        assert timed.count(CHIME) == 1, step.id
        assert timed.rindex("<break") < timed.index(CHIME) < timed.index(step.prompt.split(",")[0])
        assert not heard.ended and heard.reprompt == step.reprompt


def test_a_seated_routine_is_timed_too(lambda_talk):
    lambda_talk.launch()
    heard = lambda_talk.intent("CantStandIntent")
    assert "stay sitting" in heard and 20 <= sum(breaks(heard)) <= 30
    massage = lambda_talk.intent("AMAZON.NextIntent")
    assert "rub the tight muscle" in massage and sum(breaks(massage)) >= 20


def test_warmth_gives_time_to_fetch_the_heat_after_its_cautions(lambda_talk):
    lambda_talk.launch()
    for _ in range(3):
        heard = lambda_talk.intent("AMAZON.NextIntent")
    assert "heating pad" in heard and "Warm, not hot" in heard
    spoken = heard.speech
    assert spoken.index("diabetes") < spoken.index("Take your time")
    assert sum(breaks(heard)) >= 15


@pytest.mark.parametrize("said", ["AMAZON.PauseIntent"])
def test_wait_really_waits_then_says_how_to_go_on(lambda_talk, said):
    lambda_talk.launch()
    lambda_talk.intent("AMAZON.NextIntent")
    heard = lambda_talk.intent(said)
    assert 30 <= sum(breaks(heard)) <= 60
    assert all(seconds <= MAX_BREAK_SECONDS for seconds in breaks(heard))
    # A gentle check-in between the silences, then the way on; the session stays open.
    middle = heard.speech.split("(pause")[1:-1]
    assert any("still here" in piece for piece in middle)
    assert heard.speech.endswith("Say continue when you're ready.") and not heard.ended
    back = lambda_talk.intent("AMAZON.ResumeIntent")
    assert "pull your toes up toward your shin" in back and not breaks(back) == [10, 10, 5]


def test_wait_with_no_routine_also_waits(lambda_talk):
    heard = lambda_talk.intent("AMAZON.PauseIntent")
    assert sum(breaks(heard)) >= 30 and not heard.ended
    assert "help me with a cramp" in heard


def test_a_question_mid_stretch_returns_without_replaying_the_hold(lambda_talk):
    lambda_talk.launch()
    stretch = lambda_talk.intent("AMAZON.NextIntent")
    answer = lambda_talk.intent("CausesIntent")
    assert answer.speech.endswith("Say continue to go back to your stretch.")
    back = lambda_talk.intent("AMAZON.ResumeIntent")
    assert "pull your toes up toward your shin" in back
    assert "Ten seconds" not in back and sum(breaks(back)) <= 2
    assert "Say repeat to hold it again" in back and not back.ended
    again = lambda_talk.intent("AMAZON.RepeatIntent")
    assert breaks(again) == breaks(stretch) and "Ten seconds" in again


def test_bedtime_cant_stand_never_repeats_a_standing_step(lambda_talk):
    first = lambda_talk.intent("BedtimeStretchIntent")
    heard = lambda_talk.intent("CantStandIntent")
    assert "done sitting down" in heard and "right foot" in heard
    assert "stand up" not in heard.speech.lower() and heard.speech != first.speech


def test_cant_stand_at_a_seated_routines_walk_stays_sitting(lambda_talk):
    lambda_talk.launch()
    lambda_talk.intent("CantStandIntent")
    for _ in range(3):
        walk = lambda_talk.intent("AMAZON.NextIntent")
    assert "stand up slowly" in walk
    heard = lambda_talk.intent("CantStandIntent")
    assert "Stay sitting" in heard and "stand up" not in heard.speech and not heard.ended


def test_help_is_short_and_says_the_disclaimer_only_the_first_time(lambda_talk):
    for setup in (lambda: None, lambda_talk.launch):
        talk = lambda_talk
        setup()
        first = talk.intent("AMAZON.HelpIntent")
        second = talk.intent("AMAZON.HelpIntent")
        assert len(WORD.findall(first.speech)) < 30 and len(WORD.findall(second.speech)) < 30
        assert "not medical advice" in first and "not medical advice" not in second
        assert not second.ended and second.reprompt


BRIDGES = {CONTENT.phrase(key) for key in ("resumed", "try_next", "start_over", "okay",
                                           "stretch_again", "welcome_back", "cramp_gone",
                                           "seated_already")}
BRIDGES |= {step.intro for step in CONTENT.steps.values() if step.intro}
BRIDGES |= {answer.intro for answer in CONTENT.answers.values() if answer.intro}


def bridges_in(speech: str) -> list[str]:
    return [bridge for bridge in BRIDGES if bridge in speech]


@pytest.mark.parametrize("moves", [
    ["StillHurtsIntent"], ["AMAZON.StartOverIntent"], ["CausesIntent", "AMAZON.ResumeIntent"],
    ["AMAZON.PauseIntent", "AMAZON.ResumeIntent"], ["CrampGoneIntent"],
    ["AMAZON.NextIntent"] * 5, ["ReliefIntent"], ["CantStandIntent", "AMAZON.StartOverIntent"]])
def test_lead_ins_never_stack(lambda_talk, moves):
    heard = [lambda_talk.launch()]
    heard += [lambda_talk.intent(move, **({"muscle": ("foot", "FOOT")}
                                          if move == "ReliefIntent" else {}))
              for move in moves]
    for reply in heard:
        assert len(bridges_in(reply.speech)) <= 1, reply.speech


# The same points by voice: virtual-alexa matching what people say against the model.
def test_by_voice_steps_are_timed_and_wait_waits(open_server):
    heard = converse(open_server.url, [
        {"launch": True}, {"utter": "okay"}, {"utter": "done"}, {"utter": "hang on"},
        {"utter": "continue"}, {"utter": "next"}, {"utter": "give me a minute"}])
    stretch, massage, wait, back, warmth, wait_again = heard[1:]
    assert 25 <= sum(breaks(stretch)) <= 30 and CHIME in ssml(stretch)
    assert sum(breaks(massage)) >= 20 and CHIME in ssml(massage)
    assert 30 <= sum(breaks(wait)) <= 60 and wait.speech.endswith("Say continue when you're ready.")
    assert "rub the tight muscle" in back and not breaks(back)
    assert "heating pad" in warmth and sum(breaks(warmth)) >= 15
    assert sum(breaks(wait_again)) >= 30 and not wait_again.ended


def test_by_voice_a_question_mid_stretch_then_continue_then_repeat(open_server):
    heard = converse(open_server.url, [
        {"launch": True}, {"utter": "next"}, {"utter": "why do cramps happen"},
        {"utter": "continue"}, {"utter": "repeat"}])
    stretch, answer, back, again = heard[1:]
    assert answer.speech.endswith("Say continue to go back to your stretch.")
    assert back.speech.startswith("Let's carry on. Now sit on the edge of the bed")
    assert "Ten seconds" not in back and "Say repeat to hold it again" in back
    assert breaks(again) == breaks(stretch) and "Ten seconds" in again


def test_by_voice_bedtime_cant_stand_and_short_help(open_server):
    heard = converse(open_server.url, [
        {"utter": "help me stretch before bed"}, {"utter": "i can't stand"}, {"utter": "help"},
        {"utter": "help"}])
    bedtime, cant_stand, help_first, help_again = heard
    assert "right foot" in bedtime and 25 <= sum(breaks(bedtime)) <= 30
    assert "done sitting down" in cant_stand and "stand up" not in cant_stand.speech
    assert len(WORD.findall(help_first.speech)) < 30 and "not medical advice" in help_first
    assert "not medical advice" not in help_again and not help_again.ended


# The resume point, through virtual-alexa against the web service, with request times.
def user() -> str:
    return f"amzn1.ask.account.{uuid.uuid4().hex}"


def points_of(db, user_id: str) -> list:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT attributes FROM resume_points WHERE user_id = ?",
                                  (user_id,)).fetchall()


def test_silence_mid_routine_then_reopening_offers_to_carry_on(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"utter": "next"},
        {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=3))}, {"utter": "continue"}],
        user_id=who)
    massage, _, welcome, carry_on = heard[2], heard[3], heard[4], heard[5]
    assert "rub the tight muscle" in massage
    assert welcome.speech.startswith("Welcome back. You were on the massage.")
    assert welcome.speech.endswith("Say continue, or say start over.") and not welcome.ended
    assert "rub the tight muscle" in carry_on and sum(breaks(carry_on)) >= 20
    stored = points_of(open_server.db, who)
    assert len(stored) == 1 and '"step": 2' in stored[0][0]


def test_a_one_shot_next_after_stop_offers_the_step_and_start_over_starts_over(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"utter": "stop"},
        {"utter": "next", "at": at(start + timedelta(minutes=5))}, {"utter": "start over"}],
        user_id=who)
    assert heard[2].ended
    assert heard[3].speech.startswith("Welcome back. You were on the calf stretch.")
    assert heard[4].speech.startswith("Let's start again. If you can, turn on a light")


def test_after_fifteen_minutes_it_starts_afresh_with_the_first_instruction(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=16))}], user_id=who)
    assert heard[3].speech.startswith("Let's ease that cramp. If you can, turn on a light")
    assert points_of(open_server.db, who) == []


def test_reopening_after_ten_minutes_of_cramp_gives_the_long_cramp_advice_first(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"},
        {"end": "EXCEEDED_MAX_REPROMPTS", "at": at(start + timedelta(minutes=1))},
        {"launch": True, "at": at(start + timedelta(minutes=11))}], user_id=who)
    advice = heard[3]
    assert advice.speech.startswith("A cramp that lasts more than ten minutes")
    assert "Stop stretching" in advice and "Is your leg swollen" in advice
    assert "Welcome back" not in advice
    assert points_of(open_server.db, who) == []


def test_the_bedtime_stretch_resumes_too_and_has_no_cramp_clock(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"utter": "help me stretch before bed", "at": at(start)}, {"utter": "next"},
        {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=12))}, {"utter": "continue"}],
        user_id=who)
    assert heard[3].speech.startswith("Welcome back. You were on the bedtime stretch, left leg.")
    assert "left foot" in heard[4] and 25 <= sum(breaks(heard[4])) <= 30


def test_the_point_is_deleted_when_the_routine_ends(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=2))}, {"utter": "it's gone"},
        {"end": "USER_INITIATED"},
        {"launch": True, "at": at(start + timedelta(minutes=4))}], user_id=who)
    assert "Welcome back" in heard[3] and "glad it has eased" in heard[4]
    assert heard[6].speech.startswith("Let's ease that cramp.")


def test_forget_me_deletes_the_resume_point(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=1))}, {"utter": "forget me"},
        {"launch": True, "at": at(start + timedelta(minutes=2))}], user_id=who)
    assert "Welcome back" in heard[3] and "deleted" in heard[4]
    assert heard[5].speech.startswith("Let's ease that cramp.")
    assert points_of(open_server.db, who) == []


def test_the_point_holds_only_the_place_in_the_routine(open_server):
    start, who = now(), user()
    converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "my foot is cramping"},
        {"utter": "why do cramps happen"}, {"end": "EXCEEDED_MAX_REPROMPTS"}], user_id=who)
    (stored,) = points_of(open_server.db, who)
    point = json.loads(stored[0])
    assert set(point) == {"name", "step", "muscle", "started_at", "expires_at"}
    assert point["name"] == "foot" and point["expires_at"] - point["started_at"] == 15 * 60


def test_the_resume_point_survives_a_restart_of_the_web_service(tmp_path):
    db, start, who = tmp_path / "store.sqlite3", now(), user()
    server = Server("--no-verify", db=db)
    try:
        converse(server.url, [{"launch": True, "at": at(start)}, {"utter": "next"},
                              {"utter": "next"}, {"end": "EXCEEDED_MAX_REPROMPTS"}], user_id=who)
    finally:
        server.stop()
    server = Server("--no-verify", db=db)
    try:
        welcome, carry_on = converse(server.url, [
            {"launch": True, "at": at(start + timedelta(minutes=4))}, {"utter": "yes"}],
            user_id=who)
    finally:
        log = server.stop()
    assert welcome.speech.startswith("Welcome back. You were on the massage.")
    assert "rub the tight muscle" in carry_on
    assert "Traceback" not in log


def test_a_store_that_is_down_still_starts_the_routine(tmp_path):
    from skill.persistence.sqlite import SQLiteAdapter
    from skill.webservice import create_app

    (tmp_path / "file").write_text("a file where the database folder should be")
    app = create_app(verify=False,
                     persistence_adapter=SQLiteAdapter(tmp_path / "file" / "store.sqlite3"))
    talk = Talk(lambda envelope: app.test_client().post("/", json=envelope).get_json(),
                start=now())
    assert talk.launch().speech.startswith("Let's ease that cramp.")
    assert "pull your toes up" in talk.intent("AMAZON.NextIntent")
    ended = app.test_client().post("/", json=envelopes.session_ended(
        "EXCEEDED_MAX_REPROMPTS", session_attributes=talk.attributes))
    assert ended.status_code == 200 and ended.get_json()["response"] == {}
    again = Talk(talk.send, start=now() + timedelta(minutes=2))
    assert again.launch().speech.startswith("Let's ease that cramp.")


# The Lambda path: DynamoDB, with the TTL attribute.
def test_lambda_keeps_the_resume_point_in_dynamodb_with_a_ttl(dynamodb_endpoint):
    env = {"CRAMP_COACH_TABLE": TABLE, "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint}
    start, who = now(), user()
    state = {"cramp_coach": {"routine": {"name": "calf", "step": 1, "muscle": "calf",
                                         "paused": False, "started_at": start.timestamp()}}}
    options = dict(user_id=who, session_attributes=state)
    table = boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint,
                           **boto_credentials()).Table(TABLE)
    run_lambda([envelopes.session_ended("EXCEEDED_MAX_REPROMPTS",
                                        timestamp=start + timedelta(minutes=1), **options)], **env)
    item = table.get_item(Key={"id": f"resume#{who}"})["Item"]
    assert int(item["expires_at"]) == int(start.timestamp()) + 60 + 15 * 60
    assert set(item["attributes"]) == {"name", "step", "muscle", "started_at", "expires_at"}
    welcome, forget, fresh = run_lambda([
        envelopes.launch(user_id=who, timestamp=start + timedelta(minutes=2)),
        envelopes.intent("ForgetMeIntent", user_id=who, new=True,
                         timestamp=start + timedelta(minutes=3)),
        envelopes.launch(user_id=who, timestamp=start + timedelta(minutes=4))], **env)
    assert lambda_speech(welcome).startswith("Welcome back. You were on the calf stretch.")
    assert "deleted" in lambda_speech(forget)
    assert lambda_speech(fresh).startswith("Let's ease that cramp.")
    assert "Item" not in table.get_item(Key={"id": f"resume#{who}"})


def test_lambda_with_dynamodb_down_ends_a_session_quietly(silent_endpoint):
    start = now()
    state = {"cramp_coach": {"routine": {"name": "calf", "step": 1, "muscle": "calf",
                                         "paused": False, "started_at": start.timestamp()}}}
    (ended,) = run_lambda([envelopes.session_ended("EXCEEDED_MAX_REPROMPTS",
                                                   session_attributes=state)],
                          CRAMP_COACH_TABLE=TABLE, AWS_ENDPOINT_URL_DYNAMODB=silent_endpoint)
    assert ended["response"]["response"] == {} and ended["seconds"] < 3


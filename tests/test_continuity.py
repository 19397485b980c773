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
from skill.speech import MAX_BREAK_SECONDS, escape
from tests.conftest import TABLE, Server, boto_credentials
from tests.lambda_store import run_lambda
from tests.lambda_store import speech as lambda_speech
from tests.speech import spoken_ms
from tests.talk import Talk
from tests.virtual_alexa.client import converse

CONTENT = content_files.load("en-US")
BREAK = re.compile(r'<break time="(\d+)(s|ms)"/>')
CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
WORD = re.compile(r"[A-Za-z']+")
# Steps that take longer than Alexa listens (about 8 s), and how long each is timed for
# as spoken, its short marks and the silences between them (seconds).
TIMED = {"stretch": (22, 28), "massage": (25, 35), "warmth": (15, 25), "walk": (25, 35)}
BEAT_SECONDS = 5  # a timed part speaks a short mark at least this often


def kind_of(step_id: str) -> str | None:
    for kind in TIMED:
        if kind in step_id or (kind == "stretch" and step_id.startswith("bedtime")):
            return kind
    return None


def ssml(heard) -> str:
    return heard.body["response"]["outputSpeech"]["ssml"]


def breaks_in(speech: str) -> list[float]:
    """Every break, in seconds: whole seconds ("4s") or milliseconds ("3500ms")."""
    return [int(amount) / (1000 if unit == "ms" else 1) for amount, unit in BREAK.findall(speech)]


def breaks(heard) -> list[float]:
    return breaks_in(ssml(heard))


def words_in(speech: str) -> int:
    return len(WORD.findall(re.sub(r"<[^>]+>", " ", speech)))


def hold_of(speech: str, first_mark: str, after: int = 0) -> str:
    """The timed part of a step as spoken: from its first mark to its chime."""
    start = speech.index(escape(first_mark), after)
    return speech[start:speech.index(CHIME, start)]


def hold_seconds(heard, hold: str = "count_25") -> float:
    return spoken_ms(hold_of(ssml(heard), CONTENT.hold(hold).say[0])) / 1000


def at(moment: datetime) -> str:
    return envelopes.iso(moment)


def now() -> datetime:
    """Wall-clock time: the stores drop expired points by the wall clock, as DynamoDB does."""
    return datetime.now(timezone.utc).replace(microsecond=0)


# Timed steps, through the Lambda entry point.
ROUTINES = ["calf", "foot", "hamstring", "quad", "bedtime"]


def walk_routine(talk: Talk, routine: str):
    """Every step of a routine with the answer it was heard in, from its start to its
    last step: a step that flows is heard in the same answer as the one after it."""
    intent = ("BedtimeStretchIntent", {}) if routine == "bedtime" else (
        "ReliefIntent", {"muscle": (routine, routine.upper())})
    steps = CONTENT.routine(routine).steps
    heard, walked = talk.intent(intent[0], **intent[1]), []
    for index, step in enumerate(steps):
        if index and not steps[index - 1].flows:
            heard = talk.intent("AMAZON.NextIntent")
        walked.append((step, heard))
    return walked


@pytest.mark.parametrize("routine", ROUTINES)
def test_every_long_step_is_timed_in_short_breaks_ending_in_a_chime(lambda_talk, routine):
    for step, heard in walk_routine(lambda_talk, routine):
        kind = kind_of(step.id)
        timed = ssml(heard)
        assert all(0 < seconds <= MAX_BREAK_SECONDS for seconds in breaks(heard))
        if kind is None:
            continue
        begin = timed.index(escape(step.words[0]))
        opening = timed[max(timed.rfind(CHIME, 0, begin), 0):begin]  # a lead, an intro
        hold = hold_of(timed, step.hold.say[0], begin)
        # Up to its first silence the step is short: the caution said once (warmth's) aside.
        instruction = BREAK.split(timed[begin:timed.index(hold)])[0]
        caveat = words_in(" ".join(segment for segment in step.caveat if isinstance(segment, str)))
        assert words_in(opening + instruction) - caveat <= 25, (step.id, heard.speech)
        low, high = TIMED[kind]
        assert low <= spoken_ms(hold) / 1000 <= high, (step.id, spoken_ms(hold))
        assert all(0 < seconds <= BEAT_SECONDS for seconds in breaks_in(hold)), step.id
        # Its chime comes once, after its last counted silence, before the way on (or,
        # for a step that flows, before the next step).
        chime = timed.index(CHIME, begin)
        steps = CONTENT.routine(routine).steps
        end = (timed.index(escape(steps[steps.index(step) + 1].words[0]), chime) if step.flows
               else timed.index(escape(step.prompt.split(",")[0]), chime))
        assert timed.count(CHIME, begin, end) == 1, step.id
        assert timed.rindex("<break", begin, chime) < chime
        assert not heard.ended
    assert heard.reprompt == step.reprompt


def test_the_bedtime_stretch_holds_all_four_stretches_in_its_first_answer(lambda_talk):
    first = lambda_talk.intent("BedtimeStretchIntent")
    steps = CONTENT.routine("bedtime").steps
    assert ssml(first).count(CHIME) == len(steps) == 4
    assert first.speech.endswith(steps[-1].prompt) and not first.ended
    done = lambda_talk.intent("AMAZON.NextIntent")  # one "next" finishes it
    assert CONTENT.answer("bedtime_done").parts[0].say[0] in done.speech


def test_a_seated_routine_is_timed_too(lambda_talk):
    stretch = lambda_talk.intent("CantStandIntent")  # "I can't stand" first: the seated routine
    assert "pull your toes up toward your shin" in stretch and CHIME in ssml(stretch)
    assert 22 <= hold_seconds(stretch) <= 28
    for _ in range(3):
        heard = lambda_talk.intent("AMAZON.NextIntent")
    assert "Stay in bed, and gently move your foot" in heard
    assert 25 <= hold_seconds(heard, "walk_30") <= 35 and CHIME in ssml(heard)


def test_warmth_gives_time_to_fetch_the_heat_after_its_cautions_said_once(lambda_talk):
    lambda_talk.launch()
    for _ in range(2):
        heard = lambda_talk.intent("AMAZON.NextIntent")
    assert "heating pad" in heard and "Warm, not hot" in heard
    spoken = heard.speech
    assert spoken.index("diabetes") < spoken.index("Take your time")
    assert 15 <= hold_seconds(heard, "fetch_warmth_20") <= 25
    lambda_talk.intent("AMAZON.PreviousIntent")
    again = lambda_talk.intent("AMAZON.NextIntent")  # the caveat only the first time
    assert "heating pad" in again and "diabetes" not in again
    assert 15 <= hold_seconds(again, "fetch_warmth_20") <= 25


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
    assert "rub the tight muscle" in back and not breaks(back) == [10, 10, 5]


def test_wait_with_no_routine_also_waits(lambda_talk):
    heard = lambda_talk.intent("AMAZON.PauseIntent")
    assert sum(breaks(heard)) >= 30 and not heard.ended
    assert "help me with a cramp" in heard


def test_a_question_mid_stretch_returns_without_replaying_the_hold(lambda_talk):
    stretch = lambda_talk.launch()
    answer = lambda_talk.intent("CausesIntent")
    assert answer.speech.endswith("Say continue to go back to your stretch.")
    back = lambda_talk.intent("AMAZON.ResumeIntent")
    assert "pull your toes up toward your shin" in back
    assert "Ten more" not in back and sum(breaks(back)) <= 2
    assert "Say repeat to hold it again" in back and not back.ended
    again = lambda_talk.intent("AMAZON.RepeatIntent")
    assert breaks(again) == breaks(stretch) and "Ten more" in again


def test_bedtime_cant_stand_never_repeats_a_step(lambda_talk):
    first = lambda_talk.intent("BedtimeStretchIntent")
    heard = lambda_talk.intent("CantStandIntent")
    assert heard.speech.startswith("That's fine, this one is done sitting down.")
    assert "stand up" not in heard.speech.lower() and "Hold it there" not in heard
    assert heard.speech != first.speech and not heard.ended


def test_cant_stand_at_a_seated_routines_last_step_stays_sitting(lambda_talk):
    lambda_talk.launch()
    for _ in range(3):
        standing = lambda_talk.intent("AMAZON.NextIntent")
    assert "get up slowly" in standing
    seated = lambda_talk.intent("CantStandIntent")
    assert "Stay sitting" in seated and "Stay in bed" in seated
    heard = lambda_talk.intent("CantStandIntent")
    assert heard.speech.startswith("That's fine, this one is done sitting down.")
    assert "Stay in bed, and gently move" not in heard  # not replayed
    assert "stand" not in heard.speech.replace("I can't stand", "") and not heard.ended


def test_help_is_short_and_says_the_disclaimer_only_the_first_time(lambda_talk):
    for setup in (lambda: None, lambda_talk.launch):
        talk = lambda_talk
        setup()
        first = talk.intent("AMAZON.HelpIntent")
        second = talk.intent("AMAZON.HelpIntent")
        assert len(WORD.findall(first.speech)) < 30 and len(WORD.findall(second.speech)) < 30
        assert "not medical advice" in first and "not medical advice" not in second
        assert not second.ended and second.reprompt


BRIDGES = {CONTENT.phrase(key) for key in ("resumed", "start_over", "okay",
                                           "welcome_back", "cramp_gone", "seated_already",
                                           "stay_sitting", "skipped", "other_leg",
                                           "hurts_1", "hurts_2", "hurts_3", "hurts_4")}
BRIDGES |= {step.intro for step in CONTENT.steps.values() if step.intro}
BRIDGES |= {answer.intro for answer in CONTENT.answers.values() if answer.intro}


def bridges_in(speech: str) -> list[str]:
    return [bridge for bridge in BRIDGES if bridge in speech]


@pytest.mark.parametrize("moves", [
    ["StillHurtsIntent"] * 5, ["AMAZON.StartOverIntent"], ["CausesIntent", "AMAZON.ResumeIntent"],
    ["AMAZON.PauseIntent", "AMAZON.ResumeIntent"], ["CrampGoneIntent"],
    ["AMAZON.NextIntent"] * 5, ["ReliefIntent"], ["CantStandIntent", "AMAZON.StartOverIntent"],
    ["AMAZON.NextIntent"] * 3 + ["CantStandIntent"], ["SkipStepIntent"] * 2,
    ["OtherLegIntent"]])
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
        {"launch": True}, {"utter": "okay"}, {"utter": "hang on"}, {"utter": "continue"},
        {"utter": "done"}, {"utter": "give me a minute"}])
    stretch, massage, wait, back, warmth, wait_again = heard
    assert 22 <= hold_seconds(stretch) <= 28 and CHIME in ssml(stretch)
    assert 25 <= hold_seconds(massage, "rub_30") <= 35 and CHIME in ssml(massage)
    assert 30 <= sum(breaks(wait)) <= 60 and wait.speech.endswith("Say continue when you're ready.")
    assert "rub the tight muscle" in back and not breaks(back)
    assert "heating pad" in warmth and 15 <= hold_seconds(warmth, "fetch_warmth_20") <= 25
    assert sum(breaks(wait_again)) >= 30 and not wait_again.ended


def test_by_voice_a_question_mid_stretch_then_continue_then_repeat(open_server):
    heard = converse(open_server.url, [
        {"launch": True}, {"utter": "why do cramps happen"}, {"utter": "continue"},
        {"utter": "repeat"}])
    stretch, answer, back, again = heard
    assert answer.speech.endswith("Say continue to go back to your stretch.")
    assert back.speech.startswith("Let's carry on. Sit up in bed with that leg straight.")
    assert "Ten more" not in back and "Say repeat to hold it again" in back
    assert breaks(again) == breaks(stretch) and "Ten more" in again


def test_by_voice_bedtime_cant_stand_and_short_help(open_server):
    heard = converse(open_server.url, [
        {"utter": "help me stretch before bed"}, {"utter": "i can't stand"}, {"utter": "help"},
        {"utter": "help"}])
    bedtime, cant_stand, help_first, help_again = heard
    assert "right foot" in bedtime and "left foot" in bedtime and "both feet" in bedtime
    assert ssml(bedtime).count(CHIME) == 4 and 22 <= hold_seconds(bedtime) <= 28
    assert "done sitting down" in cant_stand and "stand up" not in cant_stand.speech
    assert "Hold it there" not in cant_stand
    assert len(WORD.findall(help_first.speech)) < 30 and "not medical advice" in help_first
    assert "not medical advice" not in help_again and not help_again.ended


# The resume point, through virtual-alexa against the web service, with request times.
def user() -> str:
    return f"amzn1.ask.account.{uuid.uuid4().hex}"


def points_of(db, user_id: str) -> list:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT attributes FROM resume_points WHERE user_id = ?",
                                  (user_id,)).fetchall()


def test_silence_mid_routine_then_reopening_carries_on_with_the_step_at_once(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"},
        {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=3))}, {"utter": "next"}],
        user_id=who)
    massage, welcome, warmth = heard[1], heard[3], heard[4]
    assert "rub the tight muscle" in massage
    assert welcome.speech.startswith("Welcome back. You were on the massage. Now rub the tight "
                                     "muscle gently")
    assert 25 <= hold_seconds(welcome, "rub_30") <= 35  # the step itself, timed, no question
    assert "say continue" not in welcome.speech.lower() and "?" not in welcome.speech
    assert welcome.speech.endswith(CONTENT.steps["massage"].prompt) and not welcome.ended
    assert "heating pad" in warmth  # and "next" goes on from there
    stored = points_of(open_server.db, who)
    assert len(stored) == 1 and '"step": 1' in stored[0][0]


def test_a_one_shot_next_after_stop_gives_the_step_and_start_over_starts_over(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"utter": "stop"},
        {"utter": "next", "at": at(start + timedelta(minutes=5))}, {"utter": "start over"}],
        user_id=who)
    assert heard[2].ended and "keep your place for fifteen minutes" in heard[2]
    assert heard[3].speech.startswith("Welcome back. You were on the massage. Now rub")
    assert heard[4].speech.startswith("Let's start again. Sit up in bed with that leg straight.")


def test_after_fifteen_minutes_it_starts_afresh_with_the_first_instruction(open_server):
    start, who = now(), user()
    heard = converse(open_server.url, [
        {"launch": True, "at": at(start)}, {"utter": "next"}, {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=16))}], user_id=who)
    assert heard[3].speech.startswith("Let's ease that cramp. Sit up in bed with that leg")
    assert "Welcome back" not in heard[3]
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
        {"utter": "help me stretch before bed", "at": at(start)},
        {"end": "EXCEEDED_MAX_REPROMPTS"},
        {"launch": True, "at": at(start + timedelta(minutes=12))}], user_id=who)
    back = heard[2]
    assert back.speech.startswith("Welcome back. You were on the last bedtime stretch. Last one.")
    assert "both feet" in back and 22 <= hold_seconds(back) <= 28
    assert "ten minutes" not in back and not back.ended


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
                              {"end": "EXCEEDED_MAX_REPROMPTS"}], user_id=who)
    finally:
        server.stop()
    server = Server("--no-verify", db=db)
    try:
        welcome, carry_on = converse(server.url, [
            {"launch": True, "at": at(start + timedelta(minutes=4))}, {"utter": "next"}],
            user_id=who)
    finally:
        log = server.stop()
    assert welcome.speech.startswith("Welcome back. You were on the massage. Now rub the tight")
    assert "heating pad" in carry_on
    assert "Traceback" not in log


def test_a_store_that_is_down_still_starts_the_routine(tmp_path):
    from skill.persistence.sqlite import SQLiteAdapter
    from skill.webservice import create_app

    (tmp_path / "file").write_text("a file where the database folder should be")
    app = create_app(verify=False,
                     persistence_adapter=SQLiteAdapter(tmp_path / "file" / "store.sqlite3"))
    talk = Talk(lambda envelope: app.test_client().post("/", json=envelope).get_json(),
                start=now())
    assert talk.launch().speech.startswith("Let's ease that cramp. Sit up in bed")
    assert "rub the tight muscle" in talk.intent("AMAZON.NextIntent")
    stopped = talk.intent("AMAZON.StopIntent")  # a store that is down keeps no place
    assert stopped.ended and "keep your place" not in stopped
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
    assert lambda_speech(welcome).startswith("Welcome back. You were on the massage. Now rub")
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


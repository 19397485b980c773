"""Issue 29, findings 3 and 11: the resume point is the person's until they use it,
and a name-free query never changes what is stored.

Finding 3: a session that closed mid-routine leaves a 15-minute resume point. A
one-shot question in between ("Alexa, ask Cramp Coach why I get cramps") found
the point, marked it as taken up, and deleted it as the answer ended: the next
launch started afresh instead of "Welcome back".

Finding 11: a CanFulfillIntentRequest only asks whether the skill could serve
an intent. Carrying forged session state (a routine, the disclaimer given, a
point stored), it saved a resume point, saved the preferences, or deleted the
person's real point.
"""

import json
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests.speech import assert_valid_response, text_of

DISCLAIMER = "not medical advice"


def now() -> datetime:
    """Wall-clock time: SQLite drops expired points by the wall clock, as DynamoDB does."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class Person:
    """One user, talking to an entry point that keeps a SQLite store."""

    def __init__(self, send, db):
        self.send, self.db = send, db
        self.user_id = f"amzn1.ask.account.{uuid.uuid4().hex}"
        self.start = now()

    def say(self, event_of, *args, minutes: float = 0, **options) -> dict:
        answer = self.send(event_of(*args, user_id=self.user_id,
                                    timestamp=self.start + timedelta(minutes=minutes),
                                    **options))
        assert_valid_response(answer)
        return answer

    def speech(self, event_of, *args, **options) -> str:
        return text_of(self.say(event_of, *args, **options)["response"]["outputSpeech"]["ssml"])

    def leave_mid_routine(self) -> None:
        """The first step, then next, then silence: Alexa ends the session mid-routine."""
        launch = self.say(envelopes.launch)
        step = self.say(envelopes.intent, "AMAZON.NextIntent",
                        session_attributes=launch["sessionAttributes"])
        self.say(envelopes.session_ended, "EXCEEDED_MAX_REPROMPTS", minutes=1,
                 session_attributes=step["sessionAttributes"])

    def new_session(self, minutes: float) -> str:
        """A launch and a question, as heard: someone who has not heard the
        disclaimer hears it in one of them."""
        launch = self.say(envelopes.launch, minutes=minutes)
        answer = self.say(envelopes.intent, "CausesIntent", minutes=minutes,
                          session_attributes=launch["sessionAttributes"])
        return " ".join(text_of(heard["response"]["outputSpeech"]["ssml"])
                        for heard in (launch, answer))

    def one_shot(self, intent: str, minutes: float) -> dict:
        """A request that opens and (if the answer leaves it open, after silence)
        closes a session of its own."""
        answer = self.say(envelopes.intent, intent, new=True, minutes=minutes)
        if answer["response"].get("shouldEndSession") is False:
            self.say(envelopes.session_ended, "EXCEEDED_MAX_REPROMPTS", minutes=minutes,
                     session_attributes=answer.get("sessionAttributes") or {})
        return answer

    def rows(self, table: str) -> list:
        """This person's rows in a table of the store (none if it was never set up)."""
        with sqlite3.connect(self.db) as connection:
            if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                      (table,)).fetchall():
                return []
            return connection.execute(f"SELECT attributes FROM {table} WHERE user_id = ?",
                                      (self.user_id,)).fetchall()


@pytest.fixture(params=["lambda", "web service"])
def person(request, tmp_path):
    """A person on the Lambda entry point or on the web service's Flask app."""
    db = tmp_path / "store.sqlite3"
    if request.param == "lambda":
        handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
        return Person(lambda event: handle(event, None), db)
    from skill.webservice import create_app

    client = create_app(verify=False, persistence_adapter=SQLiteAdapter(db)).test_client()

    def post(event: dict) -> dict:
        reply = client.post("/", json=event)
        assert reply.status_code == 200
        return reply.get_json()

    return Person(post, db)


# Finding 3.
@pytest.mark.parametrize("question", ["CausesIntent", "PreventionIntent", "SeeDoctorIntent",
                                      "AMAZON.HelpIntent"])
def test_a_one_shot_question_leaves_the_resume_point(person, question):
    person.leave_mid_routine()
    answer = person.one_shot(question, minutes=3)
    assert "Welcome back" not in text_of(answer["response"]["outputSpeech"]["ssml"])
    welcome = person.speech(envelopes.launch, minutes=5)
    assert welcome.startswith("Welcome back. You were on the")


@pytest.mark.parametrize("intent, heard, then", [
    ("CrampGoneIntent", "glad it has eased", "Let's ease that cramp."),
    ("ReliefIntent", "Let's ease that cramp.", "Welcome back. You were on the")])
def test_a_one_shot_that_ends_or_replaces_the_routine_uses_up_the_point(person, intent, heard,
                                                                        then):
    person.leave_mid_routine()
    assert heard in text_of(person.one_shot(intent, minutes=3)["response"]["outputSpeech"]["ssml"])
    assert person.speech(envelopes.launch, minutes=5).startswith(then)


# Finding 11.
ROUTINE = {"name": "calf", "step": 2, "muscle": "calf", "paused": False}
FORGED = {
    "a routine mid-way": {"routine": ROUTINE},
    "the disclaimer given": {"disclaimer_given": True},
    "a point stored, no routine": {"point_stored": True},
    "all of it": {"routine": ROUTINE, "disclaimer_given": True, "point_stored": True},
}


@pytest.mark.parametrize("state", FORGED.values(), ids=FORGED.keys())
def test_a_name_free_query_never_writes_whatever_its_session_carries(person, state):
    started = {**ROUTINE, "started_at": int(person.start.timestamp())}
    forged = {"cramp_coach": json.dumps(
        {**state, **({"routine": started} if "routine" in state else {})})}
    person.say(envelopes.can_fulfill, "ReliefIntent", {"muscle": ("calf", "CALF")},
               session_attributes=forged)
    assert person.rows("resume_points") == [] and person.rows("preferences") == []
    first = person.new_session(minutes=1)
    assert first.startswith("Let's ease that cramp.") and DISCLAIMER in first


def test_a_name_free_query_leaves_the_persons_resume_point(person):
    person.leave_mid_routine()
    stored = person.rows("resume_points")
    person.say(envelopes.can_fulfill, "CausesIntent", minutes=2,
               session_attributes={"cramp_coach": json.dumps({"point_stored": True})})
    assert person.rows("resume_points") == stored
    welcome = person.speech(envelopes.launch, minutes=3)
    assert welcome.startswith("Welcome back. You were on the")

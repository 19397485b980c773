"""Issue 29, finding 9: one person's preferences and another's resume point never
share a key.

DynamoDB keeps both in one table: a resume point under "resume#" and the user
id, preferences under the user id. A user id of the form "resume#<id>" reached
another person's resume point: its "forget me" deleted it, and its preferences
were written over it. SQLite keeps them in tables of their own; the same check
holds it to that.
"""

import json
import time
import uuid

import boto3
import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests.conftest import FAKE_AWS, TABLE, boto_credentials
from tests.speech import assert_valid_response, text_of

DISCLAIMER = "not medical advice"


def dynamodb_table(endpoint: str, monkeypatch):
    """The Lambda store, in this process, on the local DynamoDB-protocol server."""
    for name, value in {**FAKE_AWS, "AWS_ENDPOINT_URL_DYNAMODB": endpoint}.items():
        monkeypatch.setenv(name, value)
    from skill.persistence.dynamodb import dynamodb_store

    return dynamodb_store(TABLE)


@pytest.fixture(params=["dynamodb", "sqlite"])
def store(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        return SQLiteAdapter(tmp_path / "store.sqlite3")
    return dynamodb_table(request.getfixturevalue("dynamodb_endpoint"), monkeypatch)


class Person:
    def __init__(self, handle, user_id: str):
        self.handle, self.user_id = handle, user_id

    def say(self, event_of, **options) -> dict:
        answer = self.handle(event_of(user_id=self.user_id, **options), None)
        assert_valid_response(answer)
        return answer

    def launch(self) -> str:
        return text_of(self.say(envelopes.launch)["response"]["outputSpeech"]["ssml"])

    def ask(self) -> str:
        """A one-shot question: its answer is where a new user hears the disclaimer."""
        answer = self.say(lambda **options: envelopes.intent("DurationIntent", new=True, **options))
        return text_of(answer["response"]["outputSpeech"]["ssml"])

    def leave_mid_routine(self) -> None:
        launch = self.say(envelopes.launch)
        step = self.say(lambda **options: envelopes.intent("AMAZON.NextIntent", **options),
                        session_attributes=launch["sessionAttributes"])
        self.say(lambda **options: envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", **options),
                 session_attributes=step["sessionAttributes"])

    def forget_me(self) -> str:
        answer = self.say(lambda **options: envelopes.intent("ForgetMeIntent", new=True,
                                                             **options))
        return text_of(answer["response"]["outputSpeech"]["ssml"])


def test_a_user_id_naming_another_users_resume_point_never_reaches_it(store):
    handle = lambda_handler(persistence_adapter=store)
    victim = Person(handle, f"amzn1.ask.account.{uuid.uuid4().hex.upper()}")
    forger = Person(handle, f"resume#{victim.user_id}")
    victim.leave_mid_routine()
    assert DISCLAIMER in forger.ask()  # someone new to the skill
    assert DISCLAIMER not in forger.ask()  # and remembered, in their own place
    assert "deleted" in forger.forget_me()
    assert victim.launch().startswith("Welcome back. You were on")
    assert DISCLAIMER in forger.ask()  # forgotten: their own preferences, and only those


def test_preferences_of_alexa_user_ids_stay_where_they_always_were(
        dynamodb_endpoint, monkeypatch):  # noqa: F811
    """Alexa's user ids have no "#": their preference items keep their keys, so
    no migration is needed; a preference saved before this change still holds."""
    who = f"amzn1.ask.account.{uuid.uuid4().hex.upper()}"
    table = boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint,
                           **boto_credentials()).Table(TABLE)
    table.put_item(Item={"id": who, "attributes": {"heard_disclaimer": True}})
    person = Person(lambda_handler(persistence_adapter=dynamodb_table(
        dynamodb_endpoint, monkeypatch)), who)
    assert DISCLAIMER not in person.ask()
    person.leave_mid_routine()
    assert "Item" in table.get_item(Key={"id": f"resume#{who}"})
    assert person.forget_me() and "Item" not in table.get_item(Key={"id": who})
    assert "Item" not in table.get_item(Key={"id": f"resume#{who}"})


def test_sqlite_keeps_a_forged_user_id_in_its_own_rows(tmp_path):
    db = tmp_path / "store.sqlite3"
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
    victim = Person(handle, "amzn1.ask.account.VICTIM")
    victim.leave_mid_routine()
    Person(handle, "resume#amzn1.ask.account.VICTIM").launch()
    envelope = DefaultSerializer().deserialize(
        json.dumps(envelopes.launch(user_id=victim.user_id)), RequestEnvelope)
    point = SQLiteAdapter(db).resume_points().find(envelope, time.time())
    assert point is not None and point.step == 1

"""Outgrowing one machine: two web-service instances, each with its own SQLite path,
share one DynamoDB-protocol store (moto's server) when CRAMP_COACH_TABLE is set."""

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from skill import envelopes
from tests.conftest import FAKE_AWS, TABLE, Server
from tests.virtual_alexa.client import converse

DISCLAIMER = "not medical advice"


@pytest.fixture(scope="module")
def two_instances(dynamodb_endpoint, tmp_path_factory):
    env = {**os.environ, **FAKE_AWS, "CRAMP_COACH_TABLE": TABLE,
           "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint}
    folders = [tmp_path_factory.mktemp(name) for name in ("first", "second")]
    servers = [Server("--no-verify", db=folder / "unused.sqlite3", env=env)
               for folder in folders]
    yield servers
    for server in servers:
        server.stop()
    for folder in folders:
        assert not (folder / "unused.sqlite3").exists()  # the table, not a file per instance


def at(moment: datetime) -> str:
    return envelopes.iso(moment)


def test_the_startup_line_names_the_shared_table(two_instances):
    assert f"preferences in DynamoDB table {TABLE}" in two_instances[0].log()


def test_a_preference_heard_through_one_instance_holds_through_the_other(two_instances):
    first, second = two_instances
    who = f"amzn1.ask.account.{uuid.uuid4().hex}"
    (told,) = converse(first.url, [{"utter": "how long does a cramp last"}], user_id=who)
    (again,) = converse(second.url, [{"utter": "how long does a cramp last"}], user_id=who)
    assert DISCLAIMER in told and DISCLAIMER not in again


def test_a_resume_point_saved_through_one_is_offered_through_the_other(two_instances):
    first, second = two_instances
    who, start = f"amzn1.ask.account.{uuid.uuid4().hex}", datetime.now(timezone.utc)
    converse(first.url, [{"launch": True, "at": at(start)}, {"utter": "next"},
                         {"end": "EXCEEDED_MAX_REPROMPTS"}], user_id=who)
    welcome, carry_on = converse(second.url, [
        {"launch": True, "at": at(start + timedelta(minutes=3))}, {"utter": "next"}],
        user_id=who)
    assert welcome.speech.startswith("Welcome back. You were on the massage. Now rub the tight")
    assert "heating pad" in carry_on


def test_forget_me_through_one_forgets_everywhere(two_instances):
    first, second = two_instances
    who, start = f"amzn1.ask.account.{uuid.uuid4().hex}", datetime.now(timezone.utc)
    converse(first.url, [{"launch": True, "at": at(start)}, {"utter": "next"},
                         {"end": "EXCEEDED_MAX_REPROMPTS"}], user_id=who)
    (forgot,) = converse(second.url, [{"utter": "forget me",
                                       "at": at(start + timedelta(minutes=1))}], user_id=who)
    fresh, answer = converse(first.url, [{"launch": True, "at": at(start + timedelta(minutes=2))},
                                         {"utter": "how long does a cramp last"}], user_id=who)
    assert "deleted" in forgot
    assert fresh.speech.startswith("Let's ease that cramp.") and DISCLAIMER in answer

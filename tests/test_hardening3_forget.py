"""Issue 29, finding 2: "forget me" never says it deleted everything when it did not.

A read that failed earlier in the same request (throttled, or slower than its
deadline) made the rest of the request spare the store, so the resume point
was never deleted although the person heard "I've deleted your saved
preferences", and the next launch said "Welcome back". Here the Lambda entry
point runs on the local DynamoDB-protocol server through a proxy that throttles
or delays the calls a test names, as DynamoDB does under load.
"""

import http.client
import json
import time
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import boto3
import pytest

from skill import envelopes
from skill.app import lambda_handler
from tests.conftest import FAKE_AWS, TABLE, boto_credentials
from tests.local_http import LocalServer
from tests.speech import assert_valid_response, text_of

DISCLAIMER = "not medical advice"
THROTTLED = {"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
             "message": "The level of configured provisioned throughput for the table was "
                        "exceeded."}


class DynamoDbProxy:
    """Passes DynamoDB calls on to the local server, except those a test makes
    fail: by operation ("GetItem") and, optionally, only for keys starting with
    a prefix ("resume#"); each either throttled or answered only after a delay."""

    def __init__(self, endpoint: str):
        upstream = urlsplit(endpoint)
        self.faults: dict[tuple[str, str], str] = {}  # (operation, key prefix) -> fault
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rsplit(".", 1)[-1]
                key = json.loads(body or b"{}").get("Key", {}).get("id", {}).get("S", "")
                fault = next((fault for (name, prefix), fault in proxy.faults.items()
                              if name == operation and key.startswith(prefix)), None)
                if fault == "throttle":
                    return self._answer(400, {"Content-Type": "application/x-amz-json-1.0"},
                                        json.dumps(THROTTLED).encode())
                if fault == "slow":
                    time.sleep(1.5)  # past the store's deadline (0.6 s) and botocore's read
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port,
                                                        timeout=10)
                try:
                    connection.request("POST", self.path, body, dict(self.headers))
                    reply = connection.getresponse()
                    self._answer(reply.status, dict(reply.getheaders()), reply.read())
                finally:
                    connection.close()

            def _answer(self, status: int, headers: dict, data: bytes) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        if name.lower() not in ("content-length", "connection",
                                                "transfer-encoding", "server", "date"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the skill gave up waiting, as it should
                    pass

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)
        self.url = self.local.url


@pytest.fixture
def proxy(dynamodb_endpoint, monkeypatch):
    proxied = DynamoDbProxy(dynamodb_endpoint)
    for name, value in {**FAKE_AWS, "AWS_ENDPOINT_URL_DYNAMODB": proxied.url}.items():
        monkeypatch.setenv(name, value)
    yield proxied
    proxied.local.close()


class Person:
    """One user talking to the Lambda entry point on the proxied DynamoDB store."""

    def __init__(self, dynamodb_endpoint: str):
        from skill.persistence.dynamodb import dynamodb_store

        self.handle = lambda_handler(persistence_adapter=dynamodb_store(TABLE))
        self.user_id = f"amzn1.ask.account.{uuid.uuid4().hex}"
        self.table = boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint,
                                    **boto_credentials()).Table(TABLE)  # not proxied

    def say(self, event_of, *args, **options) -> dict:
        answer = self.handle(event_of(*args, user_id=self.user_id, **options), None)
        assert_valid_response(answer)
        return answer

    def speech(self, event_of, *args, **options) -> str:
        return text_of(self.say(event_of, *args, **options)["response"]["outputSpeech"]["ssml"])

    def new_session(self) -> str:
        """A launch and a question, as heard: someone who has not heard the
        disclaimer hears it in one of them."""
        launch = self.say(envelopes.launch)
        answer = self.say(envelopes.intent, "CausesIntent",
                          session_attributes=launch["sessionAttributes"])
        return " ".join(text_of(heard["response"]["outputSpeech"]["ssml"])
                        for heard in (launch, answer))

    def leave_mid_routine(self) -> None:
        """The first step, a question (where the disclaimer is heard), back to the
        routine, then silence: both records are stored."""
        answer = self.say(envelopes.launch)
        for intent in ("CausesIntent", "AMAZON.ResumeIntent"):
            answer = self.say(envelopes.intent, intent,
                              session_attributes=answer["sessionAttributes"])
        assert answer["response"]["shouldEndSession"] is False  # the routine is going
        self.say(envelopes.session_ended, "EXCEEDED_MAX_REPROMPTS",
                 session_attributes=answer["sessionAttributes"])

    def forget(self) -> str:
        """ "Alexa, tell Cramp Coach to forget me": a session of its own."""
        return self.speech(envelopes.intent, "ForgetMeIntent", new=True)

    def stored(self) -> list[str]:
        """The keys of this person's records in the table."""
        return [key for key in (self.user_id, f"resume#{self.user_id}")
                if "Item" in self.table.get_item(Key={"id": key})]


@pytest.fixture
def person(proxy, dynamodb_endpoint):
    someone = Person(dynamodb_endpoint)
    someone.leave_mid_routine()
    assert someone.stored() == [someone.user_id, f"resume#{someone.user_id}"]
    return someone


@pytest.mark.parametrize("fault", ["throttle", "slow"])
def test_forget_me_after_a_failed_read_deletes_both_records(proxy, person, fault):
    proxy.faults[("GetItem", "")] = fault  # the preferences read, first in the request
    said = person.forget()
    proxy.faults.clear()
    assert said.startswith("Done. I've deleted your saved preferences")
    assert person.stored() == []
    fresh = person.new_session()
    assert fresh.startswith("Let's ease that cramp.") and "Welcome back" not in fresh
    assert DISCLAIMER in fresh


@pytest.mark.parametrize("prefix", ["resume#", ""])
def test_forget_me_says_it_failed_unless_both_deletes_succeeded(proxy, person, prefix):
    proxy.faults[("DeleteItem", prefix)] = "throttle"  # the resume point's, or both
    said = person.forget()
    proxy.faults.clear()
    assert said.startswith("Sorry, I couldn't delete your preferences just now.")
    assert "deleted your saved preferences" not in said
    assert f"resume#{person.user_id}" in person.stored()
    # Asked again once the store is well, it deletes everything, and says so.
    assert person.forget().startswith("Done. I've deleted your saved preferences")
    assert person.stored() == []


def test_forget_me_mid_routine_saves_no_resume_point_as_the_session_ends(proxy,
                                                                         dynamodb_endpoint):
    someone = Person(dynamodb_endpoint)
    launch = someone.say(envelopes.launch)
    step = someone.say(envelopes.intent, "AMAZON.NextIntent",
                       session_attributes=launch["sessionAttributes"])
    forget = someone.say(envelopes.intent, "ForgetMeIntent",
                         session_attributes=step["sessionAttributes"])
    assert text_of(forget["response"]["outputSpeech"]["ssml"]).startswith("Done. I've deleted")
    assert forget["response"]["shouldEndSession"] is True
    assert someone.stored() == []

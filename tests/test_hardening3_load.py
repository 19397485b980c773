"""Issue 29, finding 1: under concurrent load no write is dropped.

Every person who heard the disclaimer has it remembered, and every session that
closed mid-routine left its resume point, however many requests were answered
at the same moment: through concurrent calls of the Lambda entry point sharing
one SQLite store, and through a real `python -m skill serve` with fifty clients.
"""

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests.conftest import Server
from tests.local_http import LocalServer
from tests.speech import assert_valid_response, text_of

DISCLAIMER = "not medical advice"
CLIENTS = 50


def one_session(send, user: str) -> bool:
    """Launch, a question (its answer is where the disclaimer is heard), next, then
    Alexa closes the session mid-routine; True when every answer promised the two writes."""
    launch = send(envelopes.launch(user_id=user))
    assert_valid_response(launch)
    answer = send(envelopes.intent("DurationIntent", user_id=user,
                                   session_attributes=launch["sessionAttributes"]))
    assert_valid_response(answer)
    heard = DISCLAIMER in text_of(answer["response"]["outputSpeech"]["ssml"])
    step = send(envelopes.intent("AMAZON.NextIntent", user_id=user,
                                 session_attributes=answer["sessionAttributes"]))
    assert_valid_response(step)
    assert step["response"]["shouldEndSession"] is False  # mid-routine
    ended = send(envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", user_id=user,
                                         session_attributes=step["sessionAttributes"]))
    assert ended["response"] == {}
    return heard


def in_parallel(session, users: list[str]) -> dict[str, bool]:
    """Every user's session at once, started together."""
    start, promised, errors = threading.Barrier(len(users)), {}, []

    def client(user: str) -> None:
        try:
            start.wait()
            promised[user] = session(user)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=client, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors[:3]
    return promised


def envelope_of(user: str) -> RequestEnvelope:
    return DefaultSerializer().deserialize(json.dumps(envelopes.launch(user_id=user)),
                                           RequestEnvelope)


def assert_everything_promised_is_stored(db, promised: dict[str, bool]) -> None:
    assert len(promised) == len(set(promised)) and all(promised.values()), promised
    preferences = SQLiteAdapter(db)
    points = preferences.resume_points()
    lost_preferences = [user for user in promised
                        if preferences.get_attributes(envelope_of(user)) != {
                            "heard_disclaimer": True}]
    lost_points = [user for user in promised
                   if points.find(envelope_of(user), time.time()) is None]
    assert lost_preferences == [] and lost_points == [], (
        f"{len(lost_preferences)} preferences and {len(lost_points)} resume points lost")


def test_concurrent_lambda_calls_sharing_one_store_keep_every_write(tmp_path, caplog):
    db = tmp_path / "store.sqlite3"
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
    users = [f"amzn1.ask.account.LAMBDA{index}" for index in range(CLIENTS)]
    promised = in_parallel(lambda user: one_session(lambda event: handle(event, None), user),
                           users)
    assert_everything_promised_is_stored(db, promised)
    assert "too many" not in caplog.text


def test_fifty_clients_at_once_on_the_web_service_lose_no_write(tmp_path):
    db = tmp_path / "store.sqlite3"
    server = Server("--no-verify", db=db)

    def send(event: dict) -> dict:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request("POST", "/", body=json.dumps(event),
                               headers={"Content-Type": "application/json"})
            reply = connection.getresponse()
            assert reply.status == 200, reply.status
            return json.loads(reply.read())
        finally:
            connection.close()

    try:
        users = [f"amzn1.ask.account.WEB{index}" for index in range(CLIENTS)]
        promised = in_parallel(lambda user: one_session(send, user), users)
    finally:
        log = server.stop()
    assert_everything_promised_is_stored(db, promised)
    assert "too many" not in log and "Traceback" not in log


def test_a_hanging_alexa_api_does_not_make_the_store_drop_writes(tmp_path):
    """Calls left running past their deadline are bounded per dependency: a Settings
    API that never answers uses up its own share, not the store's."""
    release = threading.Event()

    class Hanging(BaseHTTPRequestHandler):
        def do_GET(self):
            release.wait(30)

        def log_message(self, *args):
            pass

    api = LocalServer(Hanging)
    db = tmp_path / "store.sqlite3"
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
    users = [f"amzn1.ask.account.HANG{index}" for index in range(12)]

    def launch_and_ask(user: str) -> str:
        """The first step, and a one-shot question's answer (where the disclaimer goes)."""
        options = dict(user_id=user, device_id=f"device-{user}", api_endpoint=api.url)
        replies = [handle(envelopes.launch(**options), None),
                   handle(envelopes.intent("DurationIntent", new=True, **options), None)]
        for reply in replies:
            assert_valid_response(reply)
        return " | ".join(text_of(reply["response"]["outputSpeech"]["ssml"]) for reply in replies)

    try:
        first = in_parallel(launch_and_ask, users)
        again = {user: launch_and_ask(user) for user in users}
    finally:
        release.set()
        api.close()
    assert all(speech.startswith("Let's ease that cramp.") and DISCLAIMER in speech
               for speech in first.values())
    assert [user for user, speech in again.items() if DISCLAIMER in speech] == []

"""Preferences: remembered in SQLite (web service) and DynamoDB (Lambda), deleted on
request, and never in the way of the relief routine when the store fails."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context

import boto3
import pytest

from skill import envelopes
from skill.persistence.sqlite import SQLiteAdapter
from tests.conftest import ROOT, TABLE, Server, boto_credentials, free_port
from tests.lambda_store import run_lambda, speech
from tests.speech import text_of
from tests.test_entry_points import post

DISCLAIMER = "not medical advice"


def ask_over_http(server: Server, user: str) -> str:
    """A one-shot question: its answer is where a new user hears the disclaimer."""
    question = envelopes.intent("DurationIntent", new=True, user_id=user)
    status, body = post(server.url, json.dumps(question).encode())
    assert status == 200
    return text_of(body["response"]["outputSpeech"]["ssml"])


def forget_over_http(server: Server, user: str) -> str:
    status, body = post(server.url, json.dumps(
        envelopes.intent("ForgetMeIntent", user_id=user)).encode())
    assert status == 200
    return text_of(body["response"]["outputSpeech"]["ssml"])


def test_disclaimer_once_per_user_across_restarts_until_forgotten(tmp_path):
    db = tmp_path / "prefs.sqlite3"
    server = Server("--no-verify", db=db)
    try:
        assert DISCLAIMER in ask_over_http(server, "user-a")
        assert DISCLAIMER not in ask_over_http(server, "user-a")
        assert DISCLAIMER in ask_over_http(server, "user-b")
    finally:
        server.stop()
    server = Server("--no-verify", db=db)  # a restarted service reads the same file
    try:
        assert DISCLAIMER not in ask_over_http(server, "user-a")
        assert "deleted your saved preferences" in forget_over_http(server, "user-a")
        assert DISCLAIMER in ask_over_http(server, "user-a")
        assert DISCLAIMER not in ask_over_http(server, "user-b")
    finally:
        server.stop()
    rows = sqlite3.connect(db).execute("SELECT user_id, attributes FROM preferences").fetchall()
    assert sorted(rows) == [("user-a", '{"heard_disclaimer": true}'),
                            ("user-b", '{"heard_disclaimer": true}')]


def _worker_launches(db: str, worker: int, users: int) -> int:
    """One worker process: a Flask app of its own, hit from several threads at once."""
    from skill.webservice import create_app

    client_app = create_app(verify=False, persistence_adapter=SQLiteAdapter(db))

    def ask(index: int) -> int:  # a one-shot answer: the disclaimer is heard, and remembered
        client = client_app.test_client()
        return client.post("/", json=envelopes.intent(
            "DurationIntent", new=True, user_id=f"w{worker}-u{index}")).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(status == 200 for status in pool.map(ask, range(users)))


def test_concurrent_workers_and_threads_lose_no_writes(tmp_path):
    db, workers, users = str(tmp_path / "prefs.sqlite3"), 4, 60
    with get_context("spawn").Pool(workers) as pool:
        answered = pool.starmap(_worker_launches, [(db, w, users) for w in range(workers)])
    assert answered == [users] * workers
    stored = sqlite3.connect(db).execute(
        "SELECT COUNT(*) FROM preferences WHERE attributes = '{\"heard_disclaimer\": true}'")
    assert stored.fetchone()[0] == workers * users


def test_a_locked_database_does_not_stop_the_routine(tmp_path):
    from skill.webservice import create_app

    db = tmp_path / "prefs.sqlite3"
    adapter = SQLiteAdapter(db)
    app = create_app(verify=False, persistence_adapter=adapter).test_client()
    app.post("/", json=envelopes.launch())  # creates the schema
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        reply = app.post("/", json=envelopes.launch(user_id="someone-new"))
        elapsed = time.monotonic() - started
    finally:
        blocker.execute("ROLLBACK")
    assert reply.status_code == 200 and elapsed < 2
    assert text_of(reply.get_json()["response"]["outputSpeech"]["ssml"]).startswith(
        "Let's ease that cramp.")


def test_an_unreachable_database_path_does_not_stop_the_routine(tmp_path):
    from skill.webservice import create_app

    (tmp_path / "file").write_text("not a folder")
    app = create_app(verify=False, persistence_adapter=SQLiteAdapter(tmp_path / "file" / "x.db"))
    reply = app.test_client().post("/", json=envelopes.launch())
    assert reply.status_code == 200
    forget = app.test_client().post("/", json=envelopes.intent("ForgetMeIntent"))
    assert "couldn't delete your preferences" in text_of(
        forget.get_json()["response"]["outputSpeech"]["ssml"])


def test_forget_me_without_a_store_says_nothing_is_kept(lambda_talk):
    heard = lambda_talk.intent("ForgetMeIntent")
    assert "nothing to delete" in heard and heard.ended


def test_lambda_remembers_preferences_in_dynamodb(dynamodb_endpoint):
    env = {"CRAMP_COACH_TABLE": TABLE, "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint}
    question = envelopes.intent("DurationIntent", new=True, user_id="dynamo-user")
    first, second, forget, third = run_lambda([
        question, question, envelopes.intent("ForgetMeIntent", user_id="dynamo-user"), question],
        **env)
    assert DISCLAIMER in speech(first)
    assert DISCLAIMER not in speech(second)
    assert "deleted your saved preferences" in speech(forget)
    assert DISCLAIMER in speech(third)
    item = boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint, **boto_credentials()) \
        .Table(TABLE).get_item(Key={"id": "dynamo-user"})["Item"]
    assert item["attributes"] == {"heard_disclaimer": True}


def test_lambda_without_a_table_never_imports_boto3():
    code = ("import sys; sys.path.insert(0, 'lambda'); import lambda_function; "
            "print('boto3' in sys.modules, 'botocore' in sys.modules)")
    env = {key: value for key, value in os.environ.items() if key != "CRAMP_COACH_TABLE"}
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False False"


@pytest.mark.parametrize("endpoint", ["closed", "silent"])
def test_an_unreachable_dynamodb_does_not_delay_the_first_instruction(endpoint, silent_endpoint):
    url = silent_endpoint if endpoint == "silent" else f"http://127.0.0.1:{free_port()}"
    (reply,) = run_lambda([envelopes.launch()], CRAMP_COACH_TABLE=TABLE,
                          AWS_ENDPOINT_URL_DYNAMODB=url)
    assert speech(reply).startswith("Let's ease that cramp. Sit up in bed with that leg straight.")
    assert reply["seconds"] < 2

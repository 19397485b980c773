"""Hardening, round two: hostile input gets a 4xx (never a 500 or a traceback),
dependencies have whole-call deadlines, nothing grows without bound, the store
recovers, and requests that take no speech get none."""

import http.client
import json
import logging
import os
import subprocess
import time
from http.server import BaseHTTPRequestHandler

import pytest

from skill import content as content_files
from skill import envelopes
from skill.app import lambda_handler
from skill.content import loader as content_loader
from skill.edge import RequestRefused
from skill.webservice import user_hash
from tests.conftest import ROOT, TABLE, Server
from tests.lambda_store import run_lambda, speech
from tests.local_http import LocalServer
from tests.speech import text_of

SKILL = envelopes.SKILL_ID
GOOD_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


def post(server: Server, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", "/", body=body,
                       headers={"Content-Type": "application/json", **(headers or {})})
    reply = connection.getresponse()
    return reply.status, json.loads(reply.read())


def signed_headers(url: str) -> dict:
    return {"SignatureCertChainUrl": url, "Signature-256": "c2lnbmF0dXJl"}


@pytest.fixture(scope="module")
def skill_server(tmp_path_factory):
    """Verification on, and SKILL_ID set."""
    server = Server(db=tmp_path_factory.mktemp("skill") / "store.sqlite3",
                    env={**os.environ, "SKILL_ID": SKILL})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def open_skill_server(tmp_path_factory):
    """Verification off (loopback), and SKILL_ID set."""
    server = Server("--no-verify", db=tmp_path_factory.mktemp("open-skill") / "store.sqlite3",
                    env={**os.environ, "SKILL_ID": SKILL})
    yield server
    server.stop()


# 1. What used to be a 500.
@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com:abc/echo.api/echo-api-cert.pem",
    "https://[::1/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/echo api.pem",
])
def test_a_certificate_url_that_breaks_url_parsing_is_a_400(skill_server, url):
    body = json.dumps(envelopes.launch()).encode()
    assert post(skill_server, body, signed_headers(url)) == (
        400, {"error": "request verification failed"})
    assert "Traceback" not in skill_server.log()


def test_a_user_id_with_a_lone_surrogate_is_a_400_not_a_500(skill_server, open_server):
    body = json.dumps(envelopes.launch(user_id="amzn1.ask.account.\ud800")).encode()
    assert post(skill_server, body, signed_headers(GOOD_URL))[0] == 400
    status, reply = post(open_server, body)  # unverified: it is simply answered
    assert status == 200 and "ease that cramp" in text_of(reply["response"]["outputSpeech"]["ssml"])
    assert "Traceback" not in skill_server.log() + open_server.log()


@pytest.mark.parametrize("application", ["missing", None, {}, {"applicationId": None}])
def test_a_request_without_its_application_is_refused_when_skill_id_is_set(
        skill_server, open_skill_server, application):
    document = envelopes.launch()
    if application == "missing":
        del document["context"]["System"]["application"]
    else:
        document["context"]["System"]["application"] = application
    body = json.dumps(document).encode()
    assert post(open_skill_server, body) == (403, {"error": "this endpoint serves another skill"})
    assert post(skill_server, body, signed_headers(GOOD_URL))[0] in (400, 403)
    assert "Traceback" not in skill_server.log() + open_skill_server.log()


# 2. The Lambda edge.
MALFORMED_EVENTS = [None, [], "launch", {}, {"request": 5, "context": {}},
                    {"request": {"type": "LaunchRequest"}},
                    {"request": {"type": "LaunchRequest"}, "context": {"System": 3}},
                    {"request": {"type": "NoSuchRequest"}, "context": {"System": {}}},
                    {"request": {"type": "LaunchRequest"}, "context": {"System": {"user": "x"}}},
                    {**envelopes.launch(), "session": {"attributes": "private words"}}]


@pytest.mark.parametrize("event", MALFORMED_EVENTS)
def test_lambda_refuses_a_malformed_event_with_one_clear_error(event, caplog):
    handle = lambda_handler()
    with caplog.at_level(logging.WARNING, logger="skill"):
        with pytest.raises(RequestRefused, match="not an Alexa request") as refused:
            handle(event, None)
    assert refused.value.status == 400
    assert [record.getMessage() for record in caplog.records] == [
        "request refused: the body is not an Alexa request"]


@pytest.mark.parametrize("application", ["amzn1.ask.skill.another", None])
def test_lambda_refuses_another_skills_event(application, caplog):
    event = envelopes.launch(skill_id=application)
    if application is None:
        event["context"]["System"]["application"] = None
    with caplog.at_level(logging.WARNING, logger="skill"):
        with pytest.raises(RequestRefused, match="another skill"):
            lambda_handler(skill_id=SKILL)(event, None)
    assert len(caplog.records) == 1 and "amzn1" not in caplog.records[0].getMessage()


def test_the_lambda_entry_point_refuses_in_the_same_way():
    code = ("import sys, json; sys.path.insert(0, 'lambda'); import lambda_function\n"
            "try:\n    lambda_function.lambda_handler({'request': 5}, None)\n"
            "except Exception as error:\n    print(type(error).__name__, error)")
    output = subprocess.run([os.sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert output.stdout.strip() == "RequestRefused the body is not an Alexa request"
    assert "Traceback" not in output.stderr and "5" not in output.stderr


# 3. Whole-call deadlines.
class Drip(BaseHTTPRequestHandler):
    """Answers any request one byte every half second: no read ever times out."""

    def _drip(self):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(60):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass

    do_GET = do_POST = _drip

    def log_message(self, *args):
        pass


@pytest.fixture
def drip_endpoint():
    server = LocalServer(Drip)
    yield server.url
    server.close()


def test_a_dripping_dynamodb_does_not_stall_a_launch(drip_endpoint):
    launch, ended = run_lambda([
        envelopes.launch(),
        envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", session_attributes={
            "cramp_coach": {"routine": {"name": "calf", "step": 1}}})],
        CRAMP_COACH_TABLE=TABLE, AWS_ENDPOINT_URL_DYNAMODB=drip_endpoint)
    assert speech(launch).startswith("Let's ease that cramp.")
    assert launch["seconds"] < 2 and ended["seconds"] < 2


# 4. Bounded memory.
def test_made_up_locales_share_the_one_base_content():
    handle = lambda_handler()
    before = content_loader._load_resolved.cache_info().currsize
    for index in range(300):
        reply = handle(envelopes.launch(locale=f"xx-{index}"), None)
        assert "ease that cramp" in reply["response"]["outputSpeech"]["ssml"]
    after = content_loader._load_resolved.cache_info().currsize
    assert after - before <= 1  # at most the base, once
    assert after <= len(content_files.supported_locales()) + 1


# 5. The store recovers.
def launch_disclaimer(server: Server, user: str) -> bool:
    """A one-shot question: its answer is the first calm point, where a new user hears it."""
    question = envelopes.intent("DurationIntent", new=True, user_id=user)
    status, reply = post(server, json.dumps(question).encode())
    assert status == 200
    return "not medical advice" in text_of(reply["response"]["outputSpeech"]["ssml"])


def test_a_database_deleted_while_running_is_recreated(tmp_path):
    db = tmp_path / "store.sqlite3"
    server = Server("--no-verify", db=db)
    try:
        assert launch_disclaimer(server, "user-1") and not launch_disclaimer(server, "user-1")
        for leftover in tmp_path.glob("store.sqlite3*"):
            leftover.unlink()
        assert launch_disclaimer(server, "user-1")  # a new, empty store: heard again
        assert not launch_disclaimer(server, "user-1")  # and remembered again
    finally:
        log = server.stop()
    assert "no such table" not in log and "Traceback" not in log


def make_read_only(path) -> None:
    """chmod for an ordinary user; root ignores that, so the immutable flag."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr: cannot make a file read-only")


def test_a_read_only_store_still_serves_reads(tmp_path):
    db = tmp_path / "store.sqlite3"
    server = Server("--no-verify", db=db)
    try:
        assert launch_disclaimer(server, "reader")
    finally:
        server.stop()
    make_read_only(db)
    try:
        server = Server("--no-verify", db=db)
        try:
            assert not launch_disclaimer(server, "reader")  # remembered, read-only
            assert launch_disclaimer(server, "newcomer")  # can't be saved, still answered
        finally:
            log = server.stop()
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True)
    assert "Traceback" not in log


# 6. A chunked body over the limit.
def test_a_chunked_body_over_the_limit_gets_413(open_server):
    body = b'{"version": "1.0", "padding": "' + b"a" * (300 * 1024) + b'"}'
    connection = http.client.HTTPConnection("127.0.0.1", open_server.port, timeout=10)
    connection.request("POST", "/", body=(body[i:i + 8192] for i in range(0, len(body), 8192)),
                       headers={"Content-Type": "application/json"}, encode_chunked=True)
    reply = connection.getresponse()
    assert reply.status == 413 and json.loads(reply.read()) == {"error": "the body is too large"}
    small = json.dumps(envelopes.launch()).encode()
    connection.request("POST", "/", body=iter([small[:50], small[50:]]),
                       headers={"Content-Type": "application/json"}, encode_chunked=True)
    assert connection.getresponse().status == 200


# 7. Requests that take no speech.
SILENT = [{"type": "AudioPlayer.PlaybackStarted", "token": "t", "offsetInMilliseconds": 0},
          {"type": "AudioPlayer.PlaybackFailed", "token": "t",
           "error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}},
          {"type": "PlaybackController.NextCommandIssued"},
          {"type": "System.ExceptionEncountered",
           "error": {"type": "INVALID_RESPONSE", "message": "x"}, "cause": {"requestId": "r"}},
          {"type": "SessionEndedRequest", "reason": "ERROR"},
          {"type": "Connections.Response", "name": "Buy", "status": {"code": "200"},
           "token": "never-asked", "payload": {"purchaseResult": "ACCEPTED"}}]


@pytest.mark.parametrize("request_json", SILENT, ids=lambda item: item["type"])
def test_requests_that_take_no_speech_get_an_empty_response(open_server, request_json):
    document = envelopes.envelope(dict(request_json), with_session=(
        request_json["type"] == "SessionEndedRequest"))
    for reply in (lambda_handler()(document, None), post(open_server,
                                                          json.dumps(document).encode())[1]):
        assert reply["response"] == {} or "outputSpeech" not in reply["response"]
        assert "Sorry" not in json.dumps(reply)


# 8. Logs.
def test_logs_quote_and_truncate_attacker_chosen_urls(skill_server):
    url = "https://s3.amazonaws.com/echo.api/" + "evil" * 500 + "\nFORGED LINE"
    body = json.dumps(envelopes.launch()).encode()
    post(skill_server, body, {"SignatureCertChainUrl": url.replace("\n", "%0A"),
                              "Signature-256": "c2ln"})
    log = skill_server.log()
    assert "evil" * 30 not in log and "FORGED" not in log


def test_the_user_hash_is_keyed_per_deployment():
    user = "amzn1.ask.account.SAMEUSER"
    assert user_hash(user, b"deployment-a") != user_hash(user, b"deployment-b")
    assert user_hash(user, b"deployment-a") == user_hash(user, b"deployment-a")
    code = "from skill.webservice import user_hash; print(user_hash('amzn1.ask.account.SAMEUSER'))"
    run = [os.sys.executable, "-c", code]
    unkeyed = {subprocess.run(run, cwd=ROOT, capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items()
                                   if k != "CRAMP_COACH_LOG_KEY"}).stdout for _ in range(2)}
    assert len(unkeyed) == 2  # a secret per process: no link across restarts
    keyed = {subprocess.run(run, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "CRAMP_COACH_LOG_KEY": "k"}).stdout
             for _ in range(2)}
    assert len(keyed) == 1  # one key, one deployment: lines link within it


def test_the_independent_ssml_checker_catches_what_alexa_refuses():
    from tests.ssml_check import CHECKER

    assert CHECKER.errors("<speak>Hold it. <break time=\"10s\"/> Good.</speak>", "en-GB") is None
    assert CHECKER.errors("<speak>Hold it. <break time=\"11s\"/></speak>", "en-GB")
    assert CHECKER.errors("<speak>salt & water</speak>", "en-US")
    six = '<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"/>' * 6
    assert CHECKER.errors(f"<speak>{six}</speak>", "en-US")

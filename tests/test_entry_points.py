"""The skill through its real edges: the Lambda handler, the Flask app, a live server."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from skill import envelopes
from tests.conftest import ROOT
from tests.speech import assert_valid_response, text_of


def post(url: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_lambda_launch_gives_the_first_instruction_in_valid_ssml(lambda_talk):
    heard = lambda_talk.launch()
    assert heard.speech.startswith("Let's ease that cramp. Sit up in bed with that leg straight.")
    assert not heard.ended and "Say next" in heard.reprompt


def test_importing_the_lambda_entry_point_leaves_flask_and_the_verifier_out():
    code = ("import sys; sys.path.insert(0, 'lambda'); import lambda_function; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'flask_ask_sdk', 'ask_sdk_webservice_support', 'certvalidator', "
            "'oscrypto', 'requests', 'boto3')))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_lambda_answers_an_unknown_intent_with_a_way_forward(lambda_talk):
    heard = lambda_talk.intent("NoSuchIntent")
    assert "didn't catch that" in heard
    assert not heard.ended


@pytest.fixture
def flask_client():
    from skill.webservice import create_app

    return create_app(verify=False, skill_id=envelopes.SKILL_ID).test_client()


def test_flask_app_answers_a_launch(flask_client):
    reply = flask_client.post("/", json=envelopes.launch())
    assert reply.status_code == 200
    assert_valid_response(reply.get_json())


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400),
    (b"\xff\xfe", 400),
    (b"[]", 400),
    (b'{"request": "LaunchRequest"}', 400),
    (json.dumps({"version": "1.0", "request": {"type": "LaunchRequest"}}).encode(), 400),
])
def test_flask_app_refuses_what_is_not_an_alexa_request(flask_client, body, status):
    reply = flask_client.post("/", data=body, content_type="application/json")
    assert reply.status_code == status
    assert set(reply.get_json()) == {"error"}


def test_flask_app_refuses_a_request_for_another_skill(flask_client):
    reply = flask_client.post("/", json=envelopes.launch(skill_id="amzn1.ask.skill.someone-else"))
    assert reply.status_code == 403
    assert reply.get_json() == {"error": "this endpoint serves another skill"}


def test_flask_app_refuses_an_oversized_body(flask_client):
    reply = flask_client.post("/", data=b"x" * (300 * 1024), content_type="application/json")
    assert reply.status_code == 413
    assert "error" in reply.get_json()


def test_flask_app_answers_other_methods_with_json(flask_client):
    reply = flask_client.get("/")
    assert reply.status_code == 405 and "error" in reply.get_json()


def test_flask_app_verifies_requests_by_default():
    from skill.webservice import create_app

    reply = create_app().test_client().post("/", json=envelopes.launch())
    assert reply.status_code == 400
    assert reply.get_json() == {"error": "request verification failed"}


def test_live_server_refuses_unsigned_requests(verified_server):
    status, body = post(verified_server.url, json.dumps(envelopes.launch()).encode())
    assert (status, body) == (400, {"error": "request verification failed"})


def test_live_server_without_verification_answers_with_valid_ssml(open_server):
    status, body = post(open_server.url, json.dumps(envelopes.launch()).encode())
    assert status == 200
    assert_valid_response(body)
    assert text_of(body["response"]["outputSpeech"]["ssml"]).startswith("Let's ease that cramp.")


def test_live_server_answers_malformed_json_with_400(open_server):
    status, body = post(open_server.url, b'{"version": "1.0", "request": {')
    assert status == 400 and body == {"error": "the body is not valid JSON"}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.com"])
def test_no_verify_is_refused_off_loopback(host):
    result = subprocess.run([sys.executable, "-m", "skill", "serve", "--host", host, "--no-verify"],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "Refusing --no-verify" in result.stderr


def test_the_production_app_verifies_and_reads_its_settings_from_the_environment(
        tmp_path, monkeypatch):
    from skill.webservice import production_app

    monkeypatch.setenv("SKILL_ID", envelopes.SKILL_ID)
    monkeypatch.setenv("CRAMP_COACH_DB", str(tmp_path / "prefs.sqlite3"))
    client = production_app().test_client()
    assert client.post("/", json=envelopes.launch()).status_code == 400
    assert client.get("/health").get_json() == {"status": "ok"}


def test_the_default_preferences_file_lives_outside_the_repository(monkeypatch, tmp_path):
    from skill.persistence import default_db_path, sqlite_store

    assert default_db_path({"XDG_DATA_HOME": str(tmp_path)}) == \
        str(tmp_path / "cramp-coach" / "preferences.sqlite3")
    assert not default_db_path({}).startswith(str(ROOT))
    assert str(sqlite_store(env={"CRAMP_COACH_DB": "/x/y.db"}).path) == "/x/y.db"
    assert str(sqlite_store("/a/b.db", env={"CRAMP_COACH_DB": "/x/y.db"}).path) == "/a/b.db"


@pytest.mark.parametrize("url", ["http://api.amazonalexa.com/v2/x", "ftp://127.0.0.1/x",
                                 "file:///etc/passwd", "http://10.0.0.1/x"])
def test_the_api_client_only_calls_https_or_a_local_stub(url):
    from ask_sdk_core.exceptions import ApiClientException
    from ask_sdk_model.services import ApiClientRequest

    from skill.api_client import TimeoutApiClient

    with pytest.raises(ApiClientException, match="non-HTTPS"):
        TimeoutApiClient().invoke(ApiClientRequest(url=url, method="GET", headers=[]))


def test_the_edge_reads_decoded_events_exactly_as_the_sdk_reads_json():
    """skill.edge skips the SDK's JSON round trip by calling its DefaultSerializer's
    private model reader: this holds the pinned SDK to doing the same thing."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    from skill.edge import read_envelope

    serializer = DefaultSerializer()
    for event in (envelopes.launch(screen="hub_large"),
                  envelopes.intent("ReliefIntent", {"muscle": ("calf", "CALF")}),
                  envelopes.touch("next"), envelopes.session_ended("ERROR")):
        by_json = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
        assert read_envelope(serializer, event, None) == by_json
        assert serializer.serialize(read_envelope(serializer, event, None)) == \
            serializer.serialize(by_json)

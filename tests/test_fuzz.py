"""Over ten thousand mutated and hostile requests against both edges, with SKILL_ID
set and unset: never a 5xx or a traceback from the web service, never an SDK
exception out of the Lambda handler (only its one documented refusal), every 200
a valid response (JSON, SSML that parses, under 8,000 characters, breaks of at
most 10 s, a reprompt whenever the session stays open), and the server lives."""

import copy
import http.client
import json
import logging
import os
import random

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.edge import RequestRefused
from skill.persistence.sqlite import SQLiteAdapter
from tests.conftest import Server
from tests.speech import assert_valid_response

HOSTILE_TEXT = ["</speak>", "&", "<break time=\"60s\"/>", "]]>", "&amp;&lt;", "\u0000", "🦵" * 50,
                "x" * 20_000, "'; DROP TABLE preferences; --", "{muscle}", "%s%s%s", "\ud83d"]
HOSTILE_VALUES = [None, 0, -1, 10 ** 12, 3.5, True, [], {}, [1, 2], {"a": {"b": {}}}, "",
                  *HOSTILE_TEXT]
INTENTS = ["ReliefIntent", "CausesIntent", "RedFlagIntent", "AMAZON.NextIntent",
           "AMAZON.RepeatIntent", "AMAZON.YesIntent", "SeeDoctorIntent", "NoSuchIntent",
           "AMAZON.StopIntent", "BedtimeStretchIntent", "ForgetMeIntent", ""]
ODD_SESSIONS = [
    {"cramp_coach": "not a dict"},
    {"cramp_coach": {"routine": {"name": "calf", "step": 10 ** 9}}},
    {"cramp_coach": {"routine": {"name": "../../etc/passwd", "step": 1}}},
    {"cramp_coach": {"routine": {"name": "calf", "step": -3, "paused": "yes"}}},
    {"cramp_coach": {"routine": {"name": "bedtime", "step": 2, "started_at": "yesterday"}}},
    {"cramp_coach": {"offer": "see_doctor:999"}},
    {"cramp_coach": {"offer": "prevention:-1"}},
    {"cramp_coach": {"offer": "resume"}},
    {"cramp_coach": {"last_said": ["</speak><audio src='x'/>", {"pause": 99}]}},
    {"cramp_coach": {"last_said": ["fine", {"pause": "10"}], "last_reprompt": "not a list"}},
    {"cramp_coach": {"last_said": ["&<>"] * 3000}},
    {"cramp_coach": {"routine": {"name": "calf", "step": 1}, "offer": "calf"}},
]


def seeds() -> list[dict]:
    mid_routine = {"cramp_coach": {"routine": {"name": "calf", "step": 2, "started_at": 1.0e9},
                                   "point_stored": True}}
    return [envelopes.launch(),
            envelopes.intent("ReliefIntent", {"muscle": ("calf", "CALF")}),
            envelopes.intent("CausesIntent", {"cause": "statins"}),
            envelopes.intent("RedFlagIntent", {"sign": ("chest pain", "CHEST_PAIN")}),
            envelopes.intent("AMAZON.NextIntent",
                             session_attributes={"cramp_coach": {"routine": {"name": "calf"}}}),
            envelopes.intent("AMAZON.PauseIntent", session_attributes=mid_routine),
            envelopes.intent("AMAZON.ResumeIntent", new=True),
            envelopes.session_ended(session_attributes=mid_routine),
            envelopes.launch(screen="hub_large"),
            envelopes.intent("AMAZON.NextIntent", screen="round", session_attributes=mid_routine),
            envelopes.touch("next", screen="tv", session_attributes=mid_routine),
            envelopes.can_fulfill("ReliefIntent", {"muscle": ("calf", "CALF")}),
            envelopes.intent("SetStretchReminderIntent", {"time": "22:00"}),
            envelopes.envelope({"type": "Connections.Response", "name": "AskFor",
                                "status": {"code": "200"}, "token": "stretch-reminder:21:30",
                                "payload": {"status": "ACCEPTED"}}),
            envelopes.envelope({"type": "AudioPlayer.PlaybackStarted", "token": "t"},
                               with_session=False),
            envelopes.envelope({"type": "System.ExceptionEncountered",
                                "error": {"type": "INVALID_RESPONSE"}}, with_session=False)]


def paths(node, prefix=()):
    """Every (container, key) place in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from paths(value, prefix + (index,))


def mutate(body: dict, rng: random.Random) -> dict:
    body = copy.deepcopy(body)
    for _ in range(rng.randint(1, 4)):
        places = list(paths(body))
        if not places:
            break
        container, key = rng.choice(places)
        move = rng.random()
        if move < 0.3 and isinstance(container, dict):
            del container[key]
        elif move < 0.7:
            container[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        elif move < 0.8:
            body.setdefault("request", {})
            if isinstance(body["request"], dict):
                body["request"]["intent"] = {"name": rng.choice(INTENTS), "slots": {
                    "muscle": {"name": "muscle", "value": rng.choice(HOSTILE_TEXT)},
                    "cause": {"name": "cause", "value": rng.choice(HOSTILE_TEXT)}}}
                body["request"]["type"] = "IntentRequest"
        elif move < 0.9:
            if isinstance(body.get("session"), dict):
                body["session"]["attributes"] = rng.choice(ODD_SESSIONS)
        else:
            if isinstance(body.get("request"), dict):
                body["request"]["locale"] = rng.choice(["", "xx", "en-GB", None, 7, "fr-FR"])
    return body


def junk(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    if kind == 1:
        return json.dumps(envelopes.launch()).encode()[: rng.randrange(1, 200)]
    if kind == 2:
        return b"[" * 5000 + b"]" * 5000
    if kind == 3:
        return json.dumps(rng.choice(HOSTILE_VALUES)).encode()
    return b'{"version": "1.0", "request": {"type": "LaunchRequest"}, "context": 5}'


def hostile_bodies(rng: random.Random, count: int):
    for _ in range(count):
        if rng.random() < 0.15:
            yield junk(rng)
        else:
            document = mutate(rng.choice(seeds()), rng)
            yield json.dumps(document, allow_nan=False).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The web service without verification (loopback), with SKILL_ID unset and set."""
    started = {"unset": Server("--no-verify", db=tmp_path_factory.mktemp("fuzz") / "a.sqlite3"),
               "set": Server("--no-verify", db=tmp_path_factory.mktemp("fuzz") / "b.sqlite3",
                             env={**os.environ, "SKILL_ID": envelopes.SKILL_ID})}
    yield started
    for server in started.values():
        server.stop()


@pytest.mark.parametrize("skill_id", ["unset", "set"])
def test_thousands_of_hostile_requests_never_break_the_web_service(servers, skill_id):
    server = servers[skill_id]
    rng = random.Random(f"web-{skill_id}")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    statuses = {}
    for attempt, body in enumerate(hostile_bodies(rng, 3000)):
        connection.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        text = reply.read().decode("utf-8", "replace")
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        assert reply.status < 500, (attempt, reply.status, body[:300], text[:300])
        assert "Traceback" not in text and 'File "' not in text, text[:300]
        if reply.status == 200:
            assert_valid_response(json.loads(text))
        else:
            assert set(json.loads(text)) == {"error"}
    connection.request("GET", "/health")
    assert connection.getresponse().read() == b'{"status":"ok"}\n'
    assert server.alive() and "Traceback" not in server.log()
    assert statuses.get(200, 0) > 1000 and statuses.get(400, 0) > 100, statuses
    if skill_id == "set":
        assert statuses.get(403, 0) > 10, statuses


@pytest.mark.parametrize("skill_id", [None, envelopes.SKILL_ID], ids=["unset", "set"])
def test_thousands_of_hostile_events_never_break_the_lambda_handler(tmp_path, skill_id, caplog):
    caplog.set_level(logging.ERROR, logger="skill")
    handle = lambda_handler(skill_id=skill_id,
                            persistence_adapter=SQLiteAdapter(tmp_path / "store.sqlite3"))
    rng = random.Random(f"lambda-{skill_id}")
    outcomes = {"answered": 0, "refused": 0}
    for _ in range(2600):
        event = (copy.deepcopy(rng.choice(HOSTILE_VALUES)) if rng.random() < 0.05
                 else mutate(rng.choice(seeds()), rng))
        try:
            reply = handle(event, None)
        except RequestRefused:  # the Lambda edge's one documented error
            outcomes["refused"] += 1
            continue
        assert_valid_response(json.loads(json.dumps(reply)))
        outcomes["answered"] += 1
    assert outcomes["answered"] > 1000 and outcomes["refused"] > 100, outcomes
    # Nor did any handler fail on the way (the catch-all apology logs an error).
    assert [record.getMessage() for record in caplog.records] == []


def test_unsigned_hostile_requests_to_the_verified_server_are_refused(verified_server):
    rng = random.Random(7)
    connection = http.client.HTTPConnection("127.0.0.1", verified_server.port, timeout=10)
    for _ in range(300):
        body = json.dumps(mutate(rng.choice(seeds()), rng)).encode("utf-8", "surrogatepass")
        connection.request("POST", "/", body=body, headers={
            "Content-Type": "application/json",
            "SignatureCertChainUrl": rng.choice(["http://evil.example/x.pem", "", "\u0000"]),
            "Signature-256": "AAAA"})
        reply = connection.getresponse()
        assert reply.status == 400, reply.status
        assert set(json.loads(reply.read())) == {"error"}
    assert verified_server.alive()

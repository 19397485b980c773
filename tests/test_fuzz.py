"""Thousands of mutated and hostile requests against the real server: never a 5xx,
never a traceback, every 200 a valid response with valid SSML, and the server lives."""

import copy
import http.client
import json
import random

from skill import envelopes
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
    return [envelopes.launch(),
            envelopes.intent("ReliefIntent", {"muscle": ("calf", "CALF")}),
            envelopes.intent("CausesIntent", {"cause": "statins"}),
            envelopes.intent("RedFlagIntent", {"sign": ("chest pain", "CHEST_PAIN")}),
            envelopes.intent("AMAZON.NextIntent",
                             session_attributes={"cramp_coach": {"routine": {"name": "calf"}}}),
            envelopes.session_ended()]


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
            container[key] = rng.choice(HOSTILE_VALUES)
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


def test_thousands_of_hostile_requests_never_break_the_server(open_server):
    rng = random.Random(20261122)
    connection = http.client.HTTPConnection("127.0.0.1", open_server.port, timeout=10)
    statuses = {}
    for attempt in range(2500):
        if rng.random() < 0.15:
            body = junk(rng)
        else:
            document = mutate(rng.choice(seeds()), rng)
            body = json.dumps(document, allow_nan=False).encode("utf-8", "surrogatepass")
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
    assert open_server.alive()
    assert statuses.get(200, 0) > 1000 and statuses.get(400, 0) > 100, statuses


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

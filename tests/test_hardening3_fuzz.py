"""Every request type Alexa sends, with forged session state and deep nesting,
through both edges (the web service without verification, and the Lambda entry
point), with SKILL_ID set and unset: never a 5xx, never an exception out of the
Lambda handler but its one documented refusal, never an error handled by the
catch-all apology, and never a response Alexa would refuse (valid SSML under
8,000 characters, a reprompt whenever the session stays open, strict JSON
without NaN or Infinity, at most 24 KB in all). Bounded: a fixed number of
requests from fixed seeds, a few seconds.
"""

import copy
import json
import logging
import random
from pathlib import Path

import pytest
from ask_sdk_model.request import Request

from skill import envelopes
from skill.app import lambda_handler
from skill.edge import RequestRefused
from skill.persistence.sqlite import SQLiteAdapter
from skill.webservice import create_app
from tests.speech import assert_valid_response

ROOT = Path(__file__).resolve().parent.parent
MAX_RESPONSE_BYTES = 24 * 1024
REQUESTS_PER_EDGE = 1500
CHIME = '<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"/>'
# Every request type the SDK's model knows (Alexa's documented requests and events),
# and what Alexa sends with the ones a custom skill commonly gets.
REQUEST_TYPES = sorted(Request.discriminator_value_class_map)
FIELDS = {
    "SessionEndedRequest": {"reason": "EXCEEDED_MAX_REPROMPTS",
                            "error": {"type": "INVALID_RESPONSE", "message": "x"}},
    "Connections.Response": {"name": "AskFor", "status": {"code": "200", "message": "OK"},
                             "token": "stretch-reminder:21:30",
                             "payload": {"status": "ACCEPTED", "permissionScope":
                                         "alexa::alerts:reminders:skill:readwrite"}},
    "Connections.Request": {"name": "Buy", "payload": {"productId": "x"}, "token": "t"},
    "AudioPlayer.PlaybackStarted": {"token": "t", "offsetInMilliseconds": 0},
    "AudioPlayer.PlaybackFinished": {"token": "t", "offsetInMilliseconds": 1000},
    "AudioPlayer.PlaybackStopped": {"token": "t", "offsetInMilliseconds": 10},
    "AudioPlayer.PlaybackNearlyFinished": {"token": "t", "offsetInMilliseconds": 900},
    "AudioPlayer.PlaybackFailed": {"token": "t", "error": {"type": "MEDIA_ERROR_UNKNOWN",
                                                          "message": "x"},
                                   "currentPlaybackState": {"token": "t",
                                                            "offsetInMilliseconds": 0,
                                                            "playerActivity": "PLAYING"}},
    "System.ExceptionEncountered": {"error": {"type": "INVALID_RESPONSE", "message": "x"},
                                    "cause": {"requestId": "amzn1.echo-api.request.1"}},
    "Alexa.Presentation.APL.UserEvent": {"token": "cramp-coach-card", "arguments": ["next"],
                                         "source": {"type": "TouchWrapper", "handler": "Press",
                                                    "id": ""}, "components": {}},
    "Alexa.Presentation.APL.RuntimeError": {"token": "cramp-coach-card", "errors": [
        {"type": "LINK_ERROR", "reason": "x", "message": "x"}]},
    "Display.ElementSelected": {"token": "t"},
    "Messaging.MessageReceived": {"message": {"a": 1}},
    "SessionResumedRequest": {"cause": {"type": "ConnectionCompleted", "token": "t",
                                        "status": {"code": "200"}, "result": {}}},
}


def intents() -> list[str]:
    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
    return [intent["name"] for intent in model["interactionModel"]["languageModel"]["intents"]]


INTENTS = intents() + ["NoSuchIntent", ""]
SLOT_VALUES = ["calf", ("calf", "CALF"), ("chest pain", "COLD_PALE_LEG"), "22:00", "NI",
               "\u0000", "\ud83d", "</speak>", "x" * 5000, ("thigh", "THIGH")]
BUTTONS = ["next", "back", "repeat", "cant_stand", "back_to_routine", "nope", 7, None, [], {}]


def nested(depth: int, leaf=None):
    value = leaf
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def forged_state(rng: random.Random):
    """Session attributes as nobody but an attacker would send them."""
    routine = {"name": rng.choice(["calf", "foot", "bedtime", "thigh_back", "nope", 7]),
               "step": rng.choice([0, 1, 2, 5, 99, -1, 10 ** 12, "1", None]),
               "muscle": rng.choice(["calf", "", None, "x" * 300]),
               "paused": rng.choice([True, False, "yes"]),
               "started_at": rng.choice([1.0e9, None, "now", -1e300, 1e300, 0])}
    state = {"routine": routine, "offer": rng.choice([None, "prevention:2", "resume", "x:-1"]),
             "misses": rng.choice([0, 3, 99, -5, 10 ** 9]), "point_stored": rng.random() < 0.5,
             "disclaimer_given": rng.random() < 0.5, "last_urgent": rng.random() < 0.2}
    said = rng.choice(["Stand on the leg.", "Hold it. <break time=\"10s\"/> Good.",
                       f"Hold.{CHIME}" * rng.choice([1, 5, 6]), "a " * 3995,
                       "Stand\x01 up.", "Stand \ud800up.", "Stand\ufffe", "<speak>", "&bogus;",
                       '<break time="11s"/>', '<audio src="https://evil.example/x.mp3"/>', ""])
    kind = rng.randrange(10)
    if kind == 0:
        return {"cramp_coach": nested(rng.choice([300, 600, 900]))}
    if kind == 1:
        return {"cramp_coach": json.dumps(state), "foreign": "y" * 100_000,
                **{f"k{index}": index for index in range(rng.choice([10, 2000]))}}
    if kind == 2:
        return {"cramp_coach": state, "cramp_coach_said": [said, {"pause": 99}]}
    if kind == 3:
        return {"cramp_coach": json.dumps(nested(rng.choice([100, 400, 900]))),
                "cramp_coach_said": nested(600)}
    if kind == 4:
        return {"cramp_coach": {"routine": routine, "pad": float("nan")},
                "cramp_coach_reprompt": float("inf")}
    if kind == 5:
        return {"cramp_coach": "{" * 100_000, "cramp_coach_said": said * 500}
    if kind == 6:
        return "not a dict" if rng.random() < 0.5 else None
    return {"cramp_coach": json.dumps(state), "cramp_coach_said": said,
            "cramp_coach_reprompt": rng.choice([said, "Say next.", None, 5])}


def request_of(rng: random.Random, kind: str) -> dict:
    request = {"type": kind, **copy.deepcopy(FIELDS.get(kind, {}))}
    if kind in ("IntentRequest", "CanFulfillIntentRequest"):
        slots = {}
        for name in rng.sample(["muscle", "sign", "cause", "medicine", "time", "remedy"],
                               rng.randrange(4)):
            value = rng.choice(SLOT_VALUES)
            value, resolved = value if isinstance(value, tuple) else (value, None)
            slots[name] = {"name": name, "value": value, "confirmationStatus": "NONE"}
            if resolved:
                slots[name]["resolutions"] = {"resolutionsPerAuthority": [{
                    "authority": "amzn1.er-authority.x", "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": value, "id": resolved}}]}]}
        request["intent"] = {"name": rng.choice(INTENTS), "confirmationStatus": "NONE",
                             "slots": slots}
        if kind == "IntentRequest":
            request["dialogState"] = "COMPLETED"
    if kind == "Alexa.Presentation.APL.UserEvent":
        request["arguments"] = [rng.choice(BUTTONS)]
    return request


def places(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from places(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from places(value)


def hostile_event(rng: random.Random) -> tuple[str, dict]:
    """A request of some type, forged (with the type it was made as)."""
    kind = rng.choice(REQUEST_TYPES + ["LaunchRequest", "IntentRequest", "IntentRequest",
                                       "SessionEndedRequest", "Alexa.Presentation.APL.UserEvent",
                                       "Connections.Response", "CanFulfillIntentRequest"])
    event = envelopes.envelope(
        request_of(rng, kind), new=rng.random() < 0.3, with_session=rng.random() < 0.85,
        screen=rng.choice([None, None, "round", "hub_small", "hub_large", "tv"]),
        locale=rng.choice(["en-US", "en-GB", "en-IN", "es-MX", "es-ES", "fr-FR", "xx"]),
        user_id=rng.choice([envelopes.USER_ID, f"resume#{envelopes.USER_ID}", "", "\ud800"]),
        api_endpoint=rng.choice([None, None, "http://127.0.0.1:9", "ftp://x"]))
    spots = list(places(event))
    for _ in range(rng.randrange(3)):  # deep nesting or odd values anywhere
        container, key = rng.choice(spots)
        container[key] = rng.choice([nested(rng.choice([50, 300, 600])), float("nan"),
                                     float("-inf"), 10 ** 30, "x" * 30_000, None, [], {}])
    if isinstance(event.get("session"), dict):
        event["session"]["attributes"] = forged_state(rng)
    return kind, event


def assert_alexa_accepts(text: str) -> None:
    """Strict JSON (no NaN, no Infinity), at most 24 KB, a valid response."""
    assert len(text.encode()) <= MAX_RESPONSE_BYTES, len(text)
    answer = json.loads(text, parse_constant=lambda constant: pytest.fail(constant))
    assert_valid_response(answer)


def assert_answered_what_speaks(spoken: set) -> None:
    """The forged requests still reached the conversation: each kind that takes
    speech was answered with speech at least once."""
    assert {"LaunchRequest", "IntentRequest", "Alexa.Presentation.APL.UserEvent",
            "Connections.Response"} <= spoken, spoken


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.ERROR)
    yield
    errors = [record.getMessage()[:300] for record in caplog.records
              if record.levelno >= logging.ERROR]
    assert errors == [], errors[:5]


@pytest.mark.parametrize("skill_id", [None, envelopes.SKILL_ID], ids=["unset", "set"])
def test_every_request_type_forged_never_breaks_the_web_service(tmp_path, skill_id,
                                                                 no_errors_logged):
    client = create_app(verify=False, skill_id=skill_id, persistence_adapter=SQLiteAdapter(
        tmp_path / "store.sqlite3")).test_client()
    rng, statuses, spoken = random.Random(f"web-{skill_id}"), {}, set()
    for _ in range(REQUESTS_PER_EDGE):
        kind, event = hostile_event(rng)
        body = json.dumps(event).encode("utf-8", "surrogatepass")  # NaN as NaN, on purpose
        reply = client.post("/", data=body, headers={"Content-Type": "application/json"})
        statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
        text = reply.get_data(as_text=True)
        assert reply.status_code < 500, (event["request"].get("type"), text[:300])
        if reply.status_code == 200:
            assert_alexa_accepts(text)
            if "outputSpeech" in text:
                spoken.add(kind)
        else:
            assert set(json.loads(text)) == {"error"}
    assert statuses.get(200, 0) > REQUESTS_PER_EDGE // 3 and statuses.get(400, 0) > 50, statuses
    assert_answered_what_speaks(spoken)


@pytest.mark.parametrize("skill_id", [None, envelopes.SKILL_ID], ids=["unset", "set"])
def test_every_request_type_forged_never_breaks_the_lambda_handler(tmp_path, skill_id,
                                                                   no_errors_logged):
    handle = lambda_handler(skill_id=skill_id,
                            persistence_adapter=SQLiteAdapter(tmp_path / "store.sqlite3"))
    rng, outcomes = random.Random(f"lambda-{skill_id}"), {"answered": 0, "refused": 0}
    spoken = set()
    for _ in range(REQUESTS_PER_EDGE):
        kind, event = hostile_event(rng)
        try:
            answer = handle(event, None)
        except RequestRefused:  # the Lambda edge's one documented error
            outcomes["refused"] += 1
            continue
        text = json.dumps(answer)  # as Lambda's runtime sends it
        assert_alexa_accepts(text)
        outcomes["answered"] += 1
        if "outputSpeech" in text:
            spoken.add(kind)
    assert outcomes["answered"] > REQUESTS_PER_EDGE // 2 and outcomes["refused"] > 20, outcomes
    assert_answered_what_speaks(spoken)

"""Issue 29, findings 6 and 7: what a request carries in its session attributes.

The SDK copies the session attributes whole, outside any exception handler, and
sends them back whole. Both edges now hand it only the skill's own keys, each
small, shallow and plain JSON: deep nesting is no 500 on the web service and no
RecursionError on Lambda, foreign attributes are not echoed (Alexa refuses a
response over 24 KB), and NaN or Infinity are refused as not JSON (web service)
or dropped (Lambda), never echoed as invalid JSON.
"""

import json

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill import content as content_files
from skill import envelopes
from skill.app import lambda_handler
from skill.edge import read_envelope
from skill.webservice import create_app
from tests.speech import assert_valid_response, text_of

MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's limit on a whole response
MID_ROUTINE = json.dumps({"routine": {"name": "calf", "step": 1, "muscle": "calf"}})


def nested(depth: int, leaf=None):
    value = leaf
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


@pytest.fixture(scope="module")
def web():
    client = create_app(verify=False).test_client()

    def send(body: bytes):
        reply = client.post("/", data=body, headers={"Content-Type": "application/json"})
        return reply.status_code, reply.data

    return send


def through_both_edges(web, event: dict) -> list[dict]:
    """The event's answer from the web service (200) and from Lambda: each a valid
    response within Alexa's size limit, strict JSON, and the skill's own answer."""
    status, data = web(json.dumps(event).encode())
    assert status == 200, (status, data[:200])
    answers = [json.loads(data), lambda_handler()(event, None)]
    for answer in answers:
        sent = json.dumps(answer, allow_nan=False)  # no NaN, no Infinity
        assert len(sent.encode()) <= MAX_RESPONSE_BYTES, len(sent)
        assert_valid_response(answer)
    return answers


@pytest.mark.parametrize("key", ["foreign", "cramp_coach", "cramp_coach_said"])
@pytest.mark.parametrize("depth", [300, 600, 900])
def test_deeply_nested_session_attributes_are_dropped_not_a_500(web, key, depth):
    event = envelopes.intent("AMAZON.HelpIntent",
                             session_attributes={key: nested(depth), "cramp_coach": MID_ROUTINE}
                             if key != "cramp_coach" else {key: nested(depth)})
    for answer in through_both_edges(web, event):
        speech = text_of(answer["response"]["outputSpeech"]["ssml"])
        assert "Sorry" not in speech and answer["response"]["shouldEndSession"] is False
        assert "foreign" not in answer["sessionAttributes"]


def test_foreign_session_attributes_are_not_echoed(web):
    event = envelopes.intent("AMAZON.NextIntent", session_attributes={
        "cramp_coach": MID_ROUTINE, "another_skill": "x" * 200_000,
        **{f"key{index}": index for index in range(2000)}})
    for answer in through_both_edges(web, event):
        assert set(answer["sessionAttributes"]) <= {"cramp_coach", "cramp_coach_said",
                                                    "cramp_coach_reprompt"}
        assert "heating pad" in text_of(answer["response"]["outputSpeech"]["ssml"])  # step 2


@pytest.mark.parametrize("forged", [
    {"cramp_coach": "{" * 100_000},
    {"cramp_coach": MID_ROUTINE, "cramp_coach_said": "Hold it. " * 10_000,
     "cramp_coach_reprompt": "Say next. " * 10_000},
    {"cramp_coach": {"routine": {"name": "calf", "step": 1}, "padding": ["x" * 1000] * 200}},
])
def test_the_skills_own_keys_are_bounded_in_size(web, forged):
    for intent in ("AMAZON.RepeatIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent"):
        through_both_edges(web, envelopes.intent(intent, session_attributes=forged))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_nan_or_infinity_in_a_body_is_not_json(web, constant):
    for place in ('"session": {"new": false, "sessionId": "s", "attributes": {"n": %s}}, ',
                  '"session": {"new": false, "sessionId": "s", "attributes": '
                  '{"cramp_coach": {"routine": {"name": "calf", "step": 1, '
                  '"started_at": %s}}}}, ',
                  '"padding": %s, '):
        body = json.dumps(envelopes.launch())
        body = "{" + (place % constant) + body[1:]
        assert web(body.encode()) == (400, b'{"error":"the body is not valid JSON"}\n')


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_lambda_drops_nan_or_infinity_from_the_session_and_answers(value):
    for attributes in ({"n": value}, {"cramp_coach": {"routine": {
            "name": "calf", "step": 1, "started_at": value}}},
            {"cramp_coach": MID_ROUTINE, "cramp_coach_said": [value]}):
        for event in (envelopes.intent("AMAZON.HelpIntent", session_attributes=attributes),
                      envelopes.session_ended(session_attributes=attributes)):
            answer = lambda_handler()(event, None)
            json.dumps(answer, allow_nan=False)
            assert_valid_response(answer)


def test_the_lambda_event_itself_is_left_as_it_came():
    event = envelopes.intent("AMAZON.HelpIntent", session_attributes={
        "foreign": nested(700), "cramp_coach": MID_ROUTINE})
    before = json.dumps(event)
    lambda_handler()(event, None)
    assert json.dumps(event) == before


def conversations():
    """Every routine and question, step by step, in every locale."""
    starts = [("ReliefIntent", {"muscle": ("calf", "CALF")}),
              ("ReliefIntent", {"muscle": ("foot", "FOOT")}),
              ("ReliefIntent", {"muscle": ("thigh", "THIGH")}),
              ("ReliefIntent", {"muscle": ("front of my thigh", "QUAD")}),
              ("ReliefIntent", {"muscle": ("hamstring", "HAMSTRING")}),
              ("BedtimeStretchIntent", {}), ("CausesIntent", {}), ("PreventionIntent", {}),
              ("SeeDoctorIntent", {}), ("RedFlagIntent", {"sign": ("swollen", "SWELLING")}),
              ("RedFlagIntent", {"sign": ("cold and pale", "COLD_PALE_LEG")})]
    for locale in content_files.supported_locales():
        for name, slots in starts:
            yield locale, name, slots


def test_everything_the_skill_keeps_in_the_session_passes_the_edge_unchanged():
    """The bounds are far above what the skill itself sends back, on every turn."""
    handle, serializer = lambda_handler(), DefaultSerializer()
    turns = 0
    for locale, name, slots in conversations():
        for screen in (None, "hub_large"):
            answer = handle(envelopes.intent(name, slots, locale=locale, new=True,
                                             screen=screen), None)
            for _ in range(15):
                attributes = answer.get("sessionAttributes") or {}
                for follow_up in ("AMAZON.RepeatIntent", "AMAZON.NextIntent"):
                    event = envelopes.intent(follow_up, locale=locale, screen=screen,
                                             session_attributes=attributes)
                    kept = read_envelope(serializer, event, None).session.attributes
                    assert kept == attributes, (locale, name)
                    turns += 1
                if answer["response"].get("shouldEndSession") is not False:
                    break
                answer = handle(event, None)
    assert turns > 500

"""Issue 29, finding 10: an APL document goes only to a device whose APL runtime
renders its version.

Alexa says which APL version a device runs in
context.System.device.supportedInterfaces["Alexa.Presentation.APL"].runtime.maxVersion.
The cards' documents are written in one version (their "version" field); an
older runtime shows an error or nothing, so such a device hears the same words
with no document, as a device without a screen does. Both edges.
"""

import json
from pathlib import Path

import pytest

from skill import envelopes
from skill.app import lambda_handler
from tests.speech import text_of

DOCUMENTS = Path(__file__).resolve().parent.parent / "skill" / "display" / "documents"
VERSIONS = {json.loads(path.read_text())["version"] for path in DOCUMENTS.glob("*.json")}
(WRITTEN_IN,) = VERSIONS  # every card's document is in one version


def newer(version: str) -> str:
    year, release = version.split(".")
    return f"{int(year) + 1}.{release}"


def sender(edge: str):
    """A new skill behind one of its edges: the Lambda handler or the Flask app."""
    if edge == "lambda":
        handle = lambda_handler()
        return lambda event: handle(event, None)
    from skill.webservice import create_app

    client = create_app(verify=False).test_client()

    def post(event: dict) -> dict:
        reply = client.post("/", json=event)
        assert reply.status_code == 200
        return reply.get_json()

    return post


TURNS = [lambda **o: envelopes.launch(**o),
         lambda **o: envelopes.intent("AMAZON.NextIntent", **o),
         lambda **o: envelopes.intent("CausesIntent", **o),
         lambda **o: envelopes.intent("RedFlagIntent", {"sign": ("chest pain", "CHEST_PAIN")},
                                      **o)]


def conversation(send, screen, runtime: object) -> list[dict]:
    """A launch, next, a question and a red flag (a step's, an answer's and urgent
    advice's card), from a device with this APL runtime (None: it names none)."""
    attributes: dict = {}
    heard = []
    for event_of in TURNS:
        event = event_of(screen=screen, session_attributes=attributes)
        if screen:
            apl = event["context"]["System"]["device"]["supportedInterfaces"][
                "Alexa.Presentation.APL"]
            if runtime is None:
                del apl["runtime"]
            else:
                apl["runtime"]["maxVersion"] = runtime
        answer = send(event)
        attributes = answer.get("sessionAttributes") or {}
        heard.append(answer["response"])
    return heard


def on_device(runtime: object, edge: str = "lambda") -> list[list]:
    """The directives an Echo Show with this runtime gets, turn by turn; it hears
    the words a device without a screen hears."""
    shown = conversation(sender(edge), "hub_large", runtime)
    voice_only = conversation(sender(edge), None, runtime)
    for with_screen, without in zip(shown, voice_only):
        assert text_of(with_screen["outputSpeech"]["ssml"]) == text_of(
            without["outputSpeech"]["ssml"])
    return [response.get("directives", []) for response in shown]


@pytest.mark.parametrize("edge", ["lambda", "web service"])
@pytest.mark.parametrize("runtime", ["1.0", "1.6", "1.9", "2022.2", "2023.2"])
def test_an_older_apl_runtime_gets_the_voice_alone(runtime, edge):
    assert on_device(runtime, edge) == [[], [], [], []]


@pytest.mark.parametrize("runtime", [None, "", "latest", "1.x", "2023", "2023.3.1.9",
                                     "99999.1"])
def test_a_runtime_that_does_not_say_its_version_gets_the_voice_alone(runtime):
    assert on_device(runtime) == [[], [], [], []]


@pytest.mark.parametrize("runtime", [WRITTEN_IN, newer(WRITTEN_IN)])
def test_a_runtime_as_new_as_the_documents_gets_every_card(runtime):
    for directives in on_device(runtime):
        (directive,) = directives
        assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
        assert directive["document"]["version"] == WRITTEN_IN

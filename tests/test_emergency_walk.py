"""Every emergency and urgent sign, every way (issue 28, point 6): each plain phrasing of
tests/routing/emergencies.json, first and third person, is a sample of its locale's
model, and heard three ways (exact matching, the console, the NLU proxy) it reaches
its tier's advice through the Lambda entry point at every step of every routine."""

import json

import lambda_function
import pytest

from skill import content as content_files
from skill import envelopes
from tests import routing
from tests.conftest import LOCALES

EMERGENCIES = json.loads((routing.HERE / "emergencies.json").read_text(encoding="utf-8"))
WAYS = ("va", "console", "proxy")


def phrasings(locale: str) -> list[tuple[str, str]]:
    return [(said, sign) for said, sign in EMERGENCIES[locale[:2]]]


def advice(locale: str, sign: str) -> str:
    """The first sentence of the advice the sign's tier gives."""
    content = content_files.load(locale)
    said = content.answer(content.sign_tier(sign)).parts[0].say
    return " ".join(part for part in said if isinstance(part, str)).split(". ")[0]


def speech(body: dict) -> str:
    from tests.speech import text_of

    return text_of(body["response"]["outputSpeech"]["ssml"])


def send(event: dict) -> dict:
    return lambda_function.lambda_handler(event, None)


def routine_steps(locale: str) -> list[tuple[str, dict]]:
    """The session at every step of every routine: (where, session attributes)."""
    content = content_files.load(locale)
    starts = {
        "calf": [envelopes.launch(locale=locale)],
        "foot": [envelopes.intent("ReliefIntent", {"muscle": ("foot", "FOOT")}, locale=locale)],
        "hamstring": [envelopes.intent("ReliefIntent", {"muscle": ("hamstring", "HAMSTRING")},
                                       locale=locale)],
        "quad": [envelopes.intent("ReliefIntent", {"muscle": ("quad", "QUAD")}, locale=locale)],
        "calf_seated": [envelopes.launch(locale=locale), "CantStandIntent"],
        "foot_seated": [envelopes.intent("ReliefIntent", {"muscle": ("foot", "FOOT")},
                                         locale=locale), "CantStandIntent"],
        "quad_seated": [envelopes.intent("ReliefIntent", {"muscle": ("quad", "QUAD")},
                                         locale=locale), "CantStandIntent"],
        "bedtime": [envelopes.intent("BedtimeStretchIntent", locale=locale)],
    }
    found = []
    for name, opening in starts.items():
        attributes: dict = {}
        for request in opening:
            if isinstance(request, str):
                request = envelopes.intent(request, locale=locale, new=False,
                                           session_attributes=attributes)
            attributes = send(request).get("sessionAttributes") or {}
        for step in range(len(content.routine(name).steps)):
            found.append((f"{name} step {step + 1}", attributes))
            attributes = send(envelopes.intent("AMAZON.NextIntent", locale=locale, new=False,
                                               session_attributes=attributes)
                              ).get("sessionAttributes") or {}
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_plain_emergency_phrasing_is_a_sample_and_reaches_its_tier_three_ways(locale):
    said = [text for text, _ in phrasings(locale)]
    heard = {way: routing.HEARD[way](locale, said) for way in WAYS}
    for way in WAYS:
        for (text, sign), (intent, slots) in zip(phrasings(locale), heard[way]):
            routed = routing.heard_as_the_skill_does(locale, intent, slots)
            assert intent == routing.RED_FLAG, (way, text, intent)
            assert routing.tier_of(locale, routed.slots) == \
                content_files.load(locale).sign_tier(sign), (way, text, routed.slots)


@pytest.mark.parametrize("locale", LOCALES)
def test_at_every_step_of_every_routine_each_way_of_hearing_gives_the_tiers_advice(locale):
    said = [text for text, _ in phrasings(locale)]
    requests = {}  # what Alexa would send -> the advice it must get
    for way in WAYS:
        for (text, sign), (intent, slots) in zip(phrasings(locale),
                                                 routing.HEARD[way](locale, said)):
            key = (intent, tuple(sorted(routing.request_slots(locale, slots).items())))
            requests.setdefault(key, (text, advice(locale, sign)))
    steps = routine_steps(locale)
    assert len(steps) >= 30
    for where, attributes in steps:
        for (intent, slots), (text, wanted) in requests.items():
            body = send(envelopes.intent(intent, dict(slots), locale=locale, new=False,
                                         session_attributes=attributes))
            assert wanted in speech(body), (where, text, speech(body))

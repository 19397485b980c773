"""The routing benchmark as a test: natural phrasings, written before the grammar was
grown, reach the right intent through virtual-alexa and through the console, and
ordinary words never reach a red flag with a sign."""

import pytest

from tests import routing
from tests.conftest import ENGLISH

PHRASINGS = routing.phrasings()


def test_the_benchmark_covers_every_intent_and_locale():
    assert len(PHRASINGS) >= 200
    assert {p.locale for p in PHRASINGS} == set(ENGLISH)
    covered = {p.intent for p in PHRASINGS}
    for intent in ("SeeDoctorIntent", "PreventionIntent", "StillHurtsIntent", "CantStandIntent",
                   "RedFlagIntent", "AMAZON.NextIntent", "AMAZON.PauseIntent", "RemedyIntent"):
        assert intent in covered
    assert sum(p.probe for p in PHRASINGS) >= 15


@pytest.mark.parametrize("router, goal", [(routing.route_virtual_alexa, 0.90),
                                          (routing.route_console, 0.95)],
                         ids=["virtual-alexa", "console"])
def test_natural_phrasings_reach_their_intent_without_false_alarms(router, goal):
    report = routing.evaluate(router)
    misses = [f"{p.locale} {p.said!r} -> {r.intent} {r.slots}" for p, r in report.misses]
    assert report.rate >= goal, "\n".join(misses)
    assert report.false_alarms == 0, "\n".join(misses)


def test_ordinary_words_said_mid_routine_are_never_a_red_flag():
    probes = [p for p in PHRASINGS if p.probe]
    for router in (routing.route_virtual_alexa, routing.route_console):
        for locale in {p.locale for p in probes}:
            group = [p for p in probes if p.locale == locale]
            for phrasing, routed in zip(group, router(locale, [p.said for p in group])):
                assert routed.intent != routing.RED_FLAG, phrasing


def test_a_false_alarm_is_counted_when_it_happens():
    probe = next(p for p in PHRASINGS if p.probe)
    alarm = routing.Routed(routing.RED_FLAG, {"sign": "SWELLING"})
    question = routing.Routed(routing.RED_FLAG, {"sign": None})
    assert routing.is_false_alarm(probe, alarm) and not routing.is_false_alarm(probe, question)

"""Three ways of hearing (exact matching, the console, the NLU proxy) on the development
sets round three's grammar was grown from, and on the blind set nobody tuned for. The
blind set is only ever read as figures: a failure here names counts, never a line."""

import pytest

from tests import routing
from tests.conftest import LOCALES

# What the development sets reach (bench/run.py reports every set in full).
DEVELOPMENT_GOALS = {("va", "en"): 0.72, ("va", "es"): 0.95, ("console", "en"): 0.91,
                     ("console", "es"): 0.97, ("proxy", "en"): 0.95, ("proxy", "es"): 0.96}
DEVELOPMENT_2_GOALS = {("va", "en"): 0.86, ("va", "es"): 0.95, ("console", "en"): 0.93,
                       ("console", "es"): 0.95, ("proxy", "en"): 0.93, ("proxy", "es"): 0.94}
# Development set three is the freshest: its figures are held where the grammar's growth from
# it left them, as a floor, not as what a grown set reaches.
DEVELOPMENT_3_GOALS = {("va", "en"): 0.35, ("va", "es"): 0.34, ("console", "en"): 0.73,
                       ("console", "es"): 0.68, ("proxy", "en"): 0.91, ("proxy", "es"): 0.87}
GOALS = {"development": DEVELOPMENT_GOALS, "development_2": DEVELOPMENT_2_GOALS,
         "development_3": DEVELOPMENT_3_GOALS}
# The share of urgent phrasings reaching their tier: 0.9 on the sets the grammar grew towards
# (the plain forms reach it every time: test_emergency_walk); set three's floors as it stands.
URGENT_SHARE = {("development_3", "va"): 0.3, ("development_3", "console"): 0.7,
                ("development_3", "proxy"): 0.8}


# The attack set (attack.json) is a regression set the developers have read: its false alarms are
# held where this round left them. None exact or from the console. The NLU proxy, which puts the
# whole sentence in a sign's slot as Alexa's statistical NLU may, raised 86 on the first batch
# before the lexicon's `not_now`, 49 on the second (stories, other people's signs gone by) and
# 55 of 320 on the third, fresh (sport commentary, games, songs, television named by its title):
# a word-spotter over a whole sentence cannot tell whose sign it is or when, and the lexicon
# is not grown line by line to hide it. It keeps 59 of 1240 (the proxy is seeded, so every run
# hears alike).
ATTACK_ALARMS = {"va": 0, "console": 0, "proxy": 59}
ATTACK_SIGNS = {"va": 0.1, "console": 0.4, "proxy": 0.9}


@pytest.mark.parametrize("name", list(GOALS))
def test_the_development_sets_speak_for_every_locale_and_intent(name):
    development = routing.phrasing_set(name)
    assert {p.locale for p in development} == set(LOCALES)
    for locale in LOCALES:
        assert sum(p.locale == locale for p in development) >= 80, locale
    for language in ("en", "es"):
        said = routing.phrasing_set("development", language)
        intents = {p.intent for p in said}
        assert {"DizzyIntent", "FallIntent", "ThanksIntent", "SkipStepIntent", "OtherLegIntent",
                "RedFlagIntent", "ReliefIntent", "AMAZON.FallbackIntent"} <= intents
        assert sum(p.probe for p in said) >= 15, language


@pytest.mark.parametrize("name, way, language",
                         [(name, *key) for name, goals in GOALS.items() for key in goals])
def test_the_development_sets_are_heard_without_a_false_alarm(name, way, language):
    report = routing.evaluate(routing.ROUTERS[way],
                              phrasings_to_hear=routing.phrasing_set(name, language))
    misses = [f"{p.locale} {p.said!r} -> {r.intent} {r.slots}" for p, r in report.misses]
    assert report.rate >= GOALS[name][way, language], "\n".join(misses)
    assert report.false_alarms == 0, "\n".join(misses)
    reached, urgent = report.urgent
    assert reached >= URGENT_SHARE.get((name, way), 0.9) * urgent, (reached, urgent)


@pytest.mark.parametrize("way", ["va", "console"])
def test_no_ordinary_blind_phrasing_raises_an_alarm(way):
    for language in ("en", "es"):
        report = routing.evaluate(routing.ROUTERS[way],
                                  phrasings_to_hear=routing.phrasing_set("blind", language))
        assert report.false_alarms == 0, f"{way} {language}: {report.false_alarms} false alarms"


@pytest.mark.parametrize("name, most", [("development", 0.02), ("development_2", 0.03),
                                        ("development_3", 0.03)])
def test_the_console_is_rarely_confidently_wrong_on_the_development_sets(name, most):
    for language in ("en", "es"):
        report = routing.evaluate(routing.route_console,
                                  phrasings_to_hear=routing.phrasing_set(name, language))
        assert report.wrong_rate <= most, language


def test_the_attack_set_speaks_for_every_locale_and_sign():
    attack = routing.attack_set()
    assert {p.locale for p in attack} == set(LOCALES)
    for locale in LOCALES:
        assert sum(p.probe for p in attack if p.locale == locale) >= 60, locale
        assert sum(not p.probe for p in attack if p.locale == locale) >= 30, locale
    signs = {sign for p in attack for sign in p.slots.values()}
    assert {"CHEST_PAIN", "BREATHLESSNESS", "COUGHING_BLOOD", "FAINTING", "COLD_PALE_LEG",
            "NUMBNESS", "CANT_MOVE_LEG", "TETANUS_SIGNS", "PREECLAMPSIA_SIGNS", "SWELLING",
            "REDNESS", "WARMTH", "DARK_URINE"} <= signs


@pytest.mark.parametrize("way", ["va", "console", "proxy"])
def test_the_attack_set_raises_no_new_alarm_and_its_signs_reach_their_tier(way):
    report = routing.evaluate(routing.ROUTERS[way], phrasings_to_hear=routing.attack_set())
    alarms = [f"{p.locale} {p.said!r} -> {r.slots}" for p, r in report.misses
              if routing.is_false_alarm(p, r)]
    assert report.false_alarms <= ATTACK_ALARMS[way], "\n".join(alarms)
    reached, signs = report.urgent
    assert reached >= ATTACK_SIGNS[way] * signs, (reached, signs)

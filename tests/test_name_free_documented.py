"""Name-free entry on the request Amazon documents: a CanFulfillIntentRequest's slots
carry a name and a value and no resolutions, so the skill judges the words with its
own lexicon. Still no speech, no store and no Settings API."""

import json
from http.server import BaseHTTPRequestHandler

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests.local_http import LocalServer


class CountingStore(SQLiteAdapter):
    """A real store that counts every call made to it."""

    calls = 0

    def get_attributes(self, request_envelope):
        CountingStore.calls += 1
        return super().get_attributes(request_envelope)

    def save_attributes(self, request_envelope, attributes):
        CountingStore.calls += 1
        super().save_attributes(request_envelope, attributes)

    def delete_attributes(self, request_envelope):
        CountingStore.calls += 1
        super().delete_attributes(request_envelope)


class SettingsApi:
    """Alexa's Settings API on 127.0.0.1, counting every call."""

    def __init__(self):
        self.calls = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.calls += 1
                body = json.dumps("Europe/London").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)


@pytest.fixture
def settings_api():
    api = SettingsApi()
    yield api
    api.local.close()


def documented(name: str, slots: dict, locale: str = "en-US", api=None) -> dict:
    """The request as Amazon documents it: each slot only {name, value}."""
    body = envelopes.can_fulfill(name, {}, locale=locale, user_id=None)
    body["request"]["intent"] = {"name": name, "slots": {
        slot: {"name": slot, "value": value} for slot, value in slots.items()}}
    if api is not None:
        body["context"]["System"].update(apiEndpoint=api.local.url, apiAccessToken="token")
    return body


@pytest.fixture
def ask(tmp_path, settings_api):
    CountingStore.calls = 0
    handle = lambda_handler(persistence_adapter=CountingStore(tmp_path / "store.sqlite3"))

    def answer(name: str, locale: str = "en-US", **slots) -> dict:
        reply = handle(documented(name, slots, locale, settings_api), None)
        assert set(reply["response"]) == {"canFulfillIntent"}, reply  # no speech, no card
        return reply["response"]["canFulfillIntent"]

    yield answer
    assert CountingStore.calls == 0 and settings_api.calls == 0


@pytest.mark.parametrize("locale, slot, value", [
    ("en-US", "muscle", "calf"), ("en-US", "muscle", "left calf"),
    ("en-GB", "muscle", "the back of my thigh"), ("en-AU", "muscle", "my calves"),
    ("en-US", "muscle", "arches of my feet"),
    ("es-MX", "muscle", "chamorro"), ("es-ES", "muscle", "el gemelo"),
    ("es-US", "muscle", "la pantorrilla izquierda")])
def test_yes_for_a_known_muscle_without_resolutions(ask, locale, slot, value):
    answer = ask("ReliefIntent", locale, **{slot: value})
    assert answer == {"canFulfill": "YES",
                      "slots": {slot: {"canUnderstand": "YES", "canFulfill": "YES"}}}


@pytest.mark.parametrize("intent, slot, value", [
    ("CausesIntent", "cause", "my cholesterol tablets"),
    ("CausesIntent", "cause", "water pills"),
    ("RemedyIntent", "remedy", "magnesium"),
    ("RemedyIntent", "remedy", "a hot water bottle")])
def test_yes_for_a_known_cause_or_remedy_without_resolutions(ask, intent, slot, value):
    assert ask(intent, **{slot: value})["canFulfill"] == "YES"


@pytest.mark.parametrize("intent, slot, value", [
    ("RemedyIntent", "remedy", "cinnamon"), ("CausesIntent", "cause", "the full moon")])
def test_maybe_where_unknown_words_still_get_a_general_answer(ask, intent, slot, value):
    answer = ask(intent, **{slot: value})
    assert answer["canFulfill"] == "MAYBE"
    assert answer["slots"][slot] == {"canUnderstand": "MAYBE", "canFulfill": "YES"}


@pytest.mark.parametrize("intent, slots", [
    ("ReliefIntent", {"muscle": "elbow"}), ("ReliefIntent", {"muscle": "my neck"}),
    ("RedFlagIntent", {"sign": "swollen"}), ("RedFlagIntent", {"symptom": "chest pain"}),
    ("CrampGoneIntent", {}), ("SomeoneElsesIntent", {"muscle": "calf"})])
def test_no_otherwise(ask, intent, slots):
    assert ask(intent, **slots)["canFulfill"] == "NO"


def test_resolutions_are_used_when_they_come(tmp_path):
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(tmp_path / "store.sqlite3"))
    body = envelopes.can_fulfill("ReliefIntent", {"muscle": ("the bit below my knee", "CALF")})
    assert handle(body, None)["response"]["canFulfillIntent"]["canFulfill"] == "YES"

"""The Alexa platform: name-free CanFulfillIntentRequests, and the bedtime stretch
reminder through a local fake of Alexa's Reminders API, over real HTTP."""

import json
from http.server import BaseHTTPRequestHandler

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests.local_http import LocalServer
from tests.speech import text_of
from tests.talk import Talk

SCOPE = "alexa::alerts:reminders:skill:readwrite"


# Name-free entry.
class CountingStore(SQLiteAdapter):
    """A real store that counts every call made to it."""

    calls = 0

    def get_attributes(self, request_envelope):
        CountingStore.calls += 1
        return super().get_attributes(request_envelope)

    def save_attributes(self, request_envelope, attributes):
        CountingStore.calls += 1
        super().save_attributes(request_envelope, attributes)


@pytest.fixture
def name_free(tmp_path):
    CountingStore.calls = 0
    handle = lambda_handler(persistence_adapter=CountingStore(tmp_path / "store.sqlite3"))

    def ask(name: str, slots: dict | None = None, **options) -> dict:
        reply = handle(envelopes.can_fulfill(name, slots, **options), None)["response"]
        assert set(reply) == {"canFulfillIntent"}, reply  # no speech, no card, nothing else
        return reply["canFulfillIntent"]

    return ask


def test_name_free_yes_for_a_leg_muscle_that_resolves(name_free):
    answer = name_free("ReliefIntent", {"muscle": ("calf", "CALF")})
    assert answer == {"canFulfill": "YES",
                      "slots": {"muscle": {"canUnderstand": "YES", "canFulfill": "YES"}}}


def test_name_free_no_for_words_that_do_not_resolve(name_free):
    answer = name_free("ReliefIntent", {"muscle": "arm"})
    assert answer["canFulfill"] == "NO"
    assert answer["slots"]["muscle"] == {"canUnderstand": "NO", "canFulfill": "NO"}


def test_name_free_maybe_where_a_general_answer_is_honest(name_free):
    answer = name_free("RemedyIntent", {"remedy": "cinnamon"})
    assert answer["canFulfill"] == "MAYBE"
    assert answer["slots"]["remedy"] == {"canUnderstand": "MAYBE", "canFulfill": "YES"}
    assert name_free("RemedyIntent", {"remedy": ("magnesium", "MAGNESIUM")})["canFulfill"] == "YES"


@pytest.mark.parametrize("intent", ["CausesIntent", "SeeDoctorIntent", "BedtimeStretchIntent",
                                    "PreventionIntent", "SetStretchReminderIntent"])
def test_name_free_yes_for_what_the_skill_serves(name_free, intent):
    assert name_free(intent)["canFulfill"] == "YES"


@pytest.mark.parametrize("intent", ["CrampGoneIntent", "ForgetMeIntent", "RedFlagIntent",
                                    "AMAZON.StopIntent", "SomeoneElsesIntent"])
def test_name_free_no_for_what_only_makes_sense_in_a_conversation(name_free, intent):
    assert name_free(intent)["canFulfill"] == "NO"


def test_name_free_touches_no_store_and_needs_no_user(name_free):
    name_free("ReliefIntent", {"muscle": ("calf", "CALF")}, user_id=None)
    name_free("CausesIntent", user_id=None, with_session=False)
    assert CountingStore.calls == 0


# The reminder.
class FakeAlexaApi:
    """Alexa's Reminders and Settings APIs, on 127.0.0.1, recording each call."""

    def __init__(self):
        self.calls: list[tuple[str, str, object]] = []
        self.status: dict[str, int] = {}  # method -> status to answer with instead
        self.alerts: list[str] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: object = None):
                data = json.dumps(body if body is not None else {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                api.calls.append((self.command, self.path, body))
                assert self.headers["Authorization"].startswith("Bearer ")
                if self.path.endswith("/settings/System.timeZone"):
                    return self._answer(200, "Europe/London")
                if self.command in api.status:
                    return self._answer(api.status[self.command], {"code": "ERROR",
                                                                   "message": "x"})
                if self.command == "POST":
                    api.alerts.append(f"alert-{len(api.alerts) + 1}")
                    return self._answer(200, {"alertToken": api.alerts[-1],
                                              "status": "ON", "version": "1"})
                if self.command == "GET":
                    return self._answer(200, {"totalCount": str(len(api.alerts)),
                                              "alerts": [{"alertToken": token}
                                                         for token in api.alerts]})
                if self.command == "DELETE":
                    api.alerts.remove(self.path.rsplit("/", 1)[1])
                    return self._answer(200)
                return self._answer(404)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)
        self.url = self.local.url

    def reminders(self, method: str) -> list:
        return [call for call in self.calls
                if call[0] == method and "/v1/alerts/reminders" in call[1]]


@pytest.fixture
def alexa_api():
    api = FakeAlexaApi()
    yield api
    api.local.close()


def granted(envelope: dict) -> dict:
    envelope["context"]["System"]["user"]["permissions"] = {
        "consentToken": "consent", "scopes": {SCOPE: {"status": "GRANTED"}}}
    return envelope


def ask(api: FakeAlexaApi, envelope: dict, permission: bool = True) -> dict:
    envelope["context"]["System"].update(apiEndpoint=api.url, apiAccessToken="token")
    return lambda_handler()(granted(envelope) if permission else envelope, None)


def speech(reply: dict) -> str:
    return text_of(reply["response"]["outputSpeech"]["ssml"])


def test_a_daily_reminder_at_the_time_asked_in_the_devices_time_zone(alexa_api):
    reply = ask(alexa_api, envelopes.intent("SetStretchReminderIntent", {"time": "22:00"}))
    assert speech(reply).startswith(
        "Done. I'll remind you every day at 10 p.m. to do your bedtime stretch.")
    ((_, _, body),) = alexa_api.reminders("POST")
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE" and trigger["timeZoneId"] == "Europe/London"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    (spoken,) = body["alertInfo"]["spokenInfo"]["content"]
    assert spoken == {"locale": "en-US", "text": "Time for your bedtime stretch."}
    assert body["pushNotification"] == {"status": "ENABLED"}


def test_without_a_time_the_reminder_is_for_bedtime(alexa_api):
    assert "9:30 p.m." in speech(ask(alexa_api, envelopes.intent("SetStretchReminderIntent")))


def test_without_permission_consent_is_asked_by_voice(alexa_api):
    reply = ask(alexa_api, envelopes.intent("SetStretchReminderIntent", {"time": "21:15"}),
                permission=False)
    (directive,) = reply["response"]["directives"]
    assert directive == {"type": "Connections.SendRequest", "name": "AskFor",
                         "payload": {"@type": "AskForPermissionsConsentRequest",
                                     "@version": "1", "permissionScope": SCOPE},
                         "token": "stretch-reminder:21:15"}
    assert "outputSpeech" not in reply["response"] and alexa_api.reminders("POST") == []


def consent_answer(status: str, token: str = "stretch-reminder:21:15") -> dict:
    return envelopes.envelope({"type": "Connections.Response", "name": "AskFor",
                               "status": {"code": "200", "message": "OK"}, "token": token,
                               "payload": {"permissionScope": SCOPE, "status": status}})


def test_consent_accepted_sets_the_reminder_asked_for(alexa_api):
    reply = ask(alexa_api, consent_answer("ACCEPTED"))
    assert "every day at 9:15 p.m." in speech(reply)
    ((_, _, body),) = alexa_api.reminders("POST")
    assert "BYHOUR=21;BYMINUTE=15" in body["trigger"]["recurrence"]["recurrenceRules"][0]


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_consent_refused_says_so_and_leaves_the_permission_card(alexa_api, status):
    reply = ask(alexa_api, consent_answer(status), permission=False)
    assert speech(reply).startswith("Okay, no reminder.")
    assert reply["response"]["card"] == {"type": "AskForPermissionsConsent",
                                         "permissions": [SCOPE]}
    assert alexa_api.reminders("POST") == []


@pytest.mark.parametrize("status, words, card", [
    (401, "Alexa didn't let me set a reminder", False),
    (403, "I don't have permission to set reminders", True),
    (429, "Too many reminders were asked for just now", False),
    (500, "The reminders service isn't answering", False),
    (503, "The reminders service isn't answering", False)])
def test_each_api_failure_gets_a_clear_answer(alexa_api, status, words, card):
    alexa_api.status["POST"] = status
    reply = ask(alexa_api, envelopes.intent("SetStretchReminderIntent"))
    assert speech(reply).startswith(words)
    assert ("card" in reply["response"]) == card


def test_cancel_deletes_the_stretch_reminder(alexa_api):
    ask(alexa_api, envelopes.intent("SetStretchReminderIntent"))
    assert alexa_api.alerts == ["alert-1"]
    reply = ask(alexa_api, envelopes.intent("CancelStretchReminderIntent"))
    assert speech(reply).startswith("Done. I've cancelled your stretch reminder.")
    assert alexa_api.alerts == [] and len(alexa_api.reminders("DELETE")) == 1
    again = ask(alexa_api, envelopes.intent("CancelStretchReminderIntent"))
    assert speech(again).startswith("You don't have a stretch reminder from me.")


@pytest.mark.parametrize("status, words", [(401, "Alexa didn't let me"),
                                           (429, "Too many reminders"),
                                           (500, "The reminders service isn't answering")])
def test_cancel_failures_get_a_clear_answer(alexa_api, status, words):
    alexa_api.status["GET"] = status
    assert speech(ask(alexa_api, envelopes.intent("CancelStretchReminderIntent"))).startswith(words)


def test_a_device_without_alexas_apis_says_it_cannot(lambda_talk):
    heard = lambda_talk.intent("SetStretchReminderIntent")
    assert "can't set reminders on this device" in heard


def test_mid_routine_a_reminder_leads_back_to_the_stretch(alexa_api):
    handle = lambda_handler()

    def send(envelope):
        envelope["context"]["System"].update(apiEndpoint=alexa_api.url, apiAccessToken="t")
        return handle(granted(envelope), None)

    talk = Talk(send)
    talk.launch()  # the stretch
    heard = talk.intent("SetStretchReminderIntent")
    assert heard.speech.startswith("Done. I'll remind you every day") and not heard.ended
    assert heard.speech.endswith("Say next when you're ready, or repeat to stretch again.")


def test_by_voice_the_reminder_phrases_are_understood(open_server):
    from tests.virtual_alexa.client import converse

    set_it, cancel_it = converse(open_server.url, [
        {"utter": "remind me to stretch before bed at ten pm"},
        {"utter": "cancel my stretch reminder"}])
    # virtual-alexa's device has no Alexa APIs: the skill says so, having understood.
    assert "can't set reminders on this device" in set_it
    assert "can't set reminders on this device" in cancel_it

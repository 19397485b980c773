"""Issue 29, finding 4, and the reminders at the ends of the calendar.

Cancelling deleted the listed reminders one after another with no deadline over
them all: with twelve slow deletes the person waited twelve seconds, and Alexa
gives up after eight. Setting the daily reminder twice made two daily reminders.
A request time at the ends of the calendar, shifted into the device's time
zone, raised an OverflowError and brought the apology instead of the reminder.

A local stand-in for Alexa's Reminders and Settings APIs, over real HTTP.
"""

import json
import re
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler

import pytest

from skill import envelopes
from skill.app import lambda_handler
from tests.local_http import LocalServer
from tests.speech import assert_valid_response, text_of

SCOPE = "alexa::alerts:reminders:skill:readwrite"
ALEXA_GIVES_UP_SECONDS = 8


class RemindersApi:
    """The skill's reminders as the API keeps them (token -> the request that set
    it), its time zone, and how slowly each delete is answered."""

    def __init__(self, zone: str = "Europe/London"):
        self.zone = zone
        self.reminders: dict[str, dict] = {}
        self.deletes_begun = 0
        self.delete_seconds = 0.0
        self.made = 0
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: object = None):
                data = json.dumps(body if body is not None else {}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the skill stopped waiting
                    pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                if self.path.endswith("/settings/System.timeZone"):
                    return self._answer(200, api.zone)
                token = self.path.rsplit("/", 1)[1]
                with api.lock:
                    if self.command == "POST":
                        api.made += 1
                        token = f"alert-{api.made}"
                        api.reminders[token] = body
                        return self._answer(200, {"alertToken": token, "status": "ON"})
                    if self.command == "GET":
                        return self._answer(200, {
                            "totalCount": str(len(api.reminders)),
                            "alerts": [{"alertToken": token} for token in api.reminders]})
                    if self.command == "PUT" and token in api.reminders:
                        api.reminders[token] = body
                        return self._answer(200, {"alertToken": token, "status": "ON"})
                    if self.command == "DELETE":
                        api.deletes_begun += 1
                if self.command == "DELETE" and token in api.reminders:
                    time.sleep(api.delete_seconds)
                    with api.lock:
                        api.reminders.pop(token, None)
                    return self._answer(200)
                return self._answer(404, {"code": "NOT_FOUND"})

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)
        self.url = self.local.url

    def rules(self) -> list[str]:
        return [rule for body in self.reminders.values()
                for rule in body["trigger"]["recurrence"]["recurrenceRules"]]


@pytest.fixture
def api():
    stand_in = RemindersApi()
    yield stand_in
    stand_in.local.close()


def ask(api: RemindersApi, envelope: dict) -> tuple[str, float]:
    """What the skill says to a request from a device with reminders granted, and
    how long the person waited for it."""
    envelope["context"]["System"].update(apiEndpoint=api.url, apiAccessToken="token")
    envelope["context"]["System"]["user"]["permissions"] = {
        "consentToken": "consent", "scopes": {SCOPE: {"status": "GRANTED"}}}
    started = time.monotonic()
    answer = lambda_handler()(envelope, None)
    waited = time.monotonic() - started
    assert_valid_response(answer)
    return text_of(answer["response"]["outputSpeech"]["ssml"]), waited


def set_at(api: RemindersApi, at: str, **options) -> str:
    return ask(api, envelopes.intent("SetStretchReminderIntent", {"time": at}, **options))[0]


def test_setting_the_reminder_twice_keeps_one_daily_reminder_at_the_last_time(api):
    assert set_at(api, "22:00").startswith("Done. I'll remind you every day at 10 p.m.")
    assert set_at(api, "21:15").startswith("Done. I'll remind you every day at 9:15 p.m.")
    assert set_at(api, "21:15").startswith("Done. I'll remind you every day at 9:15 p.m.")
    assert api.rules() == ["FREQ=DAILY;BYHOUR=21;BYMINUTE=15;BYSECOND=0;INTERVAL=1"]


def test_setting_it_again_clears_the_duplicates_made_before(api):
    for token in ("alert-a", "alert-b", "alert-c"):  # as the skill used to leave them
        api.reminders[token] = {"trigger": {"recurrence": {"recurrenceRules": [
            "FREQ=DAILY;BYHOUR=21;BYMINUTE=30;BYSECOND=0;INTERVAL=1"]}}}
    assert set_at(api, "22:30").startswith("Done. I'll remind you every day at 10:30 p.m.")
    assert api.rules() == ["FREQ=DAILY;BYHOUR=22;BYMINUTE=30;BYSECOND=0;INTERVAL=1"]


def test_cancelling_many_slow_reminders_answers_before_alexa_gives_up(api):
    for index in range(12):
        api.reminders[f"alert-{index}"] = {}
    api.delete_seconds = 1.0
    said, waited = ask(api, envelopes.intent("CancelStretchReminderIntent"))
    assert waited < ALEXA_GIVES_UP_SECONDS, f"answered after {waited:.1f} s"
    assert said.startswith("The reminders service isn't answering right now.")
    assert "cancelled" not in said
    begun = api.deletes_begun
    time.sleep(2.5)  # what is left running finishes its delete and begins no other
    assert api.deletes_begun == begun < 12
    # Asked again, the rest are deleted, within the same deadline, and it says so.
    api.delete_seconds = 0.0
    said, waited = ask(api, envelopes.intent("CancelStretchReminderIntent"))
    assert said.startswith("Done. I've cancelled your stretch reminder.")
    assert api.reminders == {}


@pytest.mark.parametrize("moment, zone", [
    ("9999-12-31T23:59:59Z", "Asia/Tokyo"),  # a day past the calendar's end in Tokyo
    ("0001-01-01T00:00:00Z", "America/New_York")])  # the day before its start
def test_a_reminder_at_the_ends_of_the_calendar_is_still_set(moment, zone):
    api = RemindersApi(zone)
    try:
        envelope = envelopes.intent("SetStretchReminderIntent", {"time": "22:00"})
        envelope["request"]["timestamp"] = moment
        said, _ = ask(api, envelope)
    finally:
        api.local.close()
    assert said.startswith("Done. I'll remind you every day at 10 p.m.")
    (body,) = api.reminders.values()
    assert body["trigger"]["timeZoneId"] == zone
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", body["requestTime"])
    datetime.fromisoformat(body["requestTime"])

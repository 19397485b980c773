"""Night voice: softer and slower between 22:00 and 06:00 in the device's time zone,
read from a local stub of Alexa's Settings API; normal, and quick, when it fails."""

import json
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler

import pytest

from skill.app import build_skill_builder
from tests.local_http import LocalServer
from tests.talk import Talk

SOFT = '<prosody volume="soft" rate="90%">'


class SettingsStub:
    """Answers GET /v2/devices/{id}/settings/System.timeZone like Alexa's Settings API."""

    def __init__(self):
        self.mode = "ok"
        self.zone = "America/New_York"
        self.calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stub.calls += 1
                assert self.path.endswith("/settings/System.timeZone")
                assert self.headers["Authorization"].startswith("Bearer ")
                if stub.mode == "hang":
                    time.sleep(3)
                if stub.mode == "drip":  # every read's timeout restarts with each byte
                    self.send_response(200)
                    self.send_header("Content-Length", "200")
                    self.end_headers()
                    for _ in range(20):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.5)
                    return
                status, body = (200, json.dumps(stub.zone)) if stub.mode == "ok" else (500, "{}")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)
        self.url = self.local.url

    def close(self):
        self.local.close()


@pytest.fixture
def settings_api():
    stub = SettingsStub()
    yield stub
    stub.close()


def talk_at(stub: SettingsStub, utc_hour: int) -> Talk:
    """A conversation with a fresh skill (no cached time zone) at an hour of the day, UTC."""
    handler = build_skill_builder().lambda_handler()
    return Talk(lambda event: handler(event, None),
                start=datetime(2026, 11, 22, utc_hour, 0, tzinfo=timezone.utc),
                api_endpoint=stub.url)


def ssml(heard) -> str:
    return heard.body["response"]["outputSpeech"]["ssml"]


def test_soft_voice_at_three_in_the_morning_local_time(settings_api):
    heard = talk_at(settings_api, 8).launch()  # 08:00 UTC is 03:00 in New York
    assert ssml(heard).startswith(f"<speak>{SOFT}")
    assert SOFT in heard.body["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert heard.speech.startswith("Let's ease that cramp.")


def test_normal_voice_at_three_in_the_afternoon_local_time(settings_api):
    heard = talk_at(settings_api, 20).launch()  # 20:00 UTC is 15:00 in New York
    assert "prosody" not in ssml(heard)


def test_the_time_zone_decides_not_utc(settings_api):
    settings_api.zone = "Asia/Tokyo"
    assert SOFT in ssml(talk_at(settings_api, 17).launch())  # 02:00 in Tokyo
    assert "prosody" not in ssml(talk_at(settings_api, 3).launch())  # 12:00 in Tokyo


@pytest.mark.parametrize("mode", ["error", "hang", "drip"])
def test_a_failing_settings_api_means_normal_voice_and_no_long_wait(settings_api, mode):
    settings_api.mode = mode
    talk = talk_at(settings_api, 8)
    started = time.monotonic()
    heard = talk.launch()
    assert time.monotonic() - started < 2
    assert "prosody" not in ssml(heard)
    assert heard.speech.startswith("Let's ease that cramp.")


def test_the_time_zone_is_cached_per_device(settings_api):
    talk = talk_at(settings_api, 8)
    talk.launch()
    talk.intent("AMAZON.NextIntent")
    repeat = talk.intent("AMAZON.RepeatIntent")
    assert settings_api.calls == 1
    assert ssml(repeat).startswith(f"<speak>{SOFT}")


def test_without_an_api_endpoint_the_voice_is_normal(lambda_talk):
    assert "prosody" not in lambda_talk.launch().body["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("slot", [{"sign": ("swollen", "SWELLING")},
                                  {"symptom": ("pain", "CHEST_PAIN")}])
def test_urgent_and_emergency_advice_is_never_softened_at_night(settings_api, slot):
    talk = talk_at(settings_api, 8)  # 03:00 in New York
    assert SOFT in ssml(talk.launch())
    advice = talk.intent("RedFlagIntent", **slot)
    assert "prosody" not in ssml(advice)
    assert "prosody" not in advice.body["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert "prosody" not in ssml(talk.intent("AMAZON.RepeatIntent"))


def test_the_long_cramp_advice_is_not_softened_at_night(settings_api):
    talk = talk_at(settings_api, 8)
    talk.launch()
    talk.wait(11)
    assert "prosody" not in ssml(talk.intent("StillHurtsIntent"))
    assert "prosody" not in ssml(talk.intent("AMAZON.NoIntent"))


@pytest.mark.parametrize("intent, slots", [("SeeDoctorIntent", {}),
                                           ("CausesIntent", {"cause": ("pregnant", "PREGNANCY")}),
                                           ("CausesIntent", {"cause": ("statins", "STATINS")})])
def test_serious_answers_are_never_softened_at_night_and_the_disclaimer_waits(settings_api,
                                                                                intent, slots):
    talk = talk_at(settings_api, 8)  # 03:00 in New York
    heard = talk.intent(intent, **slots)
    assert "prosody" not in ssml(heard) and "not medical advice" not in heard
    assert "prosody" not in ssml(talk.intent("AMAZON.RepeatIntent"))
    calm = talk.intent("DurationIntent")
    assert SOFT in ssml(calm) and "not medical advice" in calm


def test_the_bedtime_stretch_at_night_says_sleep_well_once_and_lets_people_sleep(settings_api):
    talk = talk_at(settings_api, 8)
    talk.intent("BedtimeStretchIntent")
    done = talk.intent("AMAZON.NextIntent")
    assert done.ended and done.speech.endswith("Sleep well.")
    assert done.speech.count("Sleep well") == 1

"""Issue 29, findings 5, 12 and 13: the Settings API's answer is bounded and
checked within its deadline, a time zone name is checked before it is looked up,
an endpoint is logged only as its scheme and host, and night is told without
ever raising at the ends of the calendar."""

import json
import logging
import threading
import zoneinfo
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.clock import is_night_at
from tests.local_http import LocalServer
from tests.speech import assert_valid_response

SOFT = '<prosody volume="soft" rate="90%">'
FIRST_STEP = "<speak>Let's ease that cramp."
HUGE = 32 * 1024 * 1024
THREE_AM_IN_NEW_YORK = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)


class SettingsStandIn:
    """The Settings API's time zone answer, as `answer(handler)` writes it.
    `finished` is set once an answer has been written, or the skill hung up."""

    def __init__(self):
        self.answer = None
        self.finished = threading.Event()
        self.delivered_all = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                try:
                    stand_in.answer(self)
                    stand_in.delivered_all = True
                except OSError:  # the skill hung up before the end of the answer
                    stand_in.delivered_all = False
                finally:
                    stand_in.finished.set()

            def log_message(self, *args):
                pass

        self.local = LocalServer(Handler)
        self.url = self.local.url

    def answering(self, answer) -> "SettingsStandIn":
        self.answer, self.delivered_all = answer, None
        self.finished.clear()
        return self


@pytest.fixture(scope="module")
def settings_api():
    stand_in = SettingsStandIn()
    yield stand_in
    stand_in.local.close()


def zone_answer(name):
    def answer(handler):
        body = json.dumps(name).encode("utf-8", "surrogatepass")
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def huge_answer(declared: bool):
    """A good time zone name, then 32 MB of JSON whitespace: valid, and huge."""
    def answer(handler):
        head = b'"America/New_York"'
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declared:
            handler.send_header("Content-Length", str(len(head) + HUGE))
        handler.end_headers()
        handler.wfile.write(head)
        chunk = b" " * (1024 * 1024)
        for _ in range(HUGE // len(chunk)):
            handler.wfile.write(chunk)

    return answer


def launch(stand_in, at=THREE_AM_IN_NEW_YORK, device_id="amzn1.ask.device.ZONE"):
    reply = lambda_handler()(envelopes.launch(api_endpoint=stand_in.url, timestamp=at,
                                              device_id=device_id), None)
    assert_valid_response(reply)
    return reply["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_a_huge_settings_answer_is_refused_unread_and_the_first_step_spoken(
        settings_api, declared):
    stand_in = settings_api.answering(huge_answer(declared))
    ssml = launch(stand_in)
    assert stand_in.finished.wait(30)
    assert ssml.startswith(FIRST_STEP)  # in the normal voice: the answer was refused
    assert stand_in.delivered_all is False, "the whole huge answer was read"


ODD_NAMES = ["../../../../etc/passwd", "/etc/localtime", "America/New_York\u0000", "",
             "A" * 10_000, "zone.tab", "tzdata.zi", "America", "America/", "Etc/../UTC",
             "\ud800", "America/New_York\n", " UTC", "Europe/Lon don", "a/b/c/d/e/f",
             ["America/New_York"], {"zone": "UTC"}, 7, None, [[[[[[[[[[]]]]]]]]]]]


@pytest.mark.parametrize("name", ODD_NAMES, ids=lambda name: ascii(name)[:30])
def test_an_odd_zone_name_is_refused_and_the_first_step_spoken(settings_api, name, caplog):
    with caplog.at_level(logging.WARNING, logger="skill"):
        ssml = launch(settings_api.answering(zone_answer(name)))
    assert ssml.startswith(FIRST_STEP)
    assert "Traceback" not in caplog.text and "A" * 100 not in caplog.text


def test_every_iana_zone_name_is_still_accepted(settings_api):
    """The shape check refuses none of the real names: 3 a.m. there is night."""
    names = sorted(zoneinfo.available_timezones())
    refused = []
    for index, name in enumerate(names):
        local = datetime(2026, 11, 22, 3, 0, tzinfo=zoneinfo.ZoneInfo(name))
        ssml = launch(settings_api.answering(zone_answer(name)),
                      at=local.astimezone(timezone.utc), device_id=f"amzn1.ask.device.Z{index}")
        if not ssml.startswith(f"<speak>{SOFT}"):
            refused.append(name)
    assert len(names) > 300 and refused == []


SECRET_DEVICE = "amzn1.ask.device.SECRETDEVICE"


@pytest.mark.parametrize("endpoint", [
    "ftp://api.amazonalexa.com", "http://api.amazonalexa.com",
    "http://" + "x" * 5000 + ".example", "https://[::1", "http://127.0.0.1:9/x y",
    "javascript:alert(1)"], ids=["ftp", "http", "long-host", "broken-ipv6", "space-in-path",
                                 "no-host"])
def test_a_refused_endpoint_is_logged_as_its_scheme_and_host_only(endpoint, caplog):
    with caplog.at_level(logging.WARNING, logger="skill"):
        reply = lambda_handler()(envelopes.launch(api_endpoint=endpoint,
                                                  device_id=SECRET_DEVICE), None)
    assert_valid_response(reply)
    assert reply["response"]["outputSpeech"]["ssml"].startswith(FIRST_STEP)
    assert "SECRETDEVICE" not in caplog.text and "/v2/devices" not in caplog.text
    assert caplog.records and all(len(record.getMessage()) <= 300 for record in caplog.records)


UTC = timezone.utc
NEW_YORK, TOKYO = zoneinfo.ZoneInfo("America/New_York"), zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("timestamp, zone", [
    (datetime(1, 1, 1, tzinfo=UTC).timestamp(), NEW_YORK),  # shifted into year 0
    (datetime(9999, 12, 31, 23, 0, tzinfo=UTC).timestamp(), TOKYO),  # into year 10000
    (1e300, NEW_YORK), (-1e300, TOKYO), (float("nan"), NEW_YORK), (float("inf"), TOKYO),
    ("yesterday", NEW_YORK), (THREE_AM_IN_NEW_YORK.timestamp(), None),
])
def test_is_night_at_the_ends_of_the_calendar_is_false_and_never_raises(timestamp, zone):
    assert is_night_at(timestamp, zone) is False


def test_is_night_at_tells_night_from_day():
    assert is_night_at(THREE_AM_IN_NEW_YORK.timestamp(), NEW_YORK) is True
    assert is_night_at((THREE_AM_IN_NEW_YORK + timedelta(hours=9)).timestamp(), NEW_YORK) is False
    assert is_night_at(datetime(1, 1, 1, 23, 0, tzinfo=UTC).timestamp(), UTC) is True
    assert is_night_at(datetime(9999, 12, 31, 13, 30, tzinfo=UTC).timestamp(), TOKYO) is True

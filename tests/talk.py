"""A conversation with the skill through one of its entry points, turn by turn,
carrying the session attributes the way Alexa does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from skill import envelopes
from tests.speech import assert_safe_speech, assert_valid_response, text_of
from tests.ssml_check import assert_passes_ssml_check

NIGHT = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)


@dataclass
class Heard:
    body: dict

    @property
    def speech(self) -> str:
        return text_of(self.body["response"]["outputSpeech"]["ssml"])

    @property
    def reprompt(self) -> Optional[str]:
        reprompt = self.body["response"].get("reprompt")
        return text_of(reprompt["outputSpeech"]["ssml"]) if reprompt else None

    @property
    def ended(self) -> bool:
        return self.body["response"].get("shouldEndSession") is not False

    def __contains__(self, words: str) -> bool:
        return words.lower() in self.speech.lower()


class Talk:
    def __init__(self, send: Callable[[dict], dict], locale: str = "en-US",
                 start: datetime = NIGHT, **envelope_options):
        self.send = send
        self.locale = locale
        self.clock = start
        self.attributes: dict = {}
        self.new = True
        self.options = envelope_options

    def _turn(self, request: dict) -> Heard:
        body = self.send(request)
        assert_valid_response(body)
        assert_passes_ssml_check(body, self.locale)
        heard = Heard(body)
        assert_safe_speech(f"{heard.speech} {heard.reprompt or ''}")
        self.attributes = body.get("sessionAttributes") or {}
        self.new = False
        return heard

    def _common(self) -> dict:
        return dict(locale=self.locale, timestamp=self.clock,
                    session_attributes=self.attributes, **self.options)

    def launch(self) -> Heard:
        options = self._common()
        options.pop("session_attributes")
        return self._turn(envelopes.launch(**options))

    def intent(self, name: str, **slots) -> Heard:
        return self._turn(envelopes.intent(name, slots, new=self.new, **self._common()))

    def wait(self, minutes: float) -> None:
        self.clock += timedelta(minutes=minutes)

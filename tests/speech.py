"""Checks on what Alexa would say: valid SSML within Alexa's limits, and its text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

ALLOWED_TAGS = {"speak", "break", "prosody", "amazon:effect", "say-as", "s", "p", "audio"}
# Alexa's own sound library only; at most five sounds in one response.
SOUND_LIBRARY = "soundbank://soundlibrary/"


def assert_valid_ssml(ssml: str) -> None:
    assert len(ssml) < 8000, f"SSML of {len(ssml)} characters"
    root = ElementTree.fromstring(ssml.replace("amazon:effect", "amazon-effect"))
    assert root.tag == "speak"
    for element in root.iter():
        assert element.tag.replace("amazon-effect", "amazon:effect") in ALLOWED_TAGS, element.tag
        if element.tag == "break":
            time = re.fullmatch(r"(\d+)(s|ms)", element.get("time", ""))
            assert time, element.get("time")
            milliseconds = int(time[1]) * (1000 if time[2] == "s" else 1)
            assert 0 < milliseconds <= 10_000, element.get("time")
        if element.tag == "audio":
            assert element.get("src", "").startswith(SOUND_LIBRARY), element.get("src")
            assert not list(element), "a sound is never inside other speech"
    assert len(root.findall(".//audio")) <= 5, "more than five sounds"
    assert not root.findall(".//prosody//audio"), "a sound inside the night voice's prosody"


def text_of(ssml: str) -> str:
    """The words of the speech, with holds shown as (pause N s) and sounds as (chime)."""
    text = re.sub(r'<break time="(\d+)s"/>', r"(pause \1 s)", ssml)
    text = re.sub(r'<break time="(\d+)00ms"/>', lambda found: f"(pause {int(found[1]) / 10:g} s)",
                  text)
    text = re.sub(r'<audio src="[^"]*chime[^"]*"/>', "(chime)", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&lt;", "<")
                  .replace("&gt;", ">")).strip()


def assert_valid_response(body: dict) -> None:
    """A response envelope Alexa accepts; open sessions always carry a reprompt."""
    assert body["version"] == "1.0"
    response = body["response"]
    if "outputSpeech" in response:
        assert response["outputSpeech"]["type"] == "SSML"
        assert_valid_ssml(response["outputSpeech"]["ssml"])
    if response.get("shouldEndSession") is False:
        assert_valid_ssml(response["reprompt"]["outputSpeech"]["ssml"])


# Magnesium and quinine may be named only in the brief's own warnings (Cochrane-Mg, FDA-quinine).
ALLOWED_MENTIONS = [
    re.compile(r"Magnesium probably doesn't help cramps in older adults\."),
    re.compile(r"Don't take quinine, or drink tonic water as a remedy, unless a doctor "
               r"prescribes it\."),
]
FORBIDDEN = [
    (re.compile(r"quinine|tonic water", re.I), "quinine is never suggested"),
    (re.compile(r"magnesium", re.I), "magnesium is never recommended"),
    (re.compile(r"\b(I|I'll|I will|I can|I'm going to|let me|shall I)\s+(call|contact|phone|dial|ring)\b",
                re.I), "the skill never offers to call or contact anyone"),
    (re.compile(r"\b(call|contact|phone|ring)\w*\b[^.]{0,40}\bfor you\b|\bI'm (calling|contacting)\b",
                re.I), "the skill never offers to call or contact anyone"),
]


def assert_safe_speech(text: str) -> None:
    for allowed in ALLOWED_MENTIONS:
        text = allowed.sub(" ", text)
    for pattern, rule in FORBIDDEN:
        assert not pattern.search(text), f"{rule}: {text!r}"


def spoken_ms(ssml: str, locale: str = "en-US", night: bool = False) -> float:
    """How long speech takes, timed as the skill's cards time it (skill/display/pace.py,
    calibrated against espeak-ng)."""
    from skill.display.pace import seconds_of

    return seconds_of(ssml, locale, night) * 1000

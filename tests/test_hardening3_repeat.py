"""Issue 29, finding 8: "repeat" speaks again only what Alexa can say.

What was last said comes back in the session, and was checked for its markup but
not its characters or its length as sent: a control character, U+FFFE or a lone
surrogate made invalid SSML, and a text just under the limit (or with six
sounds) ended in the apology. Now a valid response, never the apology; and no
such character reaches speech from any source.
"""

import json
import xml.etree.ElementTree as ElementTree

import pytest

from skill import envelopes
from skill.app import lambda_handler
from skill.speech import MAX_SSML_CHARS, escape, finish, is_safe_inner, render
from skill.webservice import create_app
from tests.speech import assert_valid_response, text_of
from tests.ssml_check import assert_passes_ssml_check

MID_ROUTINE = json.dumps({"routine": {"name": "calf", "step": 1, "muscle": "calf"}})
CHIME = '<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"/>'
NOT_XML = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800", "\udfff",
           "\ud83d", "\ufffe", "\uffff"]
APOLOGY = "Sorry, I had a problem there."


def answers(attributes: dict) -> list[dict]:
    """AMAZON.RepeatIntent with these session attributes, through both edges."""
    event = envelopes.intent("AMAZON.RepeatIntent", session_attributes=attributes)
    body = json.dumps(event).encode("utf-8", "surrogatepass")
    reply = create_app(verify=False).test_client().post(
        "/", data=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200
    return [reply.get_json(), lambda_handler()(event, None)]


def assert_said_well(answer: dict) -> None:
    assert_valid_response(answer)
    assert_passes_ssml_check(answer, "en-US")
    speech = text_of(answer["response"]["outputSpeech"]["ssml"])
    assert APOLOGY not in speech, speech


@pytest.mark.parametrize("character", NOT_XML, ids=ascii)
@pytest.mark.parametrize("where", ["cramp_coach_said", "cramp_coach_reprompt"])
def test_repeat_never_speaks_a_character_xml_cannot_carry(character, where):
    attributes = {"cramp_coach": MID_ROUTINE, "cramp_coach_said": "Stand on the leg.",
                  "cramp_coach_reprompt": "Say next."}
    attributes[where] = f"Stand on the leg.{character} Good."
    for answer in answers(attributes):
        assert_said_well(answer)


@pytest.mark.parametrize("said", [
    "a " * 3995,  # 7,990 characters: over the limit once inside <speak>
    "Hold it. " * 886,  # 7,974: over it in the night voice
    f"Hold it. {CHIME}" * 6,  # six sounds: Alexa plays five at most
], ids=["just-under-the-limit", "under-it-by-day", "six-sounds"])
def test_repeat_of_what_could_not_be_sent_is_no_apology(said):
    for answer in answers({"cramp_coach": MID_ROUTINE, "cramp_coach_said": said}):
        assert_said_well(answer)


def test_what_can_be_sent_is_still_repeated_word_for_word():
    said = f'Hold it. <break time="10s"/> {CHIME} And relax.'
    for answer in answers({"cramp_coach": MID_ROUTINE, "cramp_coach_said": said,
                           "cramp_coach_reprompt": "Say next."}):
        assert_said_well(answer)
        assert answer["response"]["outputSpeech"]["ssml"] == f"<speak>{said}</speak>"


def test_the_length_check_counts_what_will_be_sent():
    room = MAX_SSML_CHARS - len("<speak></speak>")  # what finish() allows inside <speak>
    assert is_safe_inner("a" * (room - 1), night=False)
    assert not is_safe_inner("a" * room, night=False)  # exactly 8,000 in all: refused
    night = len(finish("a", night=True)) - 1  # the night voice's prosody around the text
    assert is_safe_inner("a" * (room - 1 - night))
    assert not is_safe_inner("a" * (room - night))  # fits by day, not at night
    assert not is_safe_inner(CHIME * 6) and is_safe_inner(CHIME * 5)


@pytest.mark.parametrize("character", NOT_XML, ids=ascii)
def test_no_character_xml_cannot_carry_reaches_speech_from_any_text(character):
    text = f"Rub the{character} muscle & <breathe>{character}"
    inner = render([text, "x" * 500 + character])  # short text is cached, long is not
    ElementTree.fromstring(f"<speak>{inner}</speak>")
    assert character not in inner and is_safe_inner(inner)
    assert escape(text) == "Rub the muscle &amp; &lt;breathe&gt;"

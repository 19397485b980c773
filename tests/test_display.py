"""Screens: a dark card of every step (its words, step n of m, a drawing, a countdown
during a hold), cards for answers and urgent advice, touch buttons that run the same
routine code as voice, validation by Amazon's APL linter; nothing for devices
without a screen, at no cost to them."""

import json
import re
import subprocess
import sys

import pytest

from skill import content as content_files
from skill import envelopes
from skill.app import lambda_handler
from skill.speech import escape
from tests.conftest import ROOT
from tests.speech import spoken_ms
from tests.talk import Talk

CONTENT = content_files.load("en-US")
DOCUMENTS = ROOT / "skill" / "display" / "documents"
DRAWINGS = json.loads((ROOT / "skill" / "display" / "drawings.json").read_text())
ROUTINES = ["calf", "calf_seated", "foot", "hamstring", "quad", "both", "helper", "bedtime"]


def talk(screen: str | None = "hub_large", locale: str = "en-US") -> Talk:
    handle = lambda_handler()
    return Talk(lambda event: handle(event, None), locale=locale, screen=screen)


def card_of(heard) -> dict:
    (directive,) = heard.body["response"]["directives"]
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    return directive


def payload(heard) -> dict:
    return card_of(heard)["datasources"]["payload"]


def start(conversation: Talk, routine: str):
    if routine == "bedtime":
        return conversation.intent("BedtimeStretchIntent")
    if routine == "calf_seated":  # "I can't stand" before anything: the seated routine
        return conversation.intent("CantStandIntent")
    if routine == "both":
        return conversation.intent("ReliefIntent", legs=("both legs", "BOTH"))
    if routine == "helper":
        return conversation.intent("ReliefIntent", person=("my dad", "HIM"))
    return conversation.intent("ReliefIntent", muscle=(routine, routine.upper()))


def every_step(routine: str, screen: str = "hub_large"):
    """Each step of a routine as heard on a screen, with the step it is."""
    conversation = talk(screen)
    heard = start(conversation, routine)
    steps = CONTENT.routine(routine).steps
    for index, step in enumerate(steps):
        if index and not steps[index - 1].flows:  # a flowing step runs on in the same answer
            heard = conversation.intent("AMAZON.NextIntent")
        yield step, heard


# Devices without a screen.
def test_without_a_screen_no_card_is_sent():
    conversation = talk(screen=None)
    for heard in (conversation.launch(), conversation.intent("AMAZON.NextIntent"),
                  conversation.intent("CausesIntent"),
                  conversation.intent("RedFlagIntent", sign=("chest pain", "CHEST_PAIN"))):
        assert "directives" not in heard.body["response"]


def test_without_a_screen_the_apl_code_is_never_imported():
    code = ("import sys, json; sys.path.insert(0, 'lambda'); import lambda_function\n"
            "from skill import envelopes\n"
            "lambda_function.lambda_handler(envelopes.launch(), None)\n"
            "print(json.dumps(sorted(name for name in sys.modules if name.startswith((\n"
            "    'skill.display', 'ask_sdk_model.interfaces.alexa.presentation')))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    assert json.loads(loaded) == []


def ssml(heard) -> str:
    return heard.body["response"]["outputSpeech"]["ssml"]


def spoken_hold(heard, step, after: int = 0) -> str:
    """A step's hold as spoken: from its first mark up to its chime (or its end)."""
    speech = ssml(heard)
    start = speech.index(escape(step.hold.say[0]), after)
    chime = speech.find("<audio ", start)
    return speech[start:chime if chime >= 0 else speech.index(escape(step.prompt), start)]


# Every step's card.
@pytest.mark.parametrize("routine", ROUTINES)
def test_every_step_has_a_card_in_the_words_spoken(routine):
    steps = CONTENT.routine(routine).steps
    previous = None
    for number, (step, heard) in enumerate(every_step(routine), start=1):
        if heard is not previous:  # steps that flow share one answer: it shows the first
            shown, shown_number, shown_step = payload(heard)["card"], number, step
        previous = heard
        words = [segment for segment in step.words if isinstance(segment, str)]
        assert all(sentence in heard.speech for sentence in words)
        shown_words = [segment for segment in shown_step.words if isinstance(segment, str)]
        assert shown["text"] == " ".join(shown_words)
        assert shown["progress"] == f"Step {shown_number} of {len(steps)}"
        assert shown["drawing"] == DRAWINGS["steps"][shown_step.id]
        assert shown["drawing"] in card_of(heard)["document"]["graphics"]
        if shown_step.hold:  # the screen counts from the hold's first silence to its chime
            hold = spoken_hold(heard, shown_step)
            counted = spoken_ms(hold) - spoken_ms(escape(shown_step.hold.say[0]))
            assert abs(shown["countdown"]["seconds"] - counted / 1000) <= 1, step.id
        else:
            assert shown["countdown"]["seconds"] == 0
        events = [button["event"] for button in shown["buttons"]]
        assert "next" in events and "repeat" in events
        assert ("back" in events) == (shown_number > 1)


def test_the_countdown_starts_when_the_spoken_hold_does_and_shows_what_the_voice_counts():
    conversation = talk()
    stretch = conversation.launch()
    countdown = payload(stretch)["card"]["countdown"]
    # About 19 words and the hold's first words come before its first silence, where the
    # count starts; it moves on the first tick after startAfterMs, once a second.
    begin = countdown["startAfterMs"] / 1000 - 1
    assert 6 <= begin <= 10 and 22 <= countdown["seconds"] <= 25
    speech = ssml(stretch)
    for mark, left in [("Twenty more seconds.", 20), ("Fifteen more.", 15), ("Ten more.", 10),
                       ("Five more.", 5)]:
        said_at = spoken_ms(speech[:speech.index(mark)]) / 1000
        shown = countdown["seconds"] - (said_at - begin)
        assert abs(shown - left) <= 1, (mark, shown)
    brief = conversation.intent("CausesIntent") and conversation.intent("AMAZON.ResumeIntent")
    assert payload(brief)["card"]["countdown"]["seconds"] == 0  # no hold spoken, none shown
    again = payload(conversation.intent("AMAZON.RepeatIntent"))["card"]["countdown"]
    assert again["seconds"] == countdown["seconds"] and again["startAfterMs"] >= 3_000


@pytest.mark.parametrize("screen, layout", [("round", "round"), ("hub_small", "hub_small"),
                                            ("hub_large", "hub_large"), ("tv", "tv")])
def test_text_is_sized_for_each_kind_of_screen(screen, layout):
    styles = json.loads((ROOT / "skill" / "display" / "styles.json").read_text())["layouts"]
    heard = talk(screen).launch()
    assert payload(heard)["style"] == styles[layout]
    if layout == "round":
        assert styles[layout]["drawingSize"] == "0dp"  # no room for a drawing on a small circle


def test_answers_and_urgent_advice_get_cards_with_the_local_number():
    conversation = talk(locale="en-GB")
    conversation.launch()
    answer = payload(conversation.intent("CausesIntent"))["card"]
    assert answer["text"].startswith(content_files.load("en-GB").answer("causes").parts[0]
                                     .say[0].split(".")[0])
    assert [button["event"] for button in answer["buttons"]] == ["continue"]
    urgent = conversation.intent("RedFlagIntent", symptom=("chest pain", "CHEST_PAIN"))
    assert card_of(urgent)["document"]["description"].startswith("Urgent or emergency advice")
    assert payload(urgent)["card"]["number"] == "999"
    assert "nine nine nine" in payload(urgent)["card"]["text"]
    clot = talk(locale="en-US")
    clot.launch()
    shown = payload(clot.intent("RedFlagIntent", sign=("swollen", "SWELLING")))["card"]
    assert shown["number"] == ""  # urgent, not an emergency: no number to call shown large


# Touch.
@pytest.mark.parametrize("event, intent", [("next", "AMAZON.NextIntent"),
                                           ("repeat", "AMAZON.RepeatIntent"),
                                           ("back", "AMAZON.PreviousIntent"),
                                           ("cant_stand", "CantStandIntent")])
def test_a_button_does_what_the_same_words_do(event, intent):
    by_voice, by_touch = talk(), talk()
    for conversation in (by_voice, by_touch):
        conversation.launch()
        for _ in range(3 if event == "cant_stand" else 1):  # "I can't stand" at the standing step
            conversation.intent("AMAZON.NextIntent")
    spoken = by_voice.intent(intent)
    touched = by_touch._turn(envelopes.touch(event, **by_touch._common()))
    assert touched.speech == spoken.speech
    assert json.loads(by_touch.attributes["cramp_coach"])["routine"] == \
        json.loads(by_voice.attributes["cramp_coach"])["routine"]
    assert payload(touched) == payload(spoken)


def test_back_to_my_stretch_button_after_a_question():
    conversation = talk()
    conversation.launch()
    conversation.intent("CausesIntent")
    back = conversation._turn(envelopes.touch("continue", **conversation._common()))
    assert back.speech.startswith("Let's carry on.") and "pull your toes" in back


def test_an_unknown_touch_event_says_nothing():
    reply = lambda_handler()(envelopes.touch("launch-the-missiles", screen="hub_large"), None)
    assert reply["response"] == {} or "outputSpeech" not in reply["response"]


# The documents.
def documents_and_drawings() -> list[tuple[str, object]]:
    found = [(path.name, json.loads(path.read_text())) for path in DOCUMENTS.glob("*.json")]
    return found + [("drawings.json", DRAWINGS)]


def colours(node) -> list[str]:
    if isinstance(node, dict):
        return [found for value in node.values() for found in colours(value)]
    if isinstance(node, list):
        return [found for value in node for found in colours(value)]
    return re.findall(r"#[0-9A-Fa-f]{6}\b", node) if isinstance(node, str) else []


def test_dark_and_dim_nothing_bright_white():
    for name, document in documents_and_drawings():
        if name != "drawings.json":
            assert document["theme"] == "dark" and document["background"] == "#0A0A0A", name
        for colour in colours(document):
            red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
            luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
            assert luminance <= 200, f"{name}: {colour} is too bright for the bedside at night"


def test_every_step_of_every_routine_has_a_drawing():
    for routine in ROUTINES:
        for step in CONTENT.routine(routine).steps:
            assert DRAWINGS["steps"][step.id] in DRAWINGS["graphics"], step.id
    assert set(DRAWINGS["steps"].values()) == set(DRAWINGS["graphics"])  # none unused


def rendered_cards() -> list[dict]:
    """Every card the skill sends: each step of each routine on each kind of screen,
    an answer, and urgent and emergency advice."""
    cards = []
    for screen in envelopes.SCREENS:
        for routine in ROUTINES:
            for step, heard in every_step(routine, screen):
                cards.append({"name": f"{screen}/{routine}/{step.id}", **card_of(heard)})
        conversation = talk(screen)
        conversation.launch()
        for name, heard in (("answer", conversation.intent("CausesIntent")),
                            ("emergency", conversation.intent(
                                "RedFlagIntent", symptom=("chest pain", "CHEST_PAIN")))):
            cards.append({"name": f"{screen}/{name}", **card_of(heard)})
        clot = talk(screen)
        cards.append({"name": f"{screen}/clot", **card_of(
            clot.intent("RedFlagIntent", sign=("swollen", "SWELLING")))})
    return cards


CARDS = rendered_cards()


def test_every_payload_path_in_a_document_is_in_what_the_skill_sends():
    for card in CARDS:
        text = json.dumps(card["document"])
        for path in set(re.findall(r"payload((?:\.\w+)+)", text)):
            node = card["datasources"]["payload"]
            for key in path.strip(".").split("."):
                assert isinstance(node, dict) and key in node, f"{card['name']}: payload{path}"
                node = node[key]


def test_amazons_apl_linter_finds_nothing_in_any_card():
    cards = [{"name": card["name"], "document": card["document"],
              "datasources": card["datasources"]} for card in CARDS]
    result = subprocess.run(["node", str(ROOT / "tests" / "apl_validate.js")],
                            input=json.dumps(cards), cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    findings = {name: found for name, found in json.loads(result.stdout).items() if found}
    assert len(json.loads(result.stdout)) == len(cards)
    assert findings == {}


def test_the_linter_does_find_a_broken_document():
    broken = {"type": "APL", "version": "2023.3",
              "mainTemplate": {"items": [{"type": "Text", "text": 5, "fontSize": "huge"}]}}
    result = subprocess.run(["node", str(ROOT / "tests" / "apl_validate.js")],
                            input=json.dumps([{"name": "broken", "document": broken,
                                               "datasources": {"payload": {}}}]),
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["broken"]


def test_the_manifest_declares_apl_with_its_viewports():
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    (apl,) = [interface for interface in manifest["apis"]["custom"]["interfaces"]
              if interface["type"] == "ALEXA_PRESENTATION_APL"]
    shapes = {(viewport["mode"], viewport["shape"]) for viewport in apl["supportedViewports"]}
    assert shapes == {("HUB", "ROUND"), ("HUB", "RECTANGLE"), ("TV", "RECTANGLE")}

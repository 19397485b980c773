"""What Amazon's certification checks that can be checked before submitting: example
phrases, the invocation name, the built-in intents in every state, reprompts, the
medical disclaimer, permissions that match features, and policy links for publishing."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from skill import envelopes
from skill.alexa import reminders
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from skill.understanding import load_model
from tests.conftest import ROOT
from tests.talk import Talk

MANIFEST = json.loads((ROOT / "skill.json").read_text())["manifest"]
LOCALES = sorted(MANIFEST["publishingInformation"]["locales"])
# How people open and ask a skill in each language, and the connecting words between.
OPEN = {"en": "open", "es": "abre"}
ASK = {"en": "ask|tell", "es": "pregúntale a|pídele a|dile a"}
CONNECTING_WORDS = {"en": ("to ", "that ", "about ", "for ", "if ", "whether "),
                    "es": ("que ", "si ")}
DISCLAIMER = {"en": ("not a substitute for professional medical advice", "emergency number"),
              "es": ("no sustituye el consejo médico profesional", "número de emergencias")}


def language_of(locale: str) -> str:
    return locale.split("-")[0]


def sample_patterns(locale: str) -> list[re.Pattern]:
    """Every sample of the model as a pattern, each slot standing for its type's words."""
    language = load_model(locale)["interactionModel"]["languageModel"]
    words = {slot_type["name"]: sorted(
        {value["name"]["value"] for value in slot_type["values"]}
        | {synonym for value in slot_type["values"]
           for synonym in value["name"].get("synonyms", [])}, key=len, reverse=True)
        for slot_type in language["types"]}
    patterns = []
    for intent in language["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent["samples"]:
            pattern = re.sub(r"\\\{(\w+)\\\}", lambda found, types=types: "(?:" + "|".join(
                map(re.escape, words.get(types[found.group(1)], []))) + ")"
                if types[found.group(1)] in words else "(?:.+)", re.escape(sample))
            patterns.append(re.compile(pattern))
    return patterns


@pytest.mark.parametrize("locale", LOCALES)
def test_three_grammatical_example_phrases_each_a_sample_of_its_model(locale):
    phrases = MANIFEST["publishingInformation"]["locales"][locale]["examplePhrases"]
    invocation = load_model(locale)["interactionModel"]["languageModel"]["invocationName"]
    language = language_of(locale)
    assert len(phrases) == 3
    assert phrases[0].lower() == f"alexa, {OPEN[language]} {invocation}"
    patterns = sample_patterns(locale)
    for phrase in phrases[1:]:
        found = re.fullmatch(rf"Alexa, ({ASK[language]}) {invocation} (.+)", phrase,
                             re.IGNORECASE)
        assert found and phrase[0] == "A" and not phrase.endswith((".", "?")), phrase
        said = re.sub(r"[^\w' ]", "", found.group(2).lower())
        for word in CONNECTING_WORDS[language]:
            said = said.removeprefix(word)
        assert any(pattern.fullmatch(said) for pattern in patterns), phrase


def test_the_example_phrase_check_catches_an_ungrammatical_phrase():
    patterns = sample_patterns("en-GB")
    assert not any(p.fullmatch("help i've got cramp in my calf") for p in patterns)
    assert any(p.fullmatch("i've got cramp in my calf") for p in patterns)


LAUNCH_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app", "open", "launch", "ask",
                "tell", "load", "begin", "enable", "start", "play", "run", "resume", "use",
                "abre", "abrir", "inicia", "pregunta", "pregúntale", "dile", "pide", "aplicación"}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_invocation_name_follows_amazons_rules(locale):
    name = load_model(locale)["interactionModel"]["languageModel"]["invocationName"]
    assert re.fullmatch(r"[a-záéíóúñü][a-záéíóúñü' .]*[a-záéíóúñü]", name) and len(name) <= 50
    assert len(name.split()) >= 2 and not LAUNCH_WORDS & set(name.split())


# The built-in intents, in every state a conversation can be in.
def lambda_conversation(tmp_path=None) -> Talk:
    store = SQLiteAdapter(tmp_path / "store.sqlite3") if tmp_path else None
    handle = lambda_handler(persistence_adapter=store)
    return Talk(lambda event: handle(event, None))


STATES = {
    "a one-shot, no session": [],
    "the first step": [("launch",)],
    "a counted stretch": [("launch",), ("AMAZON.NextIntent",)],
    "waiting": [("launch",), ("AMAZON.PauseIntent",)],
    "a question mid-routine": [("launch",), ("AMAZON.NextIntent",), ("CausesIntent",)],
    "an offered tip": [("PreventionIntent",)],
    "front or back of the thigh": [("ReliefIntent", {"muscle": ("thigh", "THIGH")})],
    "urgent advice": [("launch",), ("RedFlagIntent", {"sign": ("swollen", "SWELLING")})],
    "an unclear sign": [("launch",), ("RedFlagIntent", {"sign": "purple"})],
    "the bedtime stretch": [("BedtimeStretchIntent",)],
    "after the routine": [("launch",), ("CrampGoneIntent",)],
    "a second miss": [("launch",), ("AMAZON.FallbackIntent",), ("AMAZON.FallbackIntent",)],
}
BUILT_INS = ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
             "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent"]


def reach(talk: Talk, moves: list[tuple]) -> None:
    for move in moves:
        if move[0] == "launch":
            talk.launch()
        else:
            talk.intent(move[0], **(move[1] if len(move) > 1 else {}))


@pytest.mark.parametrize("built_in", BUILT_INS)
@pytest.mark.parametrize("state", list(STATES))
def test_every_built_in_intent_is_handled_in_every_state(state, built_in):
    talk = lambda_conversation()
    reach(talk, STATES[state])
    heard = talk.intent(built_in)  # Talk checks the envelope, the SSML and the reprompt
    if built_in in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"):
        assert heard.ended and "Take care" in heard
    else:
        assert not heard.ended and heard.reprompt
        assert "had a problem" not in heard.speech


def test_built_in_intents_after_welcome_back(tmp_path):
    for built_in in BUILT_INS:
        store = tmp_path / built_in  # each its own person: a place kept by one stop is not theirs
        store.mkdir()
        first = lambda_conversation(store)
        first.launch()
        first.intent("AMAZON.NextIntent")
        first.send(envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", timestamp=first.clock,
                                           session_attributes=first.attributes))
        again = lambda_conversation(store)
        again.clock = first.clock
        assert again.launch().speech.startswith("Welcome back. You were on the massage.")
        heard = again.intent(built_in)
        assert heard.ended == (built_in not in ("AMAZON.HelpIntent", "AMAZON.FallbackIntent"))


def test_no_open_session_without_a_reprompt_in_any_response_of_a_long_conversation():
    talk = lambda_conversation()
    moves = [("launch",), ("AMAZON.NextIntent",), ("CausesIntent",), ("AMAZON.ResumeIntent",),
             ("AMAZON.RepeatIntent",), ("AMAZON.PauseIntent",), ("AMAZON.ResumeIntent",),
             ("StillHurtsIntent",), ("AMAZON.YesIntent",), ("AMAZON.NoIntent",),
             ("SeeDoctorIntent",), ("AMAZON.NextIntent",), ("AMAZON.HelpIntent",)]
    for move in moves:
        if move[0] == "launch":
            heard = talk.launch()
        else:
            heard = talk.intent(move[0])
        response = heard.body["response"]
        assert response.get("shouldEndSession") is not False or response["reprompt"], move


# The manifest.
@pytest.mark.parametrize("locale", LOCALES)
def test_the_description_carries_the_medical_disclaimer(locale):
    description = MANIFEST["publishingInformation"]["locales"][locale]["description"]
    for words in DISCLAIMER[language_of(locale)]:
        assert words in description


def test_permissions_and_interfaces_match_the_features_that_use_them():
    assert [permission["name"] for permission in MANIFEST["permissions"]] == [reminders.SCOPE]
    interfaces = {interface["type"] for interface in MANIFEST["apis"]["custom"]["interfaces"]}
    assert interfaces == {"ALEXA_PRESENTATION_APL", "CAN_FULFILL_INTENT_REQUEST"}
    # Each is used: a screen gets a card, a name-free query gets an answer.
    screen = lambda_handler()(envelopes.launch(screen="hub_small"), None)
    assert screen["response"]["directives"][0]["type"] == "Alexa.Presentation.APL.RenderDocument"
    name_free = lambda_handler()(envelopes.can_fulfill("CausesIntent"), None)
    assert name_free["response"]["canFulfillIntent"]["canFulfill"] == "YES"


# Publishing: the policy links.
def export(*arguments: str, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "skill_package.py"),
                           "--output", str(output), *arguments], cwd=ROOT,
                          capture_output=True, text=True)


def test_publishing_refuses_placeholder_policy_links(tmp_path):
    refused = export("--publishing", "--privacy-url", "https://example.com/privacy",
                     "--terms-url", "https://crampcoach.app/terms", output=tmp_path / "out")
    assert refused.returncode == 2 and "placeholder" in refused.stderr
    assert not (tmp_path / "out").exists()
    for url in ("http://crampcoach.app/privacy", "crampcoach.app/privacy", ""):
        result = export("--publishing", "--privacy-url", url, "--terms-url",
                        "https://crampcoach.app/terms", output=tmp_path / "out")
        assert result.returncode == 2 and "https" in result.stderr


def test_publishing_writes_the_hosts_links_into_every_locale(tmp_path):
    result = export("--publishing", "--privacy-url", "https://crampcoach.app/privacy",
                    "--terms-url", "https://crampcoach.app/terms", output=tmp_path / "out")
    assert result.returncode == 0, result.stderr
    published = json.loads((tmp_path / "out" / "skill.json").read_text())["manifest"]
    for locale in LOCALES:
        links = published["privacyAndCompliance"]["locales"][locale]
        assert links == {"privacyPolicyUrl": "https://crampcoach.app/privacy",
                         "termsOfUseUrl": "https://crampcoach.app/terms"}
    assert "example.com" not in json.dumps(published)
    development = export(output=tmp_path / "dev")  # without --publishing: as it is,
    assert development.returncode == 0               # but for the placeholder endpoint
    exported = json.loads((tmp_path / "dev" / "skill.json").read_text())["manifest"]
    assert "endpoint" not in exported["apis"]["custom"] and "endpoint" not in published["apis"][
        "custom"]
    exported["apis"]["custom"]["endpoint"] = MANIFEST["apis"]["custom"]["endpoint"]
    assert exported == MANIFEST


def test_the_privacy_text_says_what_is_kept_and_how_to_delete_it():
    privacy = (ROOT / "PRIVACY.md").read_text()
    for words in ("15 minutes", "disclaimer", "forget me", "DynamoDB", "SQLite",
                  "Nothing you say", "Nothing about your health", "reminder"):
        assert words in privacy, words
    terms = (ROOT / "TERMS.md").read_text()
    assert "not medical advice" in terms and "emergency number" in terms

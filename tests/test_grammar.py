"""The interaction models are built from a grammar, and held to it and to Alexa's limits."""

import json
import re
import subprocess

import pytest

from tests.conftest import ROOT
from tools import grammar

LOCALES = grammar.locales()
CUSTOM = ["ReliefIntent", "CantStandIntent", "StillHurtsIntent", "CrampGoneIntent",
          "CausesIntent", "SymptomsIntent", "DurationIntent", "SeeDoctorIntent",
          "PreventionIntent", "RemedyIntent", "ChildrenIntent", "BedtimeStretchIntent",
          "RedFlagIntent", "ForgetMeIntent"]
# Alexa's limits on a model. SMAPI refuses a model definition over 1,000,000 characters
# ("modelDefinition ... must have length less than or equal to 1000000", alexa/ask-cli#9);
# a skill may have 50,000 custom slot values in all (Alexa's custom slot type documentation);
# with a dialog model, a sample may not be a slot alone (alexa/alexa-cookbook#29).
MAX_MODEL_CHARACTERS = 1_000_000
MAX_SLOT_VALUES = 50_000
# Words that make a red-flag sample about a sign: never an open "I'm {sign}" or "I have {sign}".
# The plain forms of the emergency signs ("I'm breathless", "me falta el aire", "toso sangre",
# "me desmayé") carry the sign word beside the slot, which holds the rest (issue 28, point 6).
SIGN_WORDS = re.compile(r"\b(leg|legs|calf|foot|thigh|ankle|skin|chest|breath|breathe|"
                        r"breathing|air|coughing|coughed|cough|jaw|cut|wound|injury|puncture|"
                        r"faint|fainting|fainted|passed|blacked|collapsed|cutting|"
                        r"pregnant|pregnancy|expecting|urine|pee|wee|breathless|pass out|"
                        r"shin|toes|spitting|nail|neck|mouth|unconscious|consciousness|"
                        r"pierna|piernas|pantorrilla|pie|tobillo|muslo|pecho|corté|corte|herida|mandíbula|quijada|"
                        r"embarazada|orina|"
                        r"pipí|pis|orino|en estado|clavé|gemelo|chamorro|aire|respirar|sangre|"
                        r"conocimiento|desmayé|desmayó|desmayado|desmayada|desmayo|desmayar|toser|tosí|toso|"
                        r"desmayarme|privé|privó|desvanecí|desvaneció)\b")


def models():
    return {locale: grammar.build_model(locale) for locale in LOCALES}


BUILT = models()


def intents(locale):
    return {i["name"]: i for i in BUILT[locale]["interactionModel"]["languageModel"]["intents"]}


def test_every_model_file_is_exactly_its_grammars_expansion():
    assert LOCALES == ["en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "es-US"]
    for locale, model in BUILT.items():
        text = (ROOT / "interaction_models" / f"{locale}.json").read_text()
        assert text == grammar.model_text(model), f"{locale}: run `make models`"
    check = subprocess.run(["python3", "tools/grammar.py", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_check_fails_on_a_model_edited_by_hand(tmp_path, monkeypatch):
    monkeypatch.setattr(grammar, "MODELS_DIR", tmp_path)
    for locale in LOCALES:
        (tmp_path / f"{locale}.json").write_text(grammar.model_text(BUILT[locale]))
    assert grammar.main(["--check"]) == 0
    edited = json.loads((tmp_path / "en-GB.json").read_text())
    edited["interactionModel"]["languageModel"]["intents"][0]["samples"].append("hand edit")
    (tmp_path / "en-GB.json").write_text(grammar.model_text(edited))
    assert grammar.main(["--check"]) == 1


def test_the_python_expander_gives_exactly_what_alexa_utterances_gives():
    jobs = []
    for locale in LOCALES:
        spec = grammar.load_grammar(locale)
        for intent in spec["intents"].values():
            for template in intent.get("templates", []):
                jobs.append({"template": template, "dictionary": spec["dictionary"]})
    jobs += [{"template": "{please |}help {me|} {-|muscle} {x}", "dictionary": {"x": ["a", ""]}}]
    result = subprocess.run(["node", "tests/expand_templates.js"], input=json.dumps(jobs),
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    expected = json.loads(result.stdout)
    assert len(jobs) > 300
    for job, theirs in zip(jobs, expected):
        assert grammar.expand(job["template"], job["dictionary"]) == theirs, job["template"]


@pytest.mark.parametrize("template, error", [
    ("my {calf} hurts", "no list named"), ("buy {2-5} items", "number ranges"),
])
def test_a_grammar_typo_is_refused_rather_than_expanded_silently(template, error):
    with pytest.raises(grammar.GrammarError, match=error):
        grammar.expand(template, {})


@pytest.mark.parametrize("locale", LOCALES)
def test_every_custom_intent_has_at_least_150_distinct_samples(locale):
    found = intents(locale)
    assert set(CUSTOM) <= set(found)
    for name in CUSTOM:
        samples = found[name]["samples"]
        assert len(set(samples)) == len(samples) >= 150, (name, len(samples))


@pytest.mark.parametrize("locale", LOCALES)
def test_each_model_is_within_alexas_limits(locale):
    model = BUILT[locale]
    assert len(json.dumps(model["interactionModel"])) <= MAX_MODEL_CHARACTERS
    values = sum(1 + len(value["name"]["synonyms"])
                 for slot_type in model["interactionModel"]["languageModel"]["types"]
                 for value in slot_type["values"])
    assert values <= MAX_SLOT_VALUES
    for name, intent in intents(locale).items():
        for sample in intent["samples"]:
            assert not re.fullmatch(r"\{\w+\}", sample), f"{name}: a slot alone: {sample!r}"
            assert len(re.findall(r"\{\w+\}", sample)) <= 1, sample


@pytest.mark.parametrize("locale", LOCALES)
def test_the_locales_speak_in_their_own_idiom(locale):
    samples = {name: set(intent["samples"]) for name, intent in intents(locale).items()}
    others = {other: {name: set(intent["samples"]) for name, intent in intents(other).items()}
              for other in LOCALES if other != locale}
    own = {sample for name in CUSTOM for sample in samples[name]
           if all(sample not in model[name] for model in others.values())}
    assert len(own) >= 10, f"{locale} has only {len(own)} samples of its own"
    idiom = {"en-GB": "i've got cramp in my {muscle}", "en-AU": "i've got cramp in my {muscle}",
             "en-IN": "my {muscle} nerve got pulled", "en-CA": "should i call eight one one",
             "en-US": "should i go to the er tonight",
             "es-US": "debo ir a la sala de emergencias esta noche",
             "es-MX": "se me subió el chamorro bien feo",
             "es-ES": "me ha dado una rampa en la {muscle}"}[locale]
    assert any(idiom in sample for name in CUSTOM for sample in samples[name]), idiom


@pytest.mark.parametrize("locale", LOCALES)
def test_red_flag_samples_always_carry_a_sign_or_body_word(locale):
    for sample in intents(locale)["RedFlagIntent"]["samples"]:
        carrier = re.sub(r"\{\w+\}", "", sample)
        assert "{sign}" in sample or "{symptom}" in sample, sample
        assert SIGN_WORDS.search(carrier), f"open red-flag sample: {sample!r}"
        assert carrier.strip() not in ("i'm", "i am", "i have", "i've got", "i feel", "i"), sample

"""Spanish for the United States, Mexico and Spain: models from the Spanish grammar,
content translated from the reviewed English meaning (same structure, same sources),
the local emergency numbers, and the night voice, resume and cards in Spanish."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from skill import content as content_files
from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from tests import routing
from tests.conftest import ROOT, SPANISH
from tests.talk import Talk
from tests.test_night_voice import SOFT, SettingsStub
from tests.virtual_alexa.client import converse

ENGLISH = content_files.load("en-US")
NUMBERS = {"es-US": ("nueve uno uno", "911"), "es-MX": ("nueve uno uno", "911"),
           "es-ES": ("uno uno dos", "112")}


def talk(locale: str, **options) -> Talk:
    handle = lambda_handler(**options)
    return Talk(lambda event: handle(event, None), locale=locale)


# Content: the reviewed English, in Spanish.
def structure(content) -> dict:
    return {"steps": {key: (step.sources, step.hold is not None, step.standing,
                            [type(segment).__name__ for segment in step.words])
                      for key, step in content.steps.items()},
            "answers": {key: [part.sources for part in answer.parts]
                        for key, answer in content.answers.items()},
            "phrases": sorted(content.phrases), "routines": sorted(
                (name, tuple(step.id for step in routine.steps))
                for name, routine in content._routines.items())}


@pytest.mark.parametrize("locale", SPANISH)
def test_spanish_content_keeps_the_english_structure_and_every_source(locale):
    spanish = content_files.load(locale)
    assert structure(spanish) == structure(ENGLISH)
    english_words = {segment for step in ENGLISH.steps.values() for segment in step.words
                     if isinstance(segment, str)}
    for step in spanish.steps.values():
        assert not english_words & set(step.words), step.id  # translated, not copied


@pytest.mark.parametrize("locale", SPANISH)
def test_each_country_hears_its_own_emergency_number_read_digit_by_digit(locale):
    words, digits = NUMBERS[locale]
    conversation = talk(locale)
    conversation.launch()
    heard = conversation.intent("RedFlagIntent", symptom=("dolor", "CHEST_PAIN"))
    assert heard.speech.startswith(f"Usa tu teléfono para llamar ahora al {words}")
    assert not any(other in heard.speech for other, _ in NUMBERS.values() if other != words)
    assert content_files.load(locale).value("emergency_digits") == digits


@pytest.mark.parametrize("locale, pull", [("es-MX", "jala"), ("es-US", "jala"),
                                          ("es-ES", "tira de")])
def test_the_routine_in_spanish_first_instruction_first_with_its_count(locale, pull):
    first = talk(locale).launch()
    assert first.speech.startswith("Siéntate en la cama con la pierna estirada. Con suavidad, "
                                   f"{pull} los dedos del pie")  # the instruction first
    speech = first.speech
    marks = ["Mantenlo así.", "Veinte segundos más.", "Quince más.", "Diez más.", "Cinco más.",
             "(chime) Y suelta despacio."]
    assert [speech.index(mark) for mark in marks] == sorted(speech.index(mark) for mark in marks)
    assert "(pause 3.5 s)" in speech and not first.ended


def test_the_night_voice_in_spanish_is_soft_and_valid_for_the_spanish_voices():
    stub = SettingsStub()
    stub.zone = "Europe/Madrid"
    try:
        handler = lambda_handler()
        night = Talk(lambda event: handler(event, None), locale="es-ES",
                     api_endpoint=stub.url)  # 03:00 UTC: 04:00 in Madrid
        heard = night.launch()  # Talk runs ssml-check-core for es-ES on every response
        assert SOFT in heard.body["response"]["outputSpeech"]["ssml"]
    finally:
        stub.close()


def test_resume_in_spanish(tmp_path):
    store = SQLiteAdapter(tmp_path / "store.sqlite3")
    first = talk("es-US", persistence_adapter=store)
    first.launch()
    first.intent("AMAZON.NextIntent")
    first.send(envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", locale="es-US",
                                       timestamp=first.clock, session_attributes=first.attributes))
    again = talk("es-US", persistence_adapter=store)
    again.clock = first.clock + timedelta(minutes=3)
    welcome = again.launch()  # the step itself, at once
    assert welcome.speech.startswith("Hola de nuevo. Estabas en el masaje. Ahora frota el músculo")
    assert "Di continúa, o di empieza de nuevo." not in welcome.speech
    assert welcome.speech.endswith("Di siguiente cuando se note más suelto.")


def test_the_screen_card_in_spanish():
    handle = lambda_handler()
    conversation = Talk(lambda event: handle(event, None), locale="es-ES", screen="hub_large")
    conversation.launch()
    heard = conversation.intent("AMAZON.NextIntent")
    card = heard.body["response"]["directives"][0]["datasources"]["payload"]["card"]
    assert card["progress"] == "Paso 2 de 5"
    assert [button["label"] for button in card["buttons"]] == [
        "Atrás", "Repetir", "Siguiente", "No puedo levantarme"]
    assert card["text"].startswith("Ahora frota el músculo tenso")


# Understanding.
def test_spanish_phrasings_reach_their_intent_through_virtual_alexa():
    phrasings = routing.phrasings("es")
    for locale in SPANISH:
        assert len([p for p in phrasings if p.locale == locale]) >= 60
    report = routing.evaluate(routing.route_virtual_alexa, language="es")
    misses = [f"{p.locale} {p.said!r} -> {r.intent} {r.slots}" for p, r in report.misses]
    assert report.rate >= 0.85, "\n".join(misses)
    assert report.false_alarms == 0, "\n".join(misses)


def test_the_console_speaks_spanish():
    lines = "abre entrenador de calambres\nsiguiente\npor qué me dan calambres\nadiós\n"
    result = subprocess.run([sys.executable, "-m", "skill", "chat", "--locale", "es-US"],
                            input=lines, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Alexa: Siéntate en la cama con la pierna estirada." in result.stdout
    assert "Los calambres nocturnos no suelen tener una causa conocida" in result.stdout
    assert "Te guardo el sitio quince minutos" in result.stdout  # goodbye mid-routine


def test_a_conversation_by_voice_in_spanish(open_server):
    launch, nxt, chest = converse(open_server.url, [
        {"launch": True}, {"utter": "siguiente"}, {"utter": "tengo dolor en el pecho"}],
        locale="es-US")
    assert launch.speech.startswith("Siéntate en la cama con la pierna estirada.")
    assert "jala los dedos del pie" in launch and "Mantenlo así." in launch
    assert "frota el músculo tenso" in nxt
    assert chest.speech.startswith("Usa tu teléfono para llamar ahora al nueve uno uno")


@pytest.mark.parametrize("locale", SPANISH)
def test_the_manifest_publishes_spanish(locale):
    info = json.loads((ROOT / "skill.json").read_text())["manifest"][
        "publishingInformation"]["locales"][locale]
    assert "no sustituye el consejo médico profesional" in info["description"]
    assert info["examplePhrases"][0] == "Alexa, abre entrenador de calambres"

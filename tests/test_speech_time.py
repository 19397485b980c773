"""The instrument of issue 27: the speech-time model (bench/speech_time.py), its
calibration against espeak-ng, and the walker that times every relief routine
through the Lambda entry point (bench/relief_timing.py). Figures are reported
by the benchmark, never asserted here."""

import importlib.util
import sys

import pytest

from skill import content as contents
from skill.speech import SOUNDS, escape
from tests.conftest import LOCALES, ROOT

sys.path.insert(0, str(ROOT / "bench"))

import relief_timing  # noqa: E402
import speech_time  # noqa: E402

CHIME = SOUNDS["chime"]
ESPEAK = importlib.util.find_spec("espeakng_loader") is not None


def talk(timeline):
    return [item for item in timeline.items if item.kind == "talk"]


def test_breaks_are_counted_exactly_and_never_longer_than_alexa_plays():
    timeline = speech_time.parse('Hold it. <break time="10s"/> Ten. <break time="500ms"/>'
                                 '<break time="3s"/> Twenty. <break time="25s"/> Done.', "en-us")
    pauses = [item.seconds for item in timeline.items if item.kind == "pause"]
    assert pauses == [10.0, 0.5, 3.0, 10.0]  # Alexa refuses a break over 10 s; counted as 10
    for before, after in zip(timeline.items, timeline.items[1:]):
        assert after.start == pytest.approx(before.end, abs=0.002)
    spoken = sum(item.seconds for item in talk(timeline))
    assert timeline.seconds == pytest.approx(spoken + 23.5, abs=0.01)


def test_the_night_voices_prosody_rate_slows_talk_and_not_pauses_or_sounds():
    words = "Gently pull your toes up toward your shin. Don't pull hard."
    day = speech_time.parse(f'{words} <break time="2s"/> <audio src="{CHIME}"/>', "en-us")
    night = speech_time.parse(f'<prosody volume="soft" rate="90%">{words} <break time="2s"/>'
                              f'</prosody><audio src="{CHIME}"/>', "en-us")
    assert talk(night)[0].seconds == pytest.approx(talk(day)[0].seconds / 0.9, abs=0.002)
    assert [i.seconds for i in night.items if i.kind != "talk"] == \
        [i.seconds for i in day.items if i.kind != "talk"] == [2.0, 0.71]
    slower = speech_time.parse(f'<prosody rate="50%">{words}</prosody>', "en-us")
    assert slower.seconds == pytest.approx(talk(day)[0].seconds * 2, abs=0.002)


def test_more_syllables_take_longer_in_both_languages():
    assert speech_time.talk_seconds("Rub the tight muscle gently with both hands.", "en-us") > \
        speech_time.talk_seconds("Rub it.", "en-us") > 0
    assert speech_time.talk_seconds("Frota el músculo suavemente con las dos manos.", "es-419") > \
        speech_time.talk_seconds("Frótalo.", "es-419") > 0
    assert speech_time.talk_seconds("", "en-us") == 0.0


def test_the_chime_lasts_what_alexas_sound_library_says_and_an_unknown_sound_a_default():
    data = speech_time.calibration()
    assert speech_time.sound_seconds(CHIME) == 0.71
    assert speech_time.sound_seconds("soundbank://soundlibrary/other") == data["default_sound_s"]


def test_calibration_data_is_present_for_every_locale_with_its_held_out_error():
    data = speech_time.calibration()
    assert data["engine"]["name"] == "espeak-ng" and data["engine"]["alexa_wpm"] == 150
    assert abs(data["voices"]["en-us"]["engine_wpm"] - 150) < 5  # espeak-ng at Alexa's rate
    for locale in LOCALES:
        constants = data["voices"][speech_time.voice_for(locale)]
        assert constants["language"] == locale.split("-")[0]
        assert all(constants["seconds"][name] > 0 for name in ("syllable", "comma", "stop"))
        for when in ("day", "night"):
            held_out = constants["held_out"][when]
            assert held_out["n"] >= 30 and held_out["mean_abs_pct"] < 10
        assert abs(constants["responses"]["total_pct"]) < 5


@pytest.mark.skipif(not ESPEAK, reason="espeak-ng is not installed (the dev extra's "
                                       "espeakng-loader wheel brings it)")
@pytest.mark.parametrize("locale", ["en-US", "en-GB", "es-ES", "es-MX"])
def test_a_known_sentence_is_within_the_fitted_error_of_espeak_ng(locale):
    import calibrate_speech

    data = speech_time.calibration()
    engine = calibrate_speech.Engine()
    engine.rate = data["engine"]["rate"]
    voice = speech_time.voice_for(locale)
    sentence = contents.load(locale).phrase("disclaimer")
    for rate, when in ((1.0, "day"), (0.9, "night")):
        measured = engine.seconds(f'<prosody rate="{round(rate * 100)}%">{escape(sentence)}'
                                  "</prosody>", voice)
        bound = data["voices"][voice]["held_out"][when]["max_abs_s"]
        assert abs(speech_time.talk_seconds(sentence, voice, rate) - measured) <= bound


def test_a_hold_is_found_with_its_marks_and_chime_and_talk_is_split_at_the_cue():
    timeline = speech_time.parse(
        'Gently pull your toes up toward your shin. Hold it there. <break time="10s"/> '
        'Ten seconds. <break time="10s"/> Twenty. <break time="5s"/> <audio src="'
        f'{CHIME}"/> And let go. Say next when you are ready.', "en-us")
    [hold] = timeline.holds()
    first_talk = talk(timeline)[0]
    assert hold.start == pytest.approx(first_talk.end, abs=0.002)
    assert [text for _, text in hold.marks] == ["Ten seconds.", "Twenty."]
    assert hold.marks[0][0] == pytest.approx(hold.start + 10, abs=0.002)
    assert hold.pause_seconds == 25 and hold.seconds > 25  # the marks take time too
    events = timeline.events(relief_timing.CUES["en"])
    assert events["hold_end"] == hold.chime and events["first_mark"] == hold.marks[0][0]
    assert hold.chime + 0.71 < events["cue"] < timeline.seconds
    stretches = timeline.talk_stretches(relief_timing.CUES["en"])
    closing = talk(timeline)[-1]  # "And let go." and the cue: two stretches
    assert stretches == pytest.approx([first_talk.seconds, talk(timeline)[1].seconds,
                                       talk(timeline)[2].seconds,
                                       events["cue"] - closing.start,
                                       closing.end - events["cue"]], abs=0.01)


def test_a_response_is_read_alike_as_output_speech_or_as_speech_the_document_plays():
    ssml = ('<speak>Sit up and pull your toes toward you. <break time="10s"/> Ten. '
            f'<break time="10s"/> <audio src="{CHIME}"/></speak>')
    as_output_speech = {"response": {"outputSpeech": {"type": "SSML", "ssml": ssml}}}
    apl = {"response": {"directives": [
        {"type": "Alexa.Presentation.APL.RenderDocument", "token": "step",
         "document": {"type": "APL", "mainTemplate": {"parameters": ["payload"], "items": [
             {"type": "Text", "id": "instruction",
              "speech": "${payload.step.properties.speech}"}]}},
         "datasources": {"step": {"type": "object", "properties": {"ssml": ssml},
                                  "transformers": [{"inputPath": "ssml", "outputName": "speech",
                                                    "transformer": "ssmlToSpeech"}]}}},
        {"type": "Alexa.Presentation.APL.ExecuteCommands", "token": "step",
         "commands": [{"type": "SpeakItem", "componentId": "instruction"}]}]}}
    apla = {"response": {"directives": [
        {"type": "Alexa.Presentation.APLA.RenderDocument", "token": "step",
         "document": {"type": "APLA", "mainTemplate": {"parameters": ["payload"], "item": {
             "type": "Sequencer", "items": [
                 {"type": "Speech", "contentType": "SSML",
                  "content": "<speak>Sit up and pull your toes toward you.</speak>"},
                 {"type": "Silence", "duration": 10000},
                 {"type": "Speech", "content": "${payload.marks.ten}"},
                 {"type": "Silence", "duration": 10000},
                 {"type": "Audio", "source": CHIME}]}}},
         "datasources": {"marks": {"ten": "Ten."}}}]}}
    expected = relief_timing.speech_of(as_output_speech, "en-US")
    for shape in (apl, apla):
        heard = relief_timing.speech_of(shape, "en-US")
        assert heard.seconds == pytest.approx(expected.seconds, abs=0.01)
        assert [hold.start for hold in heard.holds()] == \
            pytest.approx([hold.start for hold in expected.holds()], abs=0.01)


def test_a_cards_countdown_is_read_from_its_datasources_and_the_documents_tick():
    body = {"response": {"directives": [{
        "type": "Alexa.Presentation.APL.RenderDocument",
        "document": {"mainTemplate": {"items": [{"type": "Container", "handleTick": [
            {"minimumDelay": 1000, "commands": []}]}]}},
        "datasources": {"payload": {"card": {"countdown": {"seconds": 5, "startAfterMs": 2500}}}}}]}}
    assert relief_timing.countdown_of(body) == (2.0, 7.0)  # it first moves on the 3 s tick
    assert relief_timing.countdown_of({"response": {}}) is None


def test_what_the_person_is_told_to_say_is_read_from_the_prompt():
    assert relief_timing.options("Say next when you're standing. If standing is hard, say I "
                                 "can't stand, and we'll do it sitting.", "en") == \
        ["next", "I can't stand"]
    assert relief_timing.options("Di repite para mantenerlo otra vez, o siguiente cuando "
                                 "estés listo.", "es") == ["repite", "siguiente"]


@pytest.fixture(scope="module")
def all_walks():
    return list(relief_timing.walks())


def test_the_walker_finishes_every_routine_in_every_locale_through_the_lambda_handler(all_walks):
    walked = {(walk.locale, walk.routine.name, walk.way, walk.night, walk.screen)
              for walk in all_walks}
    for locale in LOCALES:
        content = contents.load(locale)
        finish = {True: content.answer(content.routine("calf").finish),
                  False: content.answer(content.routine("bedtime").finish)}
        for routine in relief_timing.ROUTINES:
            for night in (False, True):
                for screen in (False, True):
                    assert (locale, routine.name, "one-shot" if routine.intent else "launch",
                            night, screen) in walked
        for walk in (walk for walk in all_walks if walk.locale == locale):
            assert walk.finished, (walk.row(), walk.last_speech)
            closing = [segment for part in finish[walk.routine.relief].parts
                       for segment in part.say if isinstance(segment, str)]
            assert any(sentence in walk.last_speech for sentence in closing), \
                (walk.row(), walk.last_speech)
            assert walk.hold_at is not None and walk.hold_at > 0
            assert walk.turns >= 2 and walk.said[1:]  # something was said after the opening
            if walk.screen:
                assert walk.countdowns, walk.row()  # every counted hold on a screen has one


def test_the_night_walks_hear_the_night_voice_and_take_longer(all_walks):
    by_key = {(w.locale, w.routine.name, w.way, w.screen, w.night): w for w in all_walks}
    for (locale, name, way, screen, night), walk in by_key.items():
        if night:
            day = by_key[(locale, name, way, screen, False)]
            assert walk.hold_at > day.hold_at
            assert {item.rate for item in talk(walk.heard[0][1])} == {0.9}
            assert {item.rate for item in talk(day.heard[0][1])} == {1.0}


def test_name_free_is_walked_where_the_model_declares_it(all_walks):
    name_free = {walk.locale for walk in all_walks if walk.way == "name-free"}
    declared = {locale for locale in LOCALES if "_nameFreeInteraction" in
                relief_timing.load_model(locale)["interactionModel"]}
    assert name_free == declared and declared


def test_the_bench_summary_has_every_key_it_reports(all_walks):
    report = relief_timing.summary(all_walks)
    for key in ("relief_seconds_to_hold", "relief_seconds_to_hold_day", "relief_longest_talk_s",
                "relief_countdown_offset_s", "relief_turns"):
        assert isinstance(report[key], (int, float)) and report[key] > 0, key
    assert report["relief_unfinished"] == 0 and report["relief_walks"] == len(all_walks)
    assert report["relief_seconds_to_hold"] >= report["relief_seconds_to_hold_day"]

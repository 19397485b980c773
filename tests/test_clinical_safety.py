"""The clinical review, held: cautions, the three triage tiers, medicine answers, the new
questions and traceability, against ../shared/medical-guidance.md."""

import re

import pytest

from skill import content as content_files
from tests.conftest import ENGLISH, ROOT
from tests.virtual_alexa.client import converse

LOCALES = ENGLISH
CONTENT = {locale: content_files.load(locale) for locale in ["en", *LOCALES]}
US = CONTENT["en-US"]
BRIEF = ROOT.parent / "shared" / "medical-guidance.md"
STANDING = re.compile(r"\bstand up\b|\bwalk around\b", re.I)
MEDICINES = ["cause_statins", "cause_diuretics", "cause_blood_pressure_medicine",
             "cause_medicines", "cause_asthma_inhalers", "cause_beta_blockers"]


def text(segments) -> str:
    return " ".join(segment for segment in segments if isinstance(segment, str))


@pytest.mark.parametrize("locale", CONTENT)
def test_every_standing_step_says_light_something_steady_and_slowly_first(locale):
    for step in CONTENT[locale].steps.values():
        said = text(step.say)
        if STANDING.search(said) and "bedtime" not in step.id:
            assert "hold" in said and ("slowly" in said or "steady" in said), step.id


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("routine", ["calf", "foot", "hamstring", "quad", "both"])
def test_standing_is_only_offered_after_every_seated_step_and_can_be_declined(locale, routine):
    content = CONTENT[locale]
    steps = content.routine(routine).steps
    standing = [step.standing for step in steps]
    first = standing.index(True)
    assert first > 0 and all(standing[first:]), routine  # sitting first, standing last
    offer = text(steps[first].say)
    assert offer.startswith("If you'd like to") and "turn on a light" in offer
    assert "hold" in offer and "get up slowly" in offer
    assert "I can't stand" in steps[first].prompt + steps[first].reprompt
    seated = content.routine(content.routine(routine).seated).steps
    assert not any(step.standing for step in seated)  # declining leads to a way in bed
    assert text(steps[0].say).startswith(("Sit up in bed", "Rub the front of your thigh"))


def test_heat_is_warm_not_hot_with_its_cautions_and_no_night_shower():
    warmth = text(US.steps["warmth"].say)
    for caution in ("Warm, not hot", "numb", "diabetes", "poor circulation",
                    "never fall asleep on a heating pad"):
        assert caution in warmth
    for locale in CONTENT.values():
        for step in locale.steps.values():
            assert "shower" not in text(step.say).lower(), step.id


def test_back_of_thigh_is_seated_only_and_front_of_thigh_holds_a_chair():
    hamstring = " ".join(text(step.say) for step in US.routine("hamstring").steps[:1])
    assert "Sit up in bed with that leg straight" in hamstring and "lean forward" not in hamstring
    assert not any("stand" in text(step.say).lower() and "slowly" not in text(step.say)
                   for step in US.routine("hamstring").steps)
    quad = text(US.steps["quad_stretch"].say)
    for words in ("chair or the wall", "hold the ankle", "heel toward your buttock"):
        assert words in quad
    assert "Mayo-cramp" in US.steps["quad_stretch"].sources
    foot = text(US.steps["foot_stand"].say)
    assert "weight on that foot" in foot and US.steps["foot_stand"].sources == ("NHS", "safety")


TIERS = {
    "red_flag_emergency": ["CHEST_PAIN", "BREATHLESSNESS", "COUGHING_BLOOD", "FAINTING",
                           "COLD_PALE_LEG", "NUMBNESS", "CANT_MOVE_LEG"],
    "red_flag_tetanus": ["TETANUS_SIGNS"],
    "red_flag_clot": ["SWELLING", "REDNESS", "WARMTH"],
}


@pytest.mark.parametrize("tier, sign", [(tier, sign) for tier, signs in TIERS.items()
                                        for sign in signs])
def test_each_sign_gets_its_tier_and_the_tiers_never_overlap(lambda_talk, tier, sign):
    lambda_talk.launch()
    heard = lambda_talk.intent("RedFlagIntent", sign=(sign.lower(), sign))
    if tier == "red_flag_clot":
        assert "blood clot" in heard and "red or darker" in heard
        assert heard.speech.startswith("Stop stretching, massaging and warming")
    else:
        assert heard.speech.startswith("Use your phone to call nine one one now")
        assert "blood clot" not in heard
    assert "tetanus" in heard.speech.lower() if tier == "red_flag_tetanus" else True
    after = lambda_talk.intent("AMAZON.NextIntent")  # urgent is final: the same advice again
    assert "Stop stretching, massaging and warming" in after
    assert ("blood clot" in after) == (tier == "red_flag_clot")
    assert "use your phone to call nine one one now" in after


@pytest.mark.parametrize("move, lead", [("StillHurtsIntent", "I'm sorry it still hurts."),
                                        ("CrampGoneIntent", "I'm glad it has eased."),
                                        ("AMAZON.StartOverIntent", ""), ("OtherLegIntent", "")])
def test_after_urgent_advice_every_move_repeats_the_advice_itself(lambda_talk, move, lead):
    lambda_talk.launch()
    advice = lambda_talk.intent("RedFlagIntent", sign=("swollen", "SWELLING"))
    said = advice.speech.split(" Say repeat")[0]
    heard = lambda_talk.intent(move)
    assert heard.speech.startswith(f"{lead} {said}".strip())  # the lead, then the advice again
    assert "Stop stretching, massaging and warming" in heard and not heard.ended
    assert not any(words in heard.speech for words in STEP_WORDS)


def test_the_tier_table_in_content_is_the_briefs():
    assert {tier: sorted(signs) for tier, signs in TIERS.items()} == {
        tier: sorted(sign for sign, its in US.sign_tiers.items() if its == tier)
        for tier in TIERS}
    assert US.sign_tier("TENDERNESS") == "tender_alone" and not US.answer("tender_alone").urgent


@pytest.mark.parametrize("locale", LOCALES)
def test_every_medicine_answer_ends_with_dont_stop_it_on_your_own(locale):
    for key in MEDICINES:
        said = text(CONTENT[locale].answer(key).parts[0].say)
        assert re.search(r"Don't stop a prescribed medicine on your own: ask .+ or a "
                         r"pharmacist\.$", said), (locale, key)
    assert "sensitive to not drinking" not in text(CONTENT[locale].answer("cause_age").parts[0].say)
    assert CONTENT[locale].answer("cause_beta_blockers").parts[0].sources == ("MayoHL",)
    assert set(CONTENT[locale].answer("cause_asthma_inhalers").parts[0].sources) == {
        "AAFP", "Garrison-2012"}


@pytest.mark.parametrize("intent, slot, words", [
    ("RemedyIntent", {"remedy": ("magnesium", "MAGNESIUM")},
     ["probably doesn't help cramps in older adults", "midwife"]),
    ("RemedyIntent", {"remedy": ("tonic water", "QUININE")},
     ["Don't take quinine", "unless a doctor prescribes it", "sometimes fatal"]),
    ("RemedyIntent", {"remedy": ("ibuprofen", "PAINKILLERS")},
     ["Acetaminophen or ibuprofen won't help during a cramp"]),
    ("RemedyIntent", {"remedy": ("pickle juice", "PICKLE_JUICE")},
     ["I don't have good evidence"]),
    ("CausesIntent", {"cause": ("pregnant", "PREGNANCY")}, ["blood clot", "urgent help tonight"]),
    ("ChildrenIntent", {}, ["cramp now", "weakness or a limp"]),
    ("DurationIntent", {}, ["a few seconds to about ten minutes", "sore for up to a day"]),
])
def test_the_new_questions_are_answered_from_the_brief(lambda_talk, intent, slot, words):
    heard = lambda_talk.intent(intent, **slot)
    for word in words:
        assert word in heard.speech
    assert not heard.ended


def test_the_new_questions_by_voice(open_server):
    magnesium, quinine, children = converse(open_server.url, [
        {"utter": "does magnesium help"}, {"utter": "should i take quinine"},
        {"utter": "do kids get leg cramps"}])
    assert "probably doesn't help" in magnesium
    assert "Don't take quinine" in quinine.speech
    assert "cramp now" in children


@pytest.mark.parametrize("locale", ["en", *LOCALES])
def test_emergency_numbers_are_words_read_digit_by_digit(locale):
    for key in ("emergency_number", "urgent_help", "urgent_help_now"):
        assert not re.search(r"\d", CONTENT[locale].value(key)), (locale, key)
    if locale == "en-IN":
        assert "one zero eight for an ambulance" in CONTENT[locale].value("emergency_number")


def brief_source_ids() -> set[str]:
    """Short names from the brief's Sources list ("NHS-DVT: ...; NHS-PE: ..."), the trials
    it cites inline ("Hallegraeff 2012"), and "safety" for its own cautions."""
    brief = BRIEF.read_text()
    sources = brief.split("## Sources", 1)[1].split("\n## ", 1)[0]
    ids = {name for names in re.findall(
        r"(?:^- |; |^\s+)([A-Za-z][\w-]*(?: \d{4})?(?:, [A-Za-z][\w-]*)*):", sources, re.M)
        for name in names.split(", ")}
    ids |= set(re.findall(r"\b([A-Z][a-z]+ \d{4})\b", brief))
    ids.add("safety")
    return {source.replace(" ", "-") for source in ids}


@pytest.mark.parametrize("locale", CONTENT)
def test_every_spoken_medical_sentence_traces_to_a_source_the_brief_defines(locale):
    if not BRIEF.exists():  # CI lays shared/ beside the clone; a bare clone has no brief
        pytest.skip(f"the medical brief is not at {BRIEF}")
    defined = brief_source_ids()
    content = CONTENT[locale]
    unsourced, unknown = [], set()
    lines = [(f"steps.{key}", step.say, step.sources) for key, step in content.steps.items()]
    lines += [(f"answers.{key}[{i}]", part.say, part.sources)
              for key, answer in content.answers.items() for i, part in enumerate(answer.parts)]
    for where, _said, sources in lines:
        if not sources:
            unsourced.append(where)
        unknown |= set(sources) - defined
    assert unsourced == [] and unknown == set()
    health_words = re.compile(r"clot|swollen|cramps? (?:are|is) |cause|diabet|medicine", re.I)
    for key, phrase in content.phrases.items():
        if health_words.search(phrase):
            assert phrase.endswith("?") or key.startswith(("help", "fallback", "prompt")), key


URGENT_WAYS_IN = {
    "red flag": [("RedFlagIntent", {"sign": ("swollen", "SWELLING")})],
    "yes to the sign question": [("RedFlagIntent", {"sign": ("weird", None)}),
                                 ("AMAZON.YesIntent", {})],
    "the ten-minute point": [("wait", 11), ("StillHurtsIntent", {})],
}
STEP_WORDS = sorted({words for locale in ["en-US"]
                     for step in CONTENT[locale].steps.values()
                     for words in step.words if isinstance(words, str)})


@pytest.mark.parametrize("way_in", sorted(URGENT_WAYS_IN))
def test_no_way_out_of_urgent_advice_leads_back_to_a_step(way_in):
    """Once urgent advice is given, every intent the model has and every touch on a
    card hears no stretch, massage, heat or walk step for the rest of the session."""
    import json

    from skill import envelopes
    from skill.app import lambda_handler
    from tests.conftest import ROOT
    from tests.talk import Talk

    handler = lambda_handler()
    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
    intents = [intent["name"] for intent in model["interactionModel"]["languageModel"]["intents"]]
    for leaving in [*intents, *("touch:" + event for event in
                                ("next", "back", "continue", "cant_stand", "repeat"))]:
        talk = Talk(lambda event: handler(event, None), screen="hub_large")
        talk.launch()
        talk.intent("AMAZON.NextIntent")
        for name, slots in URGENT_WAYS_IN[way_in]:
            if name == "wait":
                talk.wait(slots)
            else:
                talk.intent(name, **slots)
        for _ in range(3):  # and again: it stays final
            if leaving.startswith("touch:"):
                body = handler(envelopes.touch(leaving[6:], session_attributes=talk.attributes,
                                               screen="hub_large"), None)
                talk.attributes = body.get("sessionAttributes") or {}
                speech = body["response"].get("outputSpeech", {}).get("ssml", "")
            else:
                heard = talk.intent(leaving)
                speech = heard.speech
                if heard.ended:
                    break
            assert not [words for words in STEP_WORDS if words in speech], (way_in, leaving)

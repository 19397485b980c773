"""The skill understands a slot value Alexa could not resolve, by its own lexicon: a
real sign said in words the model does not list gets its advice, and ordinary words,
a denied sign or a sign with an everyday cause never raise an alarm."""

import io

import lambda_function
import pytest

from skill import console
from skill import content as content_files
from skill.understanding import Lexicon
from tests.conftest import LOCALES
from tests.talk import Talk

ER_NO_MATCH = "ER_SUCCESS_NO_MATCH"


def first_sentence(locale: str, answer: str) -> str:
    said = content_files.load(locale).answer(answer).parts[0].say
    return " ".join(part for part in said if isinstance(part, str)).split(". ")[0]


def no_match(event: dict) -> dict:
    """Every slot without resolutions as entity resolution reports a value it could
    not match: ER_SUCCESS_NO_MATCH, with no values."""
    for name, slot in event["request"].get("intent", {}).get("slots", {}).items():
        if "resolutions" not in slot:
            slot["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": f"amzn1.er-authority.echo-sdk.skill.{name}",
                "status": {"code": ER_NO_MATCH}}]}
    return event


def talk(locale: str = "en-US", unmatched: bool = False) -> Talk:
    def send(event):
        return lambda_function.lambda_handler(no_match(event) if unmatched else event, None)
    return Talk(send, locale=locale)


def in_a_routine(locale: str = "en-US", unmatched: bool = False) -> Talk:
    conversation = talk(locale, unmatched)
    conversation.launch()
    conversation.intent("AMAZON.NextIntent")
    return conversation


@pytest.mark.parametrize("unmatched", [False, True], ids=["no resolutions", "no match"])
@pytest.mark.parametrize("sign, advice", [
    ("really really swollen", "red_flag_clot"),
    ("all puffed up and sore", "red_flag_clot"),
    ("gone a bit purplish", "red_flag_clot"),
    ("cold and blue", "red_flag_emergency"),
    ("white and cold", "red_flag_emergency"),
    ("pale and cold", "red_flag_emergency"),
    ("swollen and icy cold", "red_flag_emergency"),  # two signs: the graver
    ("totally numb now", "red_flag_emergency"),
])
def test_an_unlisted_sign_gets_its_advice(sign, advice, unmatched):
    heard = in_a_routine(unmatched=unmatched).intent("RedFlagIntent", sign=sign)
    assert first_sentence("en-US", advice) in heard.speech


@pytest.mark.parametrize("symptom, advice", [
    ("crushing pain", "red_flag_emergency"),
    ("really short of breath", "red_flag_emergency"),
    ("coughed up some blood", "red_flag_emergency"),
    ("passed out for a moment", "red_flag_emergency"),
    ("she's not breathing", "red_flag_emergency"),  # the plain forms an attack found unread
    ("bringing up blood", "red_flag_emergency"),
])
def test_an_unlisted_emergency_symptom_gets_the_emergency_advice(symptom, advice):
    heard = in_a_routine(unmatched=True).intent("RedFlagIntent", symptom=symptom)
    assert first_sentence("en-US", advice) in heard.speech


@pytest.mark.parametrize("sign", [
    "cold from the covers", "red from rubbing it", "cold because it's a cold room",
    "warm from the heating pad", "not swollen", "not really red", "fine", "up", "okay now",
    "a bit tired", "warm and cosy", "a bit warm from lying on it"])
def test_ordinary_words_or_a_sign_with_an_everyday_cause_get_the_one_question(sign):
    conversation = in_a_routine(unmatched=True)
    heard = conversation.intent("RedFlagIntent", sign=sign)
    question = content_files.load("en-US").phrase("sign_check")
    assert heard.speech.startswith(question) and not heard.ended
    for advice in ("red_flag_clot", "red_flag_emergency"):
        assert first_sentence("en-US", advice) not in heard.speech
    assert "go back to your stretch" in conversation.intent("AMAZON.NoIntent")


@pytest.mark.parametrize("locale, slot, words", [
    ("en-US", "symptom", "i fainted once in high school at a blood drive"),  # a time gone by
    ("en-GB", "sign", "my ankle was swollen last summer after a wasp sting"),
    ("en-CA", "symptom", "i fainted at a clinic but that was years ago"),  # the next clause refers back
    ("en-AU", "sign", "me calf was red and blotchy last week from a rash"),  # one clause
    ("en-US", "sign", "what if my leg goes numb halfway through the stretch"),  # a supposition
    ("en-IN", "symptom", "in one serial the hero coughed blood is that real"),  # a story
    ("en-AU", "symptom", "chest's fine, breathing's fine, it's just me calf"),  # both reassured
    ("es-MX", "symptom", "hace años tosí sangre por una neumonía"),
    ("es-ES", "symptom", "el padre de un amigo se desmayó en una boda pero hace tiempo"),
    ("es-MX", "sign", "qué hago si algún día no puedo mover la pierna"),
    ("en-AU", "symptom", "my mate's missus had chest pains at work, she's alright now"),  # ends in "now"
    ("en-GB", "symptom", "it was on the news that a man was pulled out of the river unconscious"),
    ("en-CA", "symptom", "there's a podcast i like about a hiker who collapsed on the trail"),
    ("en-AU", "sign", "say my leg went cold and white, what would i do"),  # a supposition
    ("es-MX", "symptom", "me quedé sin aire de tanto reírme con un video"),  # another sense
    ("es-MX", "symptom", "el compadre de mi jefe tuvo dolor de pecho, ya salió del hospital"),
    ("en-US", "symptom", "i have a headache"),  # a sign only in pregnancy
    ("es-MX", "sign", "ya se me quitó el calambre, nomás quedó la pantorrilla adolorida"),  # normal
    ("es-ES", "sign", "tengo las rodillas rojas de estar de rodillas fregando el suelo"),  # a cause
])
def test_a_sign_of_another_time_or_of_a_story_gets_the_one_question(locale, slot, words):
    """Alexa's statistical NLU may send a whole sentence in a sign's slot: one about a
    sign gone by, supposed or seen on television is not tonight's emergency."""
    conversation = in_a_routine(locale, unmatched=True)
    heard = conversation.intent("RedFlagIntent", **{slot: words})
    assert heard.speech.startswith(content_files.load(locale).phrase("sign_check")), heard.speech
    for advice in ("red_flag_clot", "red_flag_emergency"):
        assert first_sentence(locale, advice) not in heard.speech


@pytest.mark.parametrize("locale, slot, words, advice", [
    ("en-US", "sign", "i had a clot years ago and now my calf is swollen and red", "red_flag_clot"),
    ("en-GB", "sign", "it's still tender and swollen and the cramp went ages ago", "red_flag_clot"),
    ("en-CA", "sign", "my leg is numb and it was fine last week", "red_flag_emergency"),
    ("en-AU", "sign", "my chest is fine but my leg is cold and white", "red_flag_emergency"),
    ("es-US", "symptom", "me duele el pecho y no sé si llamar", "red_flag_emergency"),
    ("es-ES", "symptom", "me he desmayado hace un momento", "red_flag_emergency"),
    ("en-US", "symptom", "my husband says his chest hurts real bad", "red_flag_emergency"),  # reported
    ("en-GB", "symptom", "i'm pregnant and my hands and face have puffed right up", "red_flag_preeclampsia"),
    ("en-AU", "sign", "i'm trying to move my leg and it won't budge", "red_flag_emergency"),
    ("es-MX", "symptom", "mi mamá se está quedando sin aire", "red_flag_emergency"),
    ("es-MX", "symptom", "estoy embarazada y de la nada se me hinchó la cara", "red_flag_preeclampsia"),
    ("es-US", "symptom", "me acabo de desmayar en el baño", "red_flag_emergency"),
    ("es-MX", "sign", "se me entumió toda la pierna de repente", "red_flag_emergency"),
])
def test_a_sign_tonight_stays_a_sign_beside_another_time(locale, slot, words, advice):
    """A time gone by in another clause, a history or a reassurance of something else
    leaves tonight's sign standing."""
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", **{slot: words})
    assert first_sentence(locale, advice) in heard.speech, heard.speech


@pytest.mark.parametrize("locale, sign, advice", [
    ("es-MX", "bien hinchada", "red_flag_clot"),
    ("es-ES", "fría y azulada", "red_flag_emergency"),
    ("es-US", "muy hinchadas y rojas", "red_flag_clot"),
])
def test_spanish_signs_in_unlisted_words(locale, sign, advice):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", sign=sign)
    assert first_sentence(locale, advice) in heard.speech


@pytest.mark.parametrize("locale, symptom", [
    ("es-MX", "casi no puedo respirar"), ("es-ES", "me duele mucho el pecho"),
    ("es-US", "estoy tosiendo sangre"), ("es-ES", "me desplomé en el pasillo")])
def test_spanish_emergency_symptoms_in_unlisted_words(locale, symptom):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", symptom=symptom)
    assert first_sentence(locale, "red_flag_emergency") in heard.speech


@pytest.mark.parametrize("locale, sign", [
    ("es-MX", "roja de tanto frotarla"), ("es-ES", "fría por el aire acondicionado"),
    ("es-US", "no está hinchada"), ("es-ES", "roja de rascarme"),
    ("es-MX", "calentita y a gusto"), ("es-MX", "mi gato tiene una patita hinchada"),  # a pet's
    ("es-ES", "a mi perro se le ha hinchado la patita")])
def test_spanish_everyday_causes_and_denials_get_the_question(locale, sign):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", sign=sign)
    assert heard.speech.startswith(content_files.load(locale).phrase("sign_check"))


def test_an_unlisted_muscle_word_starts_that_muscles_routine():
    foot = content_files.load("en-US").routine("foot").steps[0]
    heard = talk(unmatched=True).intent("ReliefIntent", muscle="the arches of my feet")
    assert foot.say[0] in heard.speech


def test_a_forged_or_endless_value_resolves_to_nothing():
    lexicon = Lexicon.load("en-US")
    assert lexicon.resolve("SignType", "swollen " * 100) is None
    assert lexicon.resolve("SignType", None) is None
    assert lexicon.resolve("NoSuchType", "swollen") is None
    assert Lexicon.load("../../etc/passwd").language == "en"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_a_lexicon_for_every_slot_the_model_declares(locale):
    from tests.test_interaction_models import intents

    lexicon = Lexicon.load(locale)
    for intent in intents(locale).values():
        for slot in intent.get("slots", []):
            if not slot["type"].startswith("AMAZON."):
                assert lexicon.slot_type(slot["name"]) == slot["type"], slot


@pytest.mark.parametrize("locale", LOCALES)
def test_the_signs_are_listed_graver_first(locale):
    """Two signs in one value resolve to the one listed first: emergency before urgent
    before the rest, by the content's own tiers."""
    content = content_files.load(locale)
    tiers = content.sign_tiers
    rank = {"red_flag_emergency": 0, "red_flag_tetanus": 0, "red_flag_clot": 1}
    for type_name in ("SignType", "SymptomType"):
        ranks = [rank.get(tiers.get(value_id, ""), 2)
                 for value_id in Lexicon.load(locale).types[type_name]]
        assert ranks == sorted(ranks), (type_name, ranks)


def test_the_console_hears_an_unlisted_sign_as_the_skill_does():
    out = io.StringIO()
    typed = io.StringIO("open cramp coach\nmy leg is really really swollen\n")
    assert console.run("en-US", speak=False, db=None, stdin=typed, out=out) == 0
    assert first_sentence("en-US", "red_flag_clot") in out.getvalue()


@pytest.mark.parametrize("locale, symptom", [
    ("en-US", "breathing okay"), ("en-GB", "breathing fine"), ("en-IN", "breathing normally"),
    ("es-MX", "respiro bien"), ("es-ES", "respiro normal")])
def test_a_reassured_breath_gets_the_one_question(locale, symptom):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", symptom=symptom)
    assert heard.speech.startswith(content_files.load(locale).phrase("sign_check"))
    assert first_sentence(locale, "red_flag_emergency") not in heard.speech


@pytest.mark.parametrize("locale, symptom", [
    ("en-IN", "not able to breathe properly"), ("es-MX", "no puedo respirar bien"),
    ("en-US", "really hurts"), ("es-ES", "me duele mucho el pecho")])
def test_a_sign_said_with_its_own_negation_or_in_a_few_words_stays_a_sign(locale, symptom):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", symptom=symptom)
    assert first_sentence(locale, "red_flag_emergency") in heard.speech


@pytest.mark.parametrize("locale, sentence, wanted", [
    ("en-US", "pain has gone and there is no swelling", None),
    ("en-CA", "i am breathing normally no problem", None),
    ("en-US", "i stepped on a nail last week and now my jaw feels stiff", "TETANUS_SIGNS"),
    ("en-CA", "my husband coughed up some blood", "COUGHING_BLOOD"),
    ("en-IN", "my wife is pregnant and having severe headache and vision is blurry",
     "PREECLAMPSIA_SIGNS"),
    ("en-GB", "my wee's gone the colour of cola", "DARK_URINE"),
    ("en-US", "i have a bad headache", None),  # a headache alone is not pre-eclampsia's sign
    ("en-US", "i'm struggling for breath here", "BREATHLESSNESS"),
    ("en-US", "he's coughing and there's blood", "COUGHING_BLOOD"),
    ("es-MX", "mi mamá respira mal desde hace rato", "BREATHLESSNESS"),
    ("es-MX", "hice pipí bien oscura después de los calambres", "DARK_URINE"),
    ("es-ES", "me hice un corte y ahora tengo la mandíbula agarrotada", "TETANUS_SIGNS"),
    ("es-US", "estoy embarazada y tengo la cara bien hinchada de repente", "PREECLAMPSIA_SIGNS"),
    ("es-ES", "estoy echando sangre al toser", "COUGHING_BLOOD"),
    ("es-US", "ya se me quitó y no me falta el aire", None),
    ("es-MX", "no me duele el pecho ni nada es puro calambre", None),
])
def test_a_whole_sentence_needs_the_strong_words_of_a_sign(locale, sentence, wanted):
    """The console and a loosely heard sign send the whole sentence: a weak word ("pain",
    "breathing", "blood") in it is a sign only beside the word that says which."""
    assert Lexicon.load(locale).resolve("SymptomType", sentence) == wanted


@pytest.mark.parametrize("locale, sign", [
    ("es-US", "el heating pad me tiene la pierna calientita"),
    ("es-MX", "roja de tanto tallarme")])
def test_more_everyday_causes_in_spanish(locale, sign):
    assert Lexicon.load(locale).resolve("SignType", sign) is None
    assert Lexicon.load(locale).resolve("SignType", sign.split(" de ")[0].split(" me ")[-1]) is not None


@pytest.mark.parametrize("locale, person, wanted", [
    ("es-US", "mi esposo", "HIM"), ("es-US", "mi esposa", "HER"),
    ("es-MX", "a mi hijo", "HIM"), ("es-ES", "a mi hija", "HER")])
def test_a_spanish_person_keeps_their_gender(locale, person, wanted):
    """Signs fold their gender ("hinchada" meets "hinchado"); people must not."""
    assert Lexicon.load(locale).resolve("PersonType", f"{person} se despertó con un calambre") == wanted


@pytest.mark.parametrize("locale, said, wanted", [
    ("en-GB", "my lad's got cramp in his calf", "HIM"), ("en-AU", "my young fella has a cramp", "HIM"),
    ("en-GB", "my other half's just woken up with cramp", "THEM"),
    ("en-US", "my granddaughter has a leg cramp", "HER")])
def test_each_english_locales_words_for_a_person(locale, said, wanted):
    assert Lexicon.load(locale).resolve("PersonType", said) == wanted


@pytest.mark.parametrize("locale, sign, advice", [
    ("en-US", "swollen and i can't breathe", "red_flag_emergency"),  # both kinds: the gravest
    ("en-GB", "swollen and my chest hurts", "red_flag_emergency"),
    ("es-MX", "hinchada y no puedo respirar", "red_flag_emergency"),
    ("en-US", "swollen after my bath", "red_flag_clot"),  # a cause never excuses swelling
    ("en-US", "swollen and red since my flight i've been sitting on it all day", "red_flag_clot"),
    ("en-US", "swollen and hot and i haven't been rubbing it", "red_flag_clot"),
    ("en-US", "white and cold even under the covers", "red_flag_emergency"),  # a conceded cause
    ("es-MX", "fría y morada aunque estoy con la cobija", "red_flag_emergency"),
    ("en-US", "gone a bit purplish", "red_flag_clot"),
])
def test_a_sign_is_read_whole_gravest_first_and_excused_only_by_what_explains_it(locale, sign, advice):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", sign=sign)
    assert first_sentence(locale, advice) in heard.speech


@pytest.mark.parametrize("locale, sign", [
    ("en-US", "my pyjamas are blue"), ("en-US", "it's dark in here"), ("es-ES", "la luz está roja")])
def test_a_colour_names_a_sign_only_of_the_leg(locale, sign):
    """A colour word in a whole sentence is a leg sign only beside a word for the leg."""
    conversation = in_a_routine(locale, unmatched=True)
    heard = conversation.intent("RedFlagIntent", sign=sign)
    assert heard.speech.startswith(content_files.load(locale).phrase("sign_check"))


@pytest.mark.parametrize("sign", ["a bit sore", "tight", "heavy and tight"])
def test_a_leg_that_is_sore_or_tight_is_not_chest_pain(sign):
    """A leg sign's words are read as a body sign only by the words that say one."""
    heard = in_a_routine(unmatched=True).intent("RedFlagIntent", sign=sign)
    assert first_sentence("en-US", "red_flag_emergency") not in heard.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_an_aside_never_holds_a_sign_or_a_negation(locale):
    """The console leaves asides out to find a request: none may carry what a red flag or
    a denial is made of."""
    lexicon = Lexicon.load(locale)
    for side, asides in lexicon.asides.items():
        assert asides, side
        for aside in asides:
            said = " ".join(aside)
            assert not any(map(lexicon.is_negation, aside)), said
            for slot_type in ("SignType", "SymptomType"):
                assert not lexicon.known_words(slot_type, said), (said, slot_type)
                assert lexicon.resolve(slot_type, said) is None, (said, slot_type)


@pytest.mark.parametrize("locale, symptom", [
    ("es-MX", "el pecho lo tengo bien nomás es el chamorro"),
    ("es-US", "mi pecho está fine es la pierna nomás"),
])
def test_a_spanish_chest_said_to_be_fine_gets_the_one_question(locale, symptom):
    heard = in_a_routine(locale, unmatched=True).intent("RedFlagIntent", symptom=symptom)
    assert heard.speech.startswith(content_files.load(locale).phrase("sign_check"))


def test_puffed_out_is_not_a_swollen_leg():
    """British 'puffed out' is out of breath, never the clot advice."""
    heard = in_a_routine("en-GB", unmatched=True).intent(
        "RedFlagIntent", sign="puffed out from hobbling to the loo")
    assert first_sentence("en-GB", "red_flag_clot") not in heard.speech

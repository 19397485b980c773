"""Each English locale speaks its own emergency number and local help, everywhere."""

import lambda_function
import pytest

from tests.talk import Talk
from tests.test_virtual_alexa import EMERGENCY_NUMBERS, LOCAL_HELP


def talk(locale: str) -> Talk:
    return Talk(lambda event: lambda_function.lambda_handler(event, None), locale=locale)


@pytest.mark.parametrize("locale", sorted(EMERGENCY_NUMBERS))
def test_every_urgent_answer_uses_the_local_numbers(locale):
    number, local_help = EMERGENCY_NUMBERS[locale], LOCAL_HELP[locale]
    conversation = talk(locale)
    conversation.launch()
    chest = conversation.intent("RedFlagIntent", sign=("chest pain", "CHEST_PAIN"))
    assert chest.speech.startswith(f"Use your phone to call {number} now")
    clot = conversation.intent("RedFlagIntent", sign=("swollen", "SWELLING"))
    assert f"use your phone to call {number} now" in clot.speech and local_help in clot.speech
    conversation.launch()
    conversation.wait(11)
    long_cramp = conversation.intent("StillHurtsIntent")
    assert "more than ten minutes" in long_cramp
    assert local_help in conversation.intent("AMAZON.NoIntent").speech


def test_a_british_answer_says_gp_where_an_american_one_says_doctor():
    assert "your GP" in talk("en-GB").intent("CausesIntent", cause=("statins", "STATINS")).speech
    assert "your doctor" in talk("en-US").intent("CausesIntent",
                                                 cause=("statins", "STATINS")).speech


@pytest.mark.parametrize("locale", ["en-NZ", "fr-FR", "not a locale"])
def test_an_unsupported_locale_hears_no_other_countrys_numbers(locale):
    heard = talk(locale).intent("RedFlagIntent", sign=("chest pain", "CHEST_PAIN"))
    assert heard.speech.startswith("Use your phone to call your local emergency number now")

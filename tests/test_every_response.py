"""Property: whatever a person says, in whatever order, every response is valid
SSML within Alexa's limits, with a reprompt whenever the session stays open."""

import lambda_function
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.talk import Talk

SLOTTED = {
    "ReliefIntent": ("muscle", [("calf", "CALF"), ("toes", "FOOT"), ("hamstring", "HAMSTRING"),
                                ("quad", "QUAD"), "elbow", "</speak> & <break time='60s'/>"]),
    "CausesIntent": ("cause", [("statins", "STATINS"), ("pregnant", "PREGNANCY"),
                               ("dialysis", "KIDNEY_DISEASE"), "moon phases", "a & b < c"]),
    "RedFlagIntent": ("sign", [("chest pain", "CHEST_PAIN"), ("swollen", "SWELLING"), "odd"]),
}
PLAIN = ["CantStandIntent", "StillHurtsIntent", "CrampGoneIntent", "SymptomsIntent",
         "SeeDoctorIntent", "PreventionIntent", "BedtimeStretchIntent", "ForgetMeIntent",
         "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
         "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
         "AMAZON.HelpIntent", "AMAZON.FallbackIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
         "SomethingUnknownIntent"]


@st.composite
def turns(draw):
    name = draw(st.sampled_from(PLAIN + list(SLOTTED)))
    slots = {}
    if name in SLOTTED and draw(st.booleans()):
        slot_name, values = SLOTTED[name]
        slots[slot_name] = draw(st.sampled_from(values))
    return name, slots, draw(st.integers(min_value=0, max_value=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(launch_first=st.booleans(), conversation=st.lists(turns(), min_size=1, max_size=14))
def test_every_response_is_valid_ssml_with_a_reprompt_when_open(launch_first, conversation):
    talk = Talk(lambda event: lambda_function.lambda_handler(event, None))
    if launch_first:
        talk.launch()  # Talk checks every response it receives
    for name, slots, minutes in conversation:
        talk.wait(minutes)
        heard = talk.intent(name, **slots)
        assert heard.speech
        if heard.ended:
            break

"""Name-free entry: answering Alexa's CanFulfillIntentRequest.

When someone says "Alexa, my calf is cramping" without naming a skill, Alexa
asks candidate skills whether they can handle it. The answer is honest, quick
and has no side effects: no speech, no store, no Settings API (the request has
no session and may have no user). Amazon documents the request's slots with a
name and a value and no resolutions, so a slot's words are judged by the same
lexicon the handlers use (skill.understanding.Lexicon); resolutions are used
when they come.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.slots import lexicon_of, resolved_id, slot_words
from skill.coach.turn import Turn

# The intents a person may bring to the skill without its name. Not here, so
# answered NO: replies that only make sense inside a conversation ("it's gone",
# "forget me", the built-ins), and red flags, which are Alexa's own to answer
# name-free rather than a cramp skill's.
SERVED = {"ReliefIntent", "CantStandIntent", "StillHurtsIntent", "CausesIntent",
          "SymptomsIntent", "DurationIntent", "SeeDoctorIntent", "PreventionIntent",
          "RemedyIntent", "ChildrenIntent", "BedtimeStretchIntent",
          "SetStretchReminderIntent", "CancelStretchReminderIntent"}
# Slots whose unknown words still get a real answer (a general one): MAYBE.
ANSWERED_GENERALLY = {("CausesIntent", "cause"), ("RemedyIntent", "remedy")}
# Built-in slot types carry no resolutions: a value Alexa filled is understood.
BUILT_IN = {("SetStretchReminderIntent", "time")}


def can_fulfill(handler_input: HandlerInput, turn: Turn) -> Response:
    """Whether the skill can serve the intent asked about, and each slot's words."""
    from ask_sdk_model.canfulfill import (
        CanFulfillIntent,
        CanFulfillIntentValues,
        CanFulfillSlot,
        CanFulfillSlotValues,
        CanUnderstandSlotValues,
    )

    intent = getattr(handler_input.request_envelope.request, "intent", None)
    name = getattr(intent, "name", None)
    said = {slot_name: slot for slot_name, slot in (getattr(intent, "slots", None) or {}).items()
            if isinstance(slot_name, str) and slot_words(slot)}
    answers = {slot_name: _slot_answer(handler_input, name, slot_name, slot)
               for slot_name, slot in said.items()}
    if name not in SERVED or "NO" in answers.values():
        overall = "NO"
    elif "MAYBE" in answers.values():
        overall = "MAYBE"
    else:
        overall = "YES"
    slots = {slot_name: CanFulfillSlot(
        can_understand=CanUnderstandSlotValues(answer),
        can_fulfill=CanFulfillSlotValues("NO" if answer == "NO" else "YES"))
        for slot_name, answer in answers.items()}
    handler_input.response_builder.set_can_fulfill_intent(CanFulfillIntent(
        can_fulfill=CanFulfillIntentValues(overall), slots=slots or None))
    return handler_input.response_builder.response


def _slot_answer(handler_input: HandlerInput, intent_name, slot_name: str, slot) -> str:
    """YES for a known value (resolved by Alexa or by the lexicon), MAYBE where the
    words still get a general answer, else NO."""
    if (intent_name, slot_name) in BUILT_IN or resolved_id(slot) is not None:
        return "YES"
    lexicon = lexicon_of(handler_input)
    if lexicon.resolve(lexicon.slot_type(slot_name), slot_words(slot)) is not None:
        return "YES"
    return "MAYBE" if (intent_name, slot_name) in ANSWERED_GENERALLY else "NO"

"""Red flags: a possible blood clot or an emergency stops everything else."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill.handlers.base import Reply, content_of, conversation_of, respond
from skill.handlers.slots import slot_value

EMERGENCY_SIGNS = ("chest", "breath")


class RedFlagHandler(AbstractRequestHandler):
    """Stops the routine at once and says what to do now.

    Chest pain or breathlessness: call the local emergency number. A swollen,
    red, warm or tender leg: stop stretching and massaging, get urgent help.
    The skill never offers to call anyone; the person must make the call.
    """

    def can_handle(self, handler_input):
        return is_intent_name("RedFlagIntent")(handler_input)

    def handle(self, handler_input):
        conversation = conversation_of(handler_input)
        content = content_of(handler_input)
        conversation.routine = None
        conversation.offer = None
        sign = (slot_value(handler_input, "sign") or "").lower()
        urgent = ("red_flag_emergency" if any(word in sign for word in EMERGENCY_SIGNS)
                  else "red_flag_clot")
        advice = content.answer(urgent).parts[0].say
        return respond(handler_input, Reply(list(advice), content.phrase("prompt_red_flag"),
                                            reprompt=" ".join(advice)))


def handlers() -> list[AbstractRequestHandler]:
    return [RedFlagHandler()]

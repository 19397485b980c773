"""Forget me: deletes everything the skill stored about the person."""

from __future__ import annotations

from ask_sdk_core.exceptions import AttributesManagerException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import log
from skill.alexa.respond import respond
from skill.coach import moves
from skill.coach.turn import Turn


def forget_me(handler_input: HandlerInput, turn: Turn) -> Response:
    """The preferences deleted here, the resume point after the move (KeepResumePoint);
    what is said is what happened."""
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
        turn.preferences_deleted = True
        said = "forgotten"
    except AttributesManagerException:
        said = "nothing_stored"
    except Exception as error:  # the store failed: say so, truthfully
        log.warning("could not delete preferences: %s", error)
        said = "forget_failed"
    return respond(handler_input, turn, moves.forgotten(turn, said))

"""Forget me: deletes everything the skill stored about the person."""

from __future__ import annotations

from ask_sdk_core.exceptions import AttributesManagerException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import log
from skill.alexa.interceptors import resume_points_of
from skill.alexa.respond import respond
from skill.coach import moves
from skill.coach.turn import Turn


def forget_me(handler_input: HandlerInput, turn: Turn) -> Response:
    """Both records deleted here, the preferences and the resume point, each tried
    even when the other fails and whatever failed earlier in the request (a read
    that was throttled or too slow spares the store for the rest of a request, not
    here); "deleted" is said only when both deletes succeeded. Nothing is written
    after it either way."""
    points = resume_points_of(handler_input)
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
    except AttributesManagerException:  # no store at all: nothing was ever kept
        return respond(handler_input, turn, moves.forgotten(turn, "nothing_stored"))
    except Exception as error:
        log.warning("could not delete preferences: %s", error)
        failed = True
    else:
        failed = False
    if points is not None:
        try:
            points.delete(handler_input.request_envelope)
        except Exception as error:
            log.warning("could not delete the resume point: %s", error)
            failed = True
    if failed:  # said truthfully; and the store is spared, so nothing is saved again
        turn.store_failed = True
    else:
        turn.preferences_deleted = True
    said = "forget_failed" if failed else "forgotten"
    return respond(handler_input, turn, moves.forgotten(turn, said))

"""Forget me: deletes everything the skill stored about the person."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.exceptions import AttributesManagerException

from skill import log
from skill.handlers.base import PREFERENCES_DELETED, Reply, content_of, intent_name, respond


class ForgetMeHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return intent_name(handler_input) == "ForgetMeIntent"

    def handle(self, handler_input):
        content = content_of(handler_input)
        attributes = handler_input.attributes_manager.request_attributes
        try:
            handler_input.attributes_manager.delete_persistent_attributes()
            attributes[PREFERENCES_DELETED] = True
            said = "forgotten"
        except AttributesManagerException:
            said = "nothing_stored"
        except Exception as error:  # the store failed: say so, truthfully
            log.warning("could not delete preferences: %s", error)
            said = "forget_failed"
        return respond(handler_input, Reply([content.phrase(said)]))


def handlers() -> list[AbstractRequestHandler]:
    return [ForgetMeHandler()]

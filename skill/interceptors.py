"""Load the conversation before a handler runs, and store it after.

These are the only places that read or write the session attributes.
"""

from __future__ import annotations

import time

from ask_sdk_core.dispatch_components import (AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)
from ask_sdk_core.utils import get_locale

from skill import content as content_files
from skill.conversation import SESSION_KEY, Conversation
from skill.handlers.base import CONTENT, CONVERSATION, NOW


class LoadConversation(AbstractRequestInterceptor):
    """Content for the request's locale, the request's time, and the saved state."""

    def process(self, handler_input):
        attributes = handler_input.attributes_manager.request_attributes
        content = content_files.load(get_locale(handler_input))
        attributes[CONTENT] = content
        timestamp = getattr(handler_input.request_envelope.request, "timestamp", None)
        attributes[NOW] = timestamp.timestamp() if timestamp else time.time()
        saved = None
        if handler_input.request_envelope.session is not None:
            saved = handler_input.attributes_manager.session_attributes.get(SESSION_KEY)
        conversation = Conversation.from_dict(saved)
        if conversation.routine and not content.has_routine(conversation.routine.name):
            conversation.routine = None
        attributes[CONVERSATION] = conversation


class SaveConversation(AbstractResponseInterceptor):
    def process(self, handler_input, response):
        if handler_input.request_envelope.session is None:
            return
        conversation = handler_input.attributes_manager.request_attributes.get(CONVERSATION)
        if conversation is not None:
            handler_input.attributes_manager.session_attributes[SESSION_KEY] = (
                conversation.to_dict())

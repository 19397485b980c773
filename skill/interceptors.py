"""What runs around every handler: the conversation state (the only code that
reads or writes the session attributes), preferences, the resume point, and the
night voice.
"""

from __future__ import annotations

import time

from ask_sdk_core.dispatch_components import (AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)
from ask_sdk_core.utils import get_locale

from skill import log
from skill import content as content_files
from skill import routine as engine
from skill.clock import DeviceTimeZones, is_night, local_time
from skill.conversation import SESSION_KEYS, Conversation
from skill.handlers.base import (CONTENT, CONVERSATION, DISCLAIMER_HEARD, MISSED, NIGHT, NOW,
                                 PREFERENCES_DELETED, RESUME_POINT, STORE_FAILED, request_type,
                                 takes_no_speech)

HEARD_DISCLAIMER = "heard_disclaimer"


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
            saved = handler_input.attributes_manager.session_attributes
        conversation = Conversation.from_session(saved)
        if conversation.routine and not content.has_routine(conversation.routine.name):
            conversation.routine = None
        attributes[CONVERSATION] = conversation


class SaveConversation(AbstractResponseInterceptor):
    def process(self, handler_input, response):
        if handler_input.request_envelope.session is None:
            return
        attributes = handler_input.attributes_manager.request_attributes
        conversation = attributes.get(CONVERSATION)
        if conversation is not None:
            if not attributes.get(MISSED):
                conversation.misses = 0
            session = handler_input.attributes_manager.session_attributes
            for key in SESSION_KEYS:  # what is no longer said is no longer kept
                session.pop(key, None)
            session.update(conversation.to_session())


class NightVoice(AbstractRequestInterceptor):
    """Between about 22:00 and 06:00 local time, the skill speaks softer and slower."""

    def __init__(self, zones: DeviceTimeZones):
        self.zones = zones

    def process(self, handler_input):
        if takes_no_speech(handler_input):
            return
        attributes = handler_input.attributes_manager.request_attributes
        moment = local_time(handler_input, self.zones, attributes[NOW])
        attributes[NIGHT] = moment is not None and is_night(moment)


class LoadPreferences(AbstractRequestInterceptor):
    """Reads the person's preferences; a failing store is logged and ignored."""

    def process(self, handler_input):
        if takes_no_speech(handler_input):
            return
        attributes = handler_input.attributes_manager.request_attributes
        try:
            preferences = handler_input.attributes_manager.persistent_attributes
            attributes[DISCLAIMER_HEARD] = preferences.get(HEARD_DISCLAIMER) is True
        except Exception as error:  # any store failure: go on without preferences
            log.warning("preference store unavailable: %s", error)
            attributes[STORE_FAILED] = True


class SavePreferences(AbstractResponseInterceptor):
    """Remembers that the disclaimer was heard, once; never health information."""

    def process(self, handler_input, response):
        attributes = handler_input.attributes_manager.request_attributes
        conversation = attributes.get(CONVERSATION)
        if (attributes.get(STORE_FAILED) or attributes.get(PREFERENCES_DELETED)
                or attributes.get(DISCLAIMER_HEARD, True)
                or conversation is None or not conversation.disclaimer_given):
            return
        try:
            manager = handler_input.attributes_manager
            manager.persistent_attributes[HEARD_DISCLAIMER] = True
            manager.save_persistent_attributes()
        except Exception as error:
            log.warning("could not save preferences: %s", error)


class FindResumePoint(AbstractRequestInterceptor):
    """When a session opens with no routine, looks for the person's resume point.

    Only launches and intents open a session this way; a store that fails is
    logged and the person simply starts afresh.
    """

    def __init__(self, resume_points):
        self.resume_points = resume_points

    def process(self, handler_input):
        envelope = handler_input.request_envelope
        session = envelope.session
        if (session is None or not session.new
                or not (request_type(handler_input) == "LaunchRequest"
                        or request_type(handler_input) == "IntentRequest")):
            return
        attributes = handler_input.attributes_manager.request_attributes
        conversation, content = attributes[CONVERSATION], attributes[CONTENT]
        if conversation.routine is not None:
            return
        if attributes.get(STORE_FAILED):
            return
        try:
            state = self.resume_points.find(envelope, attributes[NOW])
        except Exception as error:  # any store failure: start afresh, and spare the store
            log.warning("resume point unavailable: %s", error)
            attributes[STORE_FAILED] = True
            return
        if state is not None and engine.in_progress_by_name(content, state):
            attributes[RESUME_POINT] = state
            conversation.point_stored = True


class KeepResumePoint(AbstractResponseInterceptor):
    """Saves the resume point when a session closes mid-routine (silence, stop,
    or anything else that ends it); deletes it once the routine is over, and
    on "forget me". Never keeps anything else."""

    def __init__(self, resume_points):
        self.resume_points = resume_points

    def process(self, handler_input, response):
        attributes = handler_input.attributes_manager.request_attributes
        conversation, content = attributes.get(CONVERSATION), attributes.get(CONTENT)
        if conversation is None or content is None or attributes.get(STORE_FAILED):
            return
        envelope = handler_input.request_envelope
        closing = (request_type(handler_input) == "SessionEndedRequest"
                   or response is None or response.should_end_session is not False)
        mid_routine = engine.in_progress_by_name(content, conversation.routine)
        try:
            if attributes.get(PREFERENCES_DELETED):
                self.resume_points.delete(envelope)
                conversation.point_stored = False
            elif closing and mid_routine:
                self.resume_points.save(envelope, conversation.routine, attributes[NOW])
                conversation.point_stored = True
            elif conversation.point_stored and not mid_routine:
                self.resume_points.delete(envelope)
                conversation.point_stored = False
        except Exception as error:  # the routine goes on; only resuming is lost
            log.warning("resume point not kept: %s", error)

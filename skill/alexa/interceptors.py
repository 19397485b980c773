"""What runs around every move: building the Turn (the conversation state from
the session, the only code that reads or writes the session attributes),
preferences, the resume point, and the night voice. Nothing here knows a move:
the request handler (dispatch.py) reads the Turn these build.
"""

from __future__ import annotations

import time

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.utils import get_locale

from skill import content as content_files
from skill import log
from skill.alexa.requests import has_screen, intent_name, request_type, takes_no_speech
from skill.alexa.slots import resolved_ids
from skill.clock import DeviceTimeZones, is_night_at
from skill.coach import routine as engine
from skill.coach.conversation import SESSION_KEYS, Conversation
from skill.coach.turn import Turn

HEARD_DISCLAIMER = "heard_disclaimer"
TURN = "turn"  # the request attribute of the Turn
RESUME_POINTS = "resume_points"  # and of the store's resume points, for "forget me"
SESSION_ENDED = "SessionEndedRequest"


def turn_of(handler_input) -> Turn:
    """The request's Turn; a bare one (the base content, a new conversation) when
    the interceptors never ran, as when one of them failed."""
    attributes = handler_input.attributes_manager.request_attributes
    turn = attributes.get(TURN)
    if turn is None:
        turn = attributes[TURN] = Turn(content_files.load(content_files.DEFAULT_LOCALE))
    return turn


def resume_points_of(handler_input):
    """The store's resume points (skill.persistence.resume), or None where nothing
    is stored."""
    return handler_input.attributes_manager.request_attributes.get(RESUME_POINTS)


def may_write(handler_input) -> bool:
    """Whether this request may change what is stored: one a person hears the answer
    to, or the end of their session (where the resume point is saved). A name-free
    query only asks, and a player event or an error report is no one's turn:
    whatever session state they carry, they write nothing."""
    return not takes_no_speech(handler_input) or request_type(handler_input) == SESSION_ENDED


class BuildTurn(AbstractRequestInterceptor):
    """Content for the request's locale, the request's time, the saved state, the
    screen and the slots as resolved ids."""

    def process(self, handler_input):
        content = content_files.load(get_locale(handler_input))
        timestamp = getattr(handler_input.request_envelope.request, "timestamp", None)
        saved = None
        if handler_input.request_envelope.session is not None:
            saved = handler_input.attributes_manager.session_attributes
        conversation = Conversation.from_session(saved)
        if conversation.routine and not content.has_routine(conversation.routine.name):
            conversation.routine = None
        handler_input.attributes_manager.request_attributes[TURN] = Turn(
            content, conversation, timestamp.timestamp() if timestamp else time.time(),
            screen=has_screen(handler_input), slots=resolved_ids(handler_input))


class SaveConversation(AbstractResponseInterceptor):
    def process(self, handler_input, response):
        if handler_input.request_envelope.session is None:
            return
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        if turn is not None:
            conversation = turn.conversation
            if not turn.missed:
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
        turn = turn_of(handler_input)
        turn.zone = self.zones.zone_of(handler_input)
        turn.night = is_night_at(turn.now, turn.zone)


class LoadPreferences(AbstractRequestInterceptor):
    """Reads the person's preferences; a failing store is logged and ignored."""

    def process(self, handler_input):
        if takes_no_speech(handler_input):
            return
        turn = turn_of(handler_input)
        try:
            preferences = handler_input.attributes_manager.persistent_attributes
            turn.disclaimer_heard = preferences.get(HEARD_DISCLAIMER) is True
        except Exception as error:  # any store failure: go on without preferences
            log.warning("preference store unavailable: %s", error)
            turn.store_failed = True


class SavePreferences(AbstractResponseInterceptor):
    """Remembers that the disclaimer was heard, once; never health information."""

    def process(self, handler_input, response):
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        if (turn is None or turn.store_failed or turn.preferences_deleted
                or takes_no_speech(handler_input)  # written only where they were read
                or turn.disclaimer_heard is not False  # heard, or the preferences not read
                or not turn.conversation.disclaimer_given):
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
    logged and the person simply starts afresh. Finding the point changes
    nothing: it is the conversation's once the request takes it up
    (KeepResumePoint). Every request also gets the resume points, which "forget
    me" deletes itself.
    """

    def __init__(self, resume_points):
        self.resume_points = resume_points

    def process(self, handler_input):
        handler_input.attributes_manager.request_attributes[RESUME_POINTS] = self.resume_points
        envelope = handler_input.request_envelope
        session = envelope.session
        if not takes_no_speech(handler_input):
            turn_of(handler_input).keeps_place = True  # "stop" may say the place is kept
        if (session is None or not session.new
                or not (request_type(handler_input) == "LaunchRequest"
                        or request_type(handler_input) == "IntentRequest")):
            return
        turn = turn_of(handler_input)
        if turn.conversation.routine is not None or turn.store_failed:
            return
        try:
            state = self.resume_points.find(envelope, turn.now)
        except Exception as error:  # any store failure: start afresh, and spare the store
            log.warning("resume point unavailable: %s", error)
            turn.store_failed = True
            return
        if state is not None and engine.in_progress_by_name(turn.content, state):
            turn.resume_point = state


class KeepResumePoint(AbstractResponseInterceptor):
    """Saves the resume point when a session closes mid-routine (silence, stop,
    or anything else that ends it); deletes it once the routine is over. Never
    keeps anything else; writes nothing after "forget me" (which deleted the
    point itself) or for a request that may not write."""

    def __init__(self, resume_points):
        self.resume_points = resume_points

    def process(self, handler_input, response):
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        if turn is None or not may_write(handler_input):
            return
        conversation = turn.conversation
        if turn.preferences_deleted:
            conversation.point_stored = False
            return
        if turn.resume_point is not None and took_up(handler_input, turn):
            conversation.point_stored = True  # this conversation's now, to save or delete
        if turn.store_failed:
            return
        envelope = handler_input.request_envelope
        closing = (request_type(handler_input) == SESSION_ENDED
                   or response is None or response.should_end_session is not False)
        mid_routine = engine.in_progress_by_name(turn.content, conversation.routine)
        try:
            if closing and mid_routine:
                self.resume_points.save(envelope, conversation.routine, turn.now)
                conversation.point_stored = True
            elif conversation.point_stored and not mid_routine:
                self.resume_points.delete(envelope)
                conversation.point_stored = False
        except Exception as error:  # the routine goes on; only resuming is lost
            log.warning("resume point not kept: %s", error)


def took_up(handler_input, turn: Turn) -> bool:
    """Whether a request that found a resume point used it: carried on from it
    (welcome back), began a routine in its place, gave urgent advice (no routine
    follows), or heard that the cramp is gone. A question, help, a reminder or
    goodbye leave the point for the next launch within its 15 minutes."""
    conversation = turn.conversation
    return (conversation.routine is not None or conversation.urgent is not None
            or intent_name(handler_input) == "CrampGoneIntent")

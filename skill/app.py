"""Assembles the skill: the one place a skill is built, for every edge.

The Lambda handler, the web service and the text console all call
build_skill_builder(); nothing else creates a skill.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.services import ApiClient

from skill import edge, log
from skill.api_client import TimeoutApiClient
from skill.persistence import with_deadlines
from skill.clock import DeviceTimeZones
from skill.handlers import (builtins, continuity, platform, preferences, questions, relief,
                            reminders, safety)
from skill.handlers.errors import CatchAllExceptionHandler
from skill.interceptors import (FindResumePoint, KeepResumePoint, LoadConversation,
                                LoadPreferences, NightVoice, SaveConversation, SavePreferences)


def build_skill_builder(persistence_adapter: Optional[AbstractPersistenceAdapter] = None,
                        api_client: Optional[ApiClient] = None,
                        skill_id: Optional[str] = None) -> CustomSkillBuilder:
    """Every handler, interceptor and error handler, in dispatch order.

    Name-free queries (which never reach a conversation) come first, then red
    flags, so that nothing in a conversation can outrank them; the fallback comes
    last because it takes any intent no other handler took. A store that can
    keep resume points (both of ours can) keeps them beside the preferences.
    """
    persistence_adapter, resume_points = with_deadlines(persistence_adapter)
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter,
                                 api_client=api_client or TimeoutApiClient())
    builder.skill_id = skill_id or None
    zones = DeviceTimeZones()  # one cache of time zones: the night voice's and the reminders'
    for handler in (*platform.handlers(), *safety.handlers(), *continuity.handlers(),
                    *relief.handlers(), *questions.handlers(), *preferences.handlers(),
                    *reminders.handlers(zones), *builtins.handlers()):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler())
    builder.add_global_request_interceptor(LoadConversation())
    builder.add_global_request_interceptor(NightVoice(zones))
    if persistence_adapter is not None:
        builder.add_global_request_interceptor(LoadPreferences())
        builder.add_global_response_interceptor(SavePreferences())
    if resume_points is not None:
        builder.add_global_request_interceptor(FindResumePoint(resume_points))
        builder.add_global_response_interceptor(KeepResumePoint(resume_points))
    # Last, so that what the other interceptors changed is in the session.
    builder.add_global_response_interceptor(SaveConversation())
    return builder


def create_skill(**options) -> CustomSkill:
    return build_skill_builder(**options).create()


def lambda_handler(**options) -> Callable[[Any, Any], dict]:
    """The Lambda entry point: the SDK's skill, behind the same checks as the web
    service. An event that is not an Alexa request for this skill raises
    RequestRefused (logged as one line, without the event); nothing the SDK
    would trip over reaches it."""
    skill = create_skill(**options)
    skill_id = options.get("skill_id")

    def handle(event, context):
        try:
            envelope = edge.read_envelope(skill.serializer, event, skill_id)
        except edge.RequestRefused as refused:
            log.warning("request refused: %s", refused.reason)
            raise
        return skill.serializer.serialize(skill.invoke(request_envelope=envelope,
                                                       context=context))

    return handle

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
from skill.alexa.dispatch import RouteHandler
from skill.alexa.errors import CatchAllExceptionHandler
from skill.alexa.interceptors import (
    BuildTurn,
    FindResumePoint,
    KeepResumePoint,
    LoadPreferences,
    NightVoice,
    SaveConversation,
    SavePreferences,
)
from skill.api_client import TimeoutApiClient
from skill.clock import DeviceTimeZones
from skill.persistence import with_deadlines


def build_skill_builder(persistence_adapter: Optional[AbstractPersistenceAdapter] = None,
                        api_client: Optional[ApiClient] = None,
                        skill_id: Optional[str] = None) -> CustomSkillBuilder:
    """The one request handler (routing by table: skill.alexa.dispatch), the
    interceptors that build the Turn around it, and the error handler. A store
    that can keep resume points (both of ours can) keeps them beside the
    preferences.
    """
    persistence_adapter, resume_points = with_deadlines(persistence_adapter)
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter,
                                 api_client=api_client or TimeoutApiClient())
    builder.skill_id = skill_id or None  # type: ignore[assignment]  # typed None in the SDK
    builder.add_request_handler(RouteHandler())
    builder.add_exception_handler(CatchAllExceptionHandler())
    builder.add_global_request_interceptor(BuildTurn())
    builder.add_global_request_interceptor(NightVoice(DeviceTimeZones()))
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

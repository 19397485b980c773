"""Assembles the skill: the one place a skill is built, for every edge.

The Lambda handler, the web service and the text console all call
build_skill_builder(); nothing else creates a skill.
"""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.services import ApiClient

from skill.api_client import TimeoutApiClient
from skill.handlers import builtins, continuity, preferences, questions, relief, safety
from skill.handlers.errors import CatchAllExceptionHandler
from skill.interceptors import (FindResumePoint, KeepResumePoint, LoadConversation,
                                LoadPreferences, NightVoice, SaveConversation, SavePreferences)


def build_skill_builder(persistence_adapter: Optional[AbstractPersistenceAdapter] = None,
                        api_client: Optional[ApiClient] = None,
                        skill_id: Optional[str] = None) -> CustomSkillBuilder:
    """Every handler, interceptor and error handler, in dispatch order.

    Red flags come first so that nothing can outrank them; the fallback comes
    last because it takes any intent no other handler took. A store that can
    keep resume points (both of ours can) keeps them beside the preferences.
    """
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter,
                                 api_client=api_client or TimeoutApiClient())
    builder.skill_id = skill_id or None
    for handler in (*safety.handlers(), *continuity.handlers(), *relief.handlers(),
                    *questions.handlers(), *preferences.handlers(), *builtins.handlers()):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler())
    builder.add_global_request_interceptor(LoadConversation())
    builder.add_global_request_interceptor(NightVoice())
    if persistence_adapter is not None:
        builder.add_global_request_interceptor(LoadPreferences())
        builder.add_global_response_interceptor(SavePreferences())
    resume_points = getattr(persistence_adapter, "resume_points", None)
    if resume_points is not None:
        points = resume_points()
        builder.add_global_request_interceptor(FindResumePoint(points))
        builder.add_global_response_interceptor(KeepResumePoint(points))
    # Last, so that what the other interceptors changed is in the session.
    builder.add_global_response_interceptor(SaveConversation())
    return builder


def create_skill(**options) -> CustomSkill:
    return build_skill_builder(**options).create()

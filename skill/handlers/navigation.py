"""Where the conversation can go from here, for replies that are not a step."""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput

from skill import routine as engine
from skill.handlers.base import content_of, conversation_of


def way_forward(handler_input: HandlerInput,
                ending_allowed: bool = False) -> tuple[Optional[str], Optional[str]]:
    """The prompt and reprompt that lead back into the conversation.

    With ending_allowed, (None, None) when nothing is in progress, so the
    caller may end the session instead.
    """
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    state = conversation.routine
    step = engine.current_step(content, state) if state else None
    if step is not None and (state.paused or conversation.offer == "resume"):
        prompt = content.phrase("prompt_back_to_routine")
        return prompt, prompt
    if step is not None:
        return step.prompt, step.reprompt
    if ending_allowed:
        return None, None
    prompt = content.phrase("prompt_start")
    return prompt, prompt

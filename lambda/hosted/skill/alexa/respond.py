"""Reply -> Response: the one place a reply is spoken.

It adds the disclaimer, once, at the first calm point (an answer, the aftercare:
never in a step, a question, urgent advice or an error) for a new user, and the
prompt, softens the voice at night (never for urgent advice), adds the card on
a device with a screen, and is the only writer of what was last said (for
"repeat"), its reprompt and whether it was urgent.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.coach.replies import Reply
from skill.coach.turn import Turn
from skill.speech import Pause, finish, render

DISCLAIMER_PAUSE = Pause.of(1)  # a breath before it: no long run of talk


def respond(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Response:
    """A reprompt keeps the session open; none ends it."""
    conversation = turn.conversation
    if reply.rendered is not None:
        speech, reprompt = reply.rendered
    else:
        segments = list(reply.body)
        if reply.calm and not (conversation.disclaimer_given or turn.disclaimer_heard):
            segments.extend((DISCLAIMER_PAUSE, turn.content.phrase("disclaimer")))
            conversation.disclaimer_given = True
        if reply.prompt:
            segments.append(reply.prompt)
        segments.extend(reply.closing)
        again = reply.reprompt or reply.prompt
        speech, reprompt = render(segments), render([again]) if again else None
    conversation.last_said, conversation.last_reprompt = speech, reprompt
    conversation.last_urgent = reply.urgent
    if reply.replay:
        conversation.last_said = render(reply.replay)
    night = turn.night and not reply.urgent
    builder = handler_input.response_builder.speak(finish(speech, night))
    if reprompt:
        builder.ask(finish(reprompt, night))
    else:
        builder.set_should_end_session(True)
    if reply.card is not None and turn.screen:
        from skill.display.cards import directive  # APL only for a screen

        builder.add_directive(directive(reply.card, turn.content,
                                        getattr(handler_input.request_envelope.context,
                                                "viewport", None), night))
    return builder.response

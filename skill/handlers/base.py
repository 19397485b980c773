"""What every handler shares: the reply it builds and the one way it is spoken."""

from __future__ import annotations

from typing import Optional

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import content as content_files
from skill import routine as engine
from skill.content import Content
from skill.conversation import Conversation
from skill.record import Record
from skill.speech import Segment, finish, render, spoken_ms

CONVERSATION = "conversation"
CONTENT = "content"
NIGHT = "night"
NOW = "now"
DISCLAIMER_HEARD = "disclaimer_heard"
STORE_FAILED = "store_failed"
PREFERENCES_DELETED = "preferences_deleted"
MISSED = "missed"  # set when this turn was not understood
RESUME_POINT = "resume_point"  # the routine state saved when the last session closed
WELCOME_BACK = "welcome_back"  # the offer after "Welcome back. You were on ..."


class Card(Record):
    """What a screen shows with a reply: plain data, drawn by skill.display only on
    devices with a screen (nothing here imports APL).

    kind is "step", "answer" or "urgent"; text is the instruction or answer in the
    words spoken; a step card also names its step and place in the routine, how
    long its hold is counted and after how long the count starts, and its buttons
    (touch events: "next", "repeat", "back", "cant_stand", "continue"); answer is
    the answer shown, for an urgent card: which number to show.
    """

    __slots__ = ("kind", "text", "step_id", "step", "steps", "count_seconds",
                 "count_after_ms", "buttons", "answer")
    defaults = {"step_id": None, "step": 0, "steps": 0, "count_seconds": 0,
                "count_after_ms": 0, "buttons": (), "answer": None}


def words_of(segments) -> str:
    """The text of speech segments, without its pauses and sounds."""
    return " ".join(segment.strip() for segment in segments if isinstance(segment, str))


class Reply:
    """What to say: the instruction or answer first, then what to say next.

    A reply with neither prompt nor reprompt ends the session; otherwise the
    session stays open and the reprompt (the prompt, unless given) is spoken if
    the person is quiet.
    """

    __slots__ = ("body", "prompt", "reprompt", "urgent", "replay", "card")

    def __init__(self, body: list[Segment], prompt: Optional[str] = None,
                 reprompt: Optional[str] = None, urgent: bool = False,
                 replay: Optional[list[Segment]] = None, card: Optional[Card] = None):
        self.body = body
        self.prompt = prompt
        self.reprompt = reprompt
        self.urgent = urgent  # urgent or emergency advice: never softened by the night voice
        self.replay = replay  # what "repeat" says instead, e.g. the step with its hold
        self.card = card      # what a screen shows with it; None leaves the screen as it is


def request_type(handler_input: HandlerInput) -> str:
    """The kind of request, e.g. "LaunchRequest". (Cheaper than the SDK's
    is_request_type, which builds a new predicate on every call.)"""
    return handler_input.request_envelope.request.object_type


def intent_name(handler_input: HandlerInput) -> Optional[str]:
    """The intent's name for an IntentRequest, else None."""
    request = handler_input.request_envelope.request
    if request.object_type != "IntentRequest":
        return None
    return getattr(request.intent, "name", None)


def conversation_of(handler_input: HandlerInput) -> Conversation:
    attributes = handler_input.attributes_manager.request_attributes
    conversation = attributes.get(CONVERSATION)
    if conversation is None:  # (setdefault would build a new one on every call)
        conversation = attributes[CONVERSATION] = Conversation()
    return conversation


def content_of(handler_input: HandlerInput) -> Content:
    attributes = handler_input.attributes_manager.request_attributes
    if CONTENT not in attributes:
        attributes[CONTENT] = content_files.load(content_files.DEFAULT_LOCALE)
    return attributes[CONTENT]


def now_of(handler_input: HandlerInput) -> float:
    """The request's own time (epoch seconds), so replays and tests are exact."""
    return handler_input.attributes_manager.request_attributes.get(NOW, 0.0)


def respond(handler_input: HandlerInput, reply: Reply) -> Response:
    """Speak a reply: disclaimer after the first instruction for a new user,
    night voice when it is late, and remember it for "repeat"."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    segments = list(reply.body)
    if not _disclaimer_heard(handler_input, conversation):
        segments.append(content.phrase("disclaimer"))
        conversation.disclaimer_given = True
    if reply.prompt:
        segments.append(reply.prompt)
    reprompt = [reply.reprompt or reply.prompt] if reply.prompt or reply.reprompt else None
    response = send(handler_input, render(segments), render(reprompt) if reprompt else None,
                    reply.urgent, reply.card)
    if reply.replay:
        conversation.last_said = render(reply.replay)
    return response


def send(handler_input: HandlerInput, speech: str, reprompt: Optional[str],
         urgent: bool = False, card: Optional[Card] = None) -> Response:
    """Send rendered speech (speech.render), and remember it for "repeat"; a
    reprompt keeps the session open, none ends it. Urgent advice is spoken in the
    normal voice, even at night. On a device with a screen, the card goes with
    it (the APL code is imported only then)."""
    conversation = conversation_of(handler_input)
    conversation.last_said, conversation.last_reprompt = speech, reprompt
    conversation.last_urgent = urgent
    night = (handler_input.attributes_manager.request_attributes.get(NIGHT, False)
             and not urgent)
    builder = handler_input.response_builder.speak(finish(speech, night))
    if reprompt:
        builder.ask(finish(reprompt, night))
    else:
        builder.set_should_end_session(True)
    if card is not None and has_screen(handler_input):
        from skill.display.cards import show

        show(handler_input, card)
    return builder.response


def has_screen(handler_input: HandlerInput) -> bool:
    """The device renders APL (checked on the request as sent: no APL import)."""
    system = handler_input.request_envelope.context.system
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def _disclaimer_heard(handler_input: HandlerInput, conversation: Conversation) -> bool:
    attributes = handler_input.attributes_manager.request_attributes
    return conversation.disclaimer_given or attributes.get(DISCLAIMER_HEARD, False)


def step_reply(handler_input: HandlerInput, lead: tuple[Segment, ...] = (),
               brief: bool = False) -> Reply:
    """The current routine step, or the routine's closing words once it is done.

    A lead ("Okay.") takes the place of the step's own intro, so bridges never
    stack. A brief step, on returning to it after a question or a wait, is the
    instruction without its timed part; "repeat" then gives the whole step.
    """
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    state = conversation.routine
    step = engine.current_step(content, state)
    if step is None:
        return answer_reply(handler_input, engine.routine_of(content, state).finish, lead=lead)
    conversation.offer = None
    opening = tuple(lead) or ((step.intro,) if step.intro else ())
    screen = has_screen(handler_input)  # a card only for a screen: no cost elsewhere
    if brief and step.hold:
        return Reply([*opening, *step.words], step.hold.again, step.reprompt,
                     replay=[*step.say, step.prompt],
                     card=step_card(content, state) if screen else None)
    return Reply([*opening, *step.say], step.prompt, step.reprompt,
                 card=step_card(content, state, spoken_ms(render([*opening, *step.words])))
                 if screen else None)


def replay_card(handler_input: HandlerInput) -> Optional[Card]:
    """The card for "repeat" mid-routine: the step's, its count restarted where the
    hold comes round again in what is repeated."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    state, said = conversation.routine, conversation.last_said or ""
    step = engine.current_step(content, state) if state else None
    if step is None or state.paused or conversation.last_urgent:
        return None
    start = said.find(render(step.hold.say)) if step.hold else -1
    return step_card(content, state, spoken_ms(said[:start]) if start >= 0 else None)


def step_card(content: Content, state, before_hold_ms: Optional[int] = None) -> Card:
    """The card of the current step; given how long is said before its hold, a
    countdown, started when the counted silence starts."""
    routine = engine.routine_of(content, state)
    step = routine.steps[state.step]
    buttons = (("back",) if state.step else ()) + ("repeat", "next") + (
        ("cant_stand",) if routine.seated or step.standing else ())
    count_seconds = count_after = 0
    if step.hold and before_hold_ms is not None:
        lead_in = []
        for segment in step.hold.say:  # the hold's first words come before its first pause
            if not isinstance(segment, str):
                break
            lead_in.append(segment)
        count_seconds = sum(getattr(segment, "seconds", 0) for segment in step.hold.say)
        count_after = before_hold_ms + spoken_ms(render(lead_in))
    return Card("step", words_of(step.words), step.id, state.step + 1, len(routine.steps),
                count_seconds, count_after, buttons)


def answer_reply(handler_input: HandlerInput, key: str, part: int = 0,
                 lead: tuple[Segment, ...] = ()) -> Reply:
    """One part of an answer, then the way on: the next part, back to the
    routine in progress, a related topic, or the end of the session."""
    conversation = conversation_of(handler_input)
    content = content_of(handler_input)
    answer = content.answer(key)
    opening = tuple(lead) or ((answer.intro,) if answer.intro and part == 0 else ())
    body = [*opening, *answer.parts[part].say]
    routine = conversation.routine
    in_routine = engine.in_progress(content, routine)
    if in_routine:
        routine.paused = True
    card = Card("answer", words_of(answer.parts[part].say),
                buttons=("continue",) if in_routine else (), answer=key)
    if part + 1 < len(answer.parts):
        conversation.offer = f"{key}:{part + 1}"
        more = content.phrase(answer.more)
        if in_routine:
            more = f"{more} {content.phrase('prompt_or_back_to_routine')}"
        return Reply(body, more, card=card)
    if in_routine:
        conversation.offer = "resume"
        return Reply(body, content.phrase("prompt_back_to_routine"), card=card)
    if answer.offer:
        conversation.offer = answer.offer
        return Reply(body, content.phrase(answer.ask), card=card)
    conversation.offer = None
    return Reply(body, card=card)


SILENT_PREFIXES = ("AudioPlayer.", "PlaybackController.")
SILENT_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered",
                "CanFulfillIntentRequest")


def takes_no_speech(handler_input) -> bool:
    """Requests Alexa sends that no one is listening to an answer for: the session
    closed, a player event, a report of an earlier error, a name-free query."""
    kind = getattr(handler_input.request_envelope.request, "object_type", None) or ""
    return kind in SILENT_TYPES or kind.startswith(SILENT_PREFIXES)

"""What a move returns: a Reply (what to say, what to ask, what a screen shows).

Replies only compose: building one never changes the conversation. The one
respond function of skill.alexa.respond speaks it and remembers it.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from skill.coach import routine as engine
from skill.coach.conversation import Conversation, Offer, RoutineState
from skill.content import Content
from skill.record import Record
from skill.speech import Segment, Sound, is_safe_inner, render


class Card(Record):
    """What a screen shows with a reply: plain data, drawn by skill.display only on
    devices with a screen (nothing here imports APL).

    kind is "step", "answer" or "urgent"; text is the instruction or answer in the
    words spoken; a step card also names its step and place in the routine, what
    is said before its hold's counted silence and the hold itself up to its chime
    (rendered SSML, which the display times in the locale's voice, by day or at
    night, to start its countdown with the hold and end it with the chime), and its buttons
    (touch events: "next", "repeat", "back", "cant_stand", "continue"); answer is
    the answer shown, for an urgent card: which number to show.
    """

    __slots__ = ("kind", "text", "step_id", "step", "steps", "timing", "buttons", "answer")
    defaults = {"step_id": None, "step": 0, "steps": 0, "timing": (), "buttons": (),
                "answer": None}
    kind: str
    text: str
    step_id: Optional[str]
    step: int
    steps: int
    timing: tuple[str, ...]   # (SSML before the counted silence, SSML of the hold to its chime)
    buttons: tuple[str, ...]
    answer: Optional[str]


def words_of(segments: Iterable[Segment]) -> str:
    """The text of speech segments, without its pauses and sounds."""
    return " ".join(segment.strip() for segment in segments if isinstance(segment, str))


class Reply:
    """What to say: the instruction or answer first, then what to say next.

    A reply with neither prompt nor reprompt ends the session; otherwise the
    session stays open and the reprompt (the prompt, unless given) is spoken if
    the person is quiet. A reply made with `again` is speech already rendered
    (what was last said, or the error words), spoken as it is: no disclaimer.
    """

    __slots__ = ("body", "prompt", "reprompt", "urgent", "replay", "card", "offer", "calm",
                 "closing", "rendered")

    def __init__(self, body: Sequence[Segment], prompt: Optional[str] = None,
                 reprompt: Optional[str] = None, urgent: bool = False,
                 replay: Optional[list[Segment]] = None, card: Optional[Card] = None,
                 offer: Optional[str] = None, calm: bool = False):
        self.body = body
        self.prompt = prompt
        self.reprompt = reprompt
        self.urgent = urgent  # urgent or emergency advice: never softened by the night voice
        self.replay = replay  # what "repeat" says instead, e.g. the step with its hold
        self.card = card      # what a screen shows with it; None leaves the screen as it is
        self.offer = offer    # what a "yes" to it accepts (Offer); the move that says it sets it
        self.calm = calm      # an answer: the first calm point, where the disclaimer may go
        self.closing: Sequence[Segment] = ()  # the very last words ("Sleep well."), after all
        self.rendered: Optional[tuple[str, Optional[str]]] = None  # (speech, reprompt) as SSML

    @classmethod
    def again(cls, speech: str, reprompt: Optional[str], urgent: bool = False,
              card: Optional[Card] = None) -> "Reply":
        """Rendered SSML (speech.render), said as it is; no reprompt ends the session."""
        reply = cls([], urgent=urgent, card=card)
        reply.rendered = (speech, reprompt)
        return reply


def step(content: Content, state: RoutineState, screen: bool, lead: tuple[Segment, ...] = (),
         brief: bool = False, caveat: bool = True, trail: tuple[Segment, ...] = ()) -> Reply:
    """The current step of a routine that still has one.

    A lead ("Okay.") takes the place of the step's own intro, so bridges never
    stack. The step's caveat follows its words when asked for (the first time);
    a trail (a caution, a tip) comes after its timed part, before its prompt. A
    brief step, on returning to it after a question or a wait, is the
    instruction without its timed part; "repeat" then gives the whole step.
    """
    current = engine.current_step(content, state)
    assert current is not None, "a finished routine has no step"
    opening = tuple(lead) or ((current.intro,) if current.intro else ())
    words = (*current.words, *(current.caveat if caveat else ()))
    held = current.hold.say if current.hold else ()
    if brief and current.hold:
        return Reply([*opening, *words, *trail], current.hold.again, current.reprompt,
                     replay=[*words, *held, current.prompt],
                     card=step_card(content, state) if screen else None)
    return Reply([*opening, *words, *held, *trail], current.prompt, current.reprompt,
                 card=step_card(content, state, render([*opening, *words]))
                 if screen else None)


def flowing(first: Reply, then: Reply) -> Reply:
    """Two steps in one answer, with no "next" between them: the first's words, the
    second's words and its way on. The screen shows the first."""
    return Reply([*first.body, *then.body], then.prompt, then.reprompt, card=first.card)


def step_card(content: Content, state: RoutineState, before_hold: Optional[str] = None) -> Card:
    """The card of the current step; given what is said before its hold, a countdown
    from the hold's counted silence to its chime."""
    routine = engine.routine_of(content, state)
    current = routine.steps[state.step]
    buttons = (("back",) if state.step else ()) + ("repeat", "next") + (
        ("cant_stand",) if routine.seated or current.standing else ())
    timing: tuple[str, ...] = ()
    if current.hold and before_hold is not None:
        said = current.hold.say
        first_pause = next((index for index, segment in enumerate(said)
                            if not isinstance(segment, str)), len(said))
        chime = next((index for index, segment in enumerate(said)
                      if isinstance(segment, Sound)), len(said))
        if first_pause < chime:  # the hold's first words come before its counted silence
            timing = (f"{before_hold} {render(said[:first_pause])}".strip(),
                      render(said[first_pause:chime]))
    return Card("step", words_of(current.words), current.id, state.step + 1,
                len(routine.steps), timing, buttons)


def replay_card(content: Content, conversation: Conversation) -> Optional[Card]:
    """The card for "repeat" mid-routine: the step's, its count restarted where the
    hold comes round again in what is repeated."""
    state, said = conversation.routine, conversation.last_said or ""
    current = engine.current_step(content, state) if state else None
    if state is None or current is None or state.paused or conversation.last_urgent:
        return None
    start = said.find(render(current.hold.say)) if current.hold else -1
    return step_card(content, state, said[:start].strip() if start >= 0 else None)


def answer(content: Content, key: str, part: int = 0, in_routine: bool = False,
           lead: tuple[Segment, ...] = (), ask: bool = True) -> Reply:
    """One part of an answer, then the way on (its offer): the next part, back to
    the routine in progress, a related topic (unless `ask` is False), or the end
    of the session."""
    told = content.answer(key)
    opening = tuple(lead) or ((told.intro,) if told.intro and part == 0 else ())
    body = [*opening, *told.parts[part].say]
    serious = told.serious  # never softened, and the disclaimer waits for a calmer answer
    calm = not serious
    card = Card("answer", words_of(told.parts[part].say),
                buttons=("continue",) if in_routine else (), answer=key)
    if part + 1 < len(told.parts):
        more = content.phrase(told.more) if told.more else ""
        if in_routine:
            more = f"{more} {content.phrase('prompt_or_back_to_routine')}"
        return Reply(body, more, card=card, offer=Offer.part_of(key, part + 1), calm=calm, urgent=serious)
    if in_routine:
        return Reply(body, content.phrase("prompt_back_to_routine"), card=card,
                     offer=Offer.RESUME, calm=calm, urgent=serious)
    if told.offer and told.ask and ask:
        return Reply(body, content.phrase(told.ask), card=card, offer=told.offer, calm=calm, urgent=serious)
    return Reply(body, card=card, calm=calm, urgent=serious)


def urgent(content: Content, key: str, lead: Sequence[Segment] = ()) -> Reply:
    """Urgent or emergency advice (an answer key), after a lead if given; the way on
    is "repeat", and the person hears it again if quiet."""
    advice = [*lead, *content.answer(key).parts[0].say]
    return Reply(advice, content.phrase("prompt_red_flag"), reprompt=words_of(advice),
                 urgent=True, card=Card("urgent", words_of(advice), answer=key))


def way_forward(content: Content, conversation: Conversation,
                ending_allowed: bool = False) -> tuple[Optional[str], Optional[str]]:
    """The prompt and reprompt that lead back into the conversation, for replies
    that are not a step.

    With ending_allowed, (None, None) when nothing is in progress, so the
    caller may end the session instead.
    """
    state = conversation.routine
    current = engine.current_step(content, state) if state else None
    if current is not None and state is not None and (state.paused
                                                      or conversation.offer == Offer.RESUME):
        prompt = content.phrase("prompt_back_to_routine")
        return prompt, prompt
    if current is not None:
        return current.prompt, current.reprompt
    if ending_allowed:
        return None, None
    prompt = content.phrase("prompt_start")
    return prompt, prompt


def is_repeatable(said: Optional[str], reprompt: Optional[str]) -> bool:
    """What the session says was last said is speech render() could have made."""
    return is_safe_inner(said) and (reprompt is None or is_safe_inner(reprompt))

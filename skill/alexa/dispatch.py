"""Routing: which move answers a request. One table, and above it the few
overrides that must win, top to bottom in the order they win.

A request is known by its intent's name (an IntentRequest, or the intent a
name-free CanFulfillIntentRequest asks about), by the intent a touched button
stands for, or else by its request type. One request handler, RouteHandler,
looks the name up: a dictionary lookup, not a scan of can_handle calls.
"""

from __future__ import annotations

from typing import Callable, Optional, Union

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import forget, platform, reminders
from skill.alexa.interceptors import turn_of
from skill.alexa.requests import TOUCH, request_type, touch_event
from skill.alexa.respond import respond
from skill.coach import moves
from skill.coach.conversation import Offer
from skill.coach.moves import Move
from skill.coach.turn import Turn

INTENT_REQUEST = "IntentRequest"
NAME_FREE = "CanFulfillIntentRequest"


class Action:
    """A route that needs the SDK itself (the store, an Alexa API, a directive): it
    gets the handler input and the Turn, and makes the whole response."""

    __slots__ = ("run",)

    def __init__(self, run: Callable[[HandlerInput, Turn], Response]):
        self.run = run


Route = Union[Move, Action]

# The event a card's button sends, and the intent it stands for: a touch runs
# the same move as the voice.
TOUCH_EVENTS = {"next": "AMAZON.NextIntent", "repeat": "AMAZON.RepeatIntent",
                "back": "AMAZON.PreviousIntent", "cant_stand": "CantStandIntent",
                "continue": "AMAZON.ResumeIntent"}


# The overrides, in the order they win: (why, when it applies, the route).
def _name_free(kind: str, name: Optional[str], turn: Turn) -> bool:
    """Alexa asking whether the skill could serve an intent, not the intent itself."""
    return kind == NAME_FREE


def _welcome_back(kind: str, name: Optional[str], turn: Turn) -> bool:
    """A session opening within 15 minutes of one closed mid-routine."""
    return turn.resume_point is not None and name in (
        "LaunchRequest", "AMAZON.NextIntent", "AMAZON.ResumeIntent")


def _welcome_back_still_hurts(kind: str, name: Optional[str], turn: Turn) -> bool:
    return turn.resume_point is not None and name == "StillHurtsIntent"


def _thigh_back(kind: str, name: Optional[str], turn: Turn) -> bool:
    """ "Back" said to "the front or the back?" (Alexa hears it as "previous")."""
    return (kind == INTENT_REQUEST and name == "AMAZON.PreviousIntent"
            and turn.conversation.offer == Offer.THIGH_SIDE)


def _thigh_unanswered(kind: str, name: Optional[str], turn: Turn) -> bool:
    """ "Next" or "yes" said to "the front or the back?", which names neither."""
    return (kind == INTENT_REQUEST and name in ("AMAZON.NextIntent", "AMAZON.YesIntent")
            and turn.conversation.offer == Offer.THIGH_SIDE)


def _sign_check(answer: str) -> Callable[[str, Optional[str], Turn], bool]:
    def applies(kind: str, name: Optional[str], turn: Turn) -> bool:
        return name == answer and turn.conversation.offer in Offer.CHECKS
    return applies


OVERRIDES: tuple[tuple[Callable[[str, Optional[str], Turn], bool], Route], ...] = (
    (_name_free, Action(platform.can_fulfill)),
    (_welcome_back, moves.welcome_back),
    (_welcome_back_still_hurts, moves.welcome_back_still_hurts),
    (_thigh_back, moves.back_of_thigh),
    (_thigh_unanswered, moves.thigh_side_again),
    (_sign_check("AMAZON.YesIntent"), moves.check_yes),
    (_sign_check("AMAZON.NoIntent"), moves.check_no),
)

ROUTES: dict[str, Route] = {
    # relief
    "LaunchRequest": moves.launch,
    "ReliefIntent": moves.relief,
    "AMAZON.NextIntent": moves.next_step,
    "AMAZON.PreviousIntent": moves.previous_step,
    "AMAZON.StartOverIntent": moves.start_over,
    "AMAZON.PauseIntent": moves.wait,
    "AMAZON.ResumeIntent": moves.resume,
    "CantStandIntent": moves.cant_stand,
    "StillHurtsIntent": moves.still_hurts,
    "CrampGoneIntent": moves.cramp_gone,
    "AMAZON.RepeatIntent": moves.repeat,
    "SkipStepIntent": moves.skip_step,
    "OtherLegIntent": moves.other_leg,
    # safety
    "RedFlagIntent": moves.red_flag,
    "DizzyIntent": moves.dizzy,
    "FallIntent": moves.fall,
    # questions
    "CausesIntent": moves.answer_about("cause", moves.GENERAL_CAUSES),
    "RemedyIntent": moves.answer_about("remedy", "remedy_unknown"),
    "DurationIntent": moves.answer_to("duration"),
    "ChildrenIntent": moves.answer_to("children"),
    "SymptomsIntent": moves.answer_to("symptoms"),
    "SeeDoctorIntent": moves.answer_to("see_doctor"),
    "PreventionIntent": moves.answer_to("prevention"),
    "BedtimeStretchIntent": moves.bedtime_stretch,
    "AMAZON.YesIntent": moves.accept_offer,
    "AMAZON.NoIntent": moves.no,
    # the platform: the store, reminders and consent
    "ForgetMeIntent": Action(forget.forget_me),
    "SetStretchReminderIntent": Action(reminders.set_reminder),
    "CancelStretchReminderIntent": Action(reminders.cancel_reminder),
    "Connections.Response": Action(reminders.permission_answer),
    # built-ins
    "AMAZON.HelpIntent": moves.help_,
    "ThanksIntent": moves.thanks,
    "AMAZON.StopIntent": moves.goodbye,
    "AMAZON.CancelIntent": moves.goodbye,
    "AMAZON.NavigateHomeIntent": moves.goodbye,
    "AMAZON.FallbackIntent": moves.fallback,
}
# The table's keys that are request types, not intents: an intent of that name is forged.
REQUEST_TYPES = frozenset({"LaunchRequest", "Connections.Response"})


def name_of(handler_input: HandlerInput) -> tuple[str, Optional[str]]:
    """The request's type, and the name it is routed by (None: a touch on no
    button of ours)."""
    kind = request_type(handler_input)
    if kind == TOUCH:
        return kind, TOUCH_EVENTS.get(touch_event(handler_input) or "")
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    name = getattr(intent, "name", None)
    return kind, name if isinstance(name, str) else kind


def route_for(kind: str, name: Optional[str], turn: Turn) -> Optional[Route]:
    """The route for a request; None for one that takes no speech (the session
    closed, a player event, a touch on no button of ours): an empty response."""
    for applies, override in OVERRIDES:
        if applies(kind, name, turn):
            return override
    route = ROUTES.get(name) if name else None
    if kind == INTENT_REQUEST and (route is None or name in REQUEST_TYPES):
        return moves.fallback
    return route


class RouteHandler(AbstractRequestHandler):
    """The one request handler: every request, through the routing table."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        route = route_for(*name_of(handler_input), turn)
        if route is None:
            return handler_input.response_builder.response
        if isinstance(route, Action):
            return route.run(handler_input, turn)
        return respond(handler_input, turn, route(turn))

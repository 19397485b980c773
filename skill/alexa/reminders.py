"""A daily reminder to do the bedtime stretch, through Alexa's Reminders API.

Permission is asked by voice (Connections.SendRequest AskFor), with the Alexa
app's permission card as the fallback. The reminder says only "Time for your
bedtime stretch": nothing about anyone's health. Nothing about it is stored
here: the API lists this skill's reminders, so setting it again changes the one
there (and clears any extra), and cancelling deletes what is listed.

All the calls one request makes share one deadline, REMINDER_SECONDS: the
person hears an answer within it however many calls there are or however
slowly each is answered (Alexa gives up on a skill after 8 seconds), and no
call is begun once it has passed.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Any, Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response

from skill import log
from skill.alexa.respond import respond
from skill.alexa.slots import slot_of
from skill.coach import moves
from skill.coach.turn import Turn
from skill.deadline import ALEXA_APIS, DeadlineExceeded

SCOPE = "alexa::alerts:reminders:skill:readwrite"
TOKEN_PREFIX = "stretch-reminder:"
DEFAULT_TIME = "21:30"
# AMAZON.TIME's parts of the day, as times for a daily reminder.
PARTS_OF_DAY = {"MO": "08:00", "AF": "14:00", "EV": "20:00", "NI": DEFAULT_TIME}
HH_MM = r"([01]\d|2[0-3]):([0-5]\d)"  # compiled on first use: not at every cold start
# Every Reminders API call of a request together (each also has its own deadline,
# skill.api_client): with the store's and the Settings API's deadlines around it,
# the answer still comes well inside Alexa's 8 seconds.
REMINDER_SECONDS = 4.0


def reminder_time(handler_input: HandlerInput) -> str:
    """The time asked for, as HH:MM; the default if none, or none usable, was said."""
    value = getattr(slot_of(handler_input, "time"), "value", None)
    if isinstance(value, str):
        if re.fullmatch(HH_MM, value):
            return value
        if value in PARTS_OF_DAY:
            return PARTS_OF_DAY[value]
    return DEFAULT_TIME


def spoken_time(turn: Turn, at: str) -> str:
    hour, minute = (int(part) for part in at.split(":"))
    shown = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
    return turn.content.phrase("time_pm" if hour >= 12 else "time_am", hour=shown)


def can_call_apis(handler_input: HandlerInput) -> bool:
    system = getattr(handler_input.request_envelope.context, "system", None)
    return bool(getattr(system, "api_endpoint", None) and getattr(system, "api_access_token", None))


def has_permission(handler_input: HandlerInput) -> bool:
    """The person granted reminders (the scope's status in the request)."""
    user = getattr(getattr(handler_input.request_envelope.context, "system", None), "user", None)
    scopes = getattr(getattr(user, "permissions", None), "scopes", None)
    scope = scopes.get(SCOPE) if isinstance(scopes, dict) else None
    status = getattr(scope, "status", None)
    return getattr(status, "value", status) == "GRANTED"


def ask_for_permission(handler_input: HandlerInput, at: str):
    """Alexa asks for consent by voice; the answer comes back as Connections.Response."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    return handler_input.response_builder.add_directive(SendRequestDirective(
        name="AskFor", token=TOKEN_PREFIX + at,
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                 "permissionScope": SCOPE})).response


def closing(handler_input: HandlerInput, turn: Turn, said: str, permission_card: bool = False,
            **names: object) -> Response:
    """The answer (a phrase, filled from names), then back to the routine if one is
    going, else goodbye; with the permission card in the Alexa app when permission
    is what is missing."""
    if permission_card:
        from ask_sdk_model.ui import AskForPermissionsConsentCard

        handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[SCOPE]))
    return respond(handler_input, turn, moves.told(turn, said, **names))


def problem_with(error: Exception) -> tuple[str, bool]:
    """What to say when the Reminders API fails, and whether to send the permission card."""
    status = getattr(error, "status_code", None)
    if status == 401:
        return "reminder_unauthorized", False
    if status == 403:
        return "reminder_no_permission", True
    if status == 429:
        return "reminder_busy", False
    if status is None or status >= 500:  # no answer at all, or the service failing
        return "reminder_unavailable", False
    return "reminder_failed", False


def within_deadline(handler_input: HandlerInput, work: Callable[[Any, Callable], Any]):
    """work(service, begin) with every call under one overall deadline: `begin()`
    before each call raises DeadlineExceeded once the time is up, so work left
    running in the background after the person's answer starts nothing more."""
    service = handler_input.service_client_factory.get_reminder_management_service()
    stop_at = time.monotonic() + REMINDER_SECONDS

    def begin() -> None:
        if time.monotonic() >= stop_at:
            raise DeadlineExceeded(f"the reminders took more than {REMINDER_SECONDS} s")

    return ALEXA_APIS.within(REMINDER_SECONDS, work, service, begin)


def listed(service, begin: Callable[[], None]) -> list[str]:
    """The tokens of this skill's reminders, as the API lists them."""
    begin()
    alerts = getattr(service.get_reminders(), "alerts", None) or []
    return [token for token in (getattr(alert, "alert_token", None) for alert in alerts)
            if isinstance(token, str) and token]


def local_now(turn: Turn) -> datetime:
    """The request's time where the device is; the server's own time for a request
    time at the ends of the calendar, which no zone can shift."""
    zone = turn.zone or timezone.utc
    try:
        return datetime.fromtimestamp(turn.now, zone)
    except (OverflowError, OSError, ValueError):
        return datetime.now(zone)


def create(handler_input: HandlerInput, turn: Turn, at: str) -> Response:
    """The daily reminder at HH:MM, in the device's time zone (Alexa's own if unknown):
    the one already there changed to it, or a new one, never a second."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    zone = turn.zone
    now = local_now(turn).replace(tzinfo=None, microsecond=0)
    hour, minute = (int(part) for part in at.split(":"))
    request = ReminderRequest(
        # The API reads local times as text; the SDK passes a string on as it is.
        request_time=now.isoformat(),  # type: ignore[arg-type]
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id=getattr(zone, "key", None),  # None: Alexa uses the device's own
            recurrence=Recurrence(
                start_date_time=f"{now.date().isoformat()}T00:00:00.000",  # type: ignore[arg-type]
                recurrence_rules=[f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};"
                                  "BYSECOND=0;INTERVAL=1"])),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(
            locale=str(get_locale(handler_input)), text=turn.content.phrase("reminder_text"))])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))

    def set_once(service, begin: Callable[[], None]) -> None:
        tokens = listed(service, begin)
        begin()
        if not tokens:
            service.create_reminder(request)
            return
        service.update_reminder(tokens[0], request)
        for extra in tokens[1:]:  # made twice before this was checked
            begin()
            service.delete_reminder(extra)

    try:
        within_deadline(handler_input, set_once)
    except Exception as error:  # the API client and service raise several types
        log.warning("could not set the stretch reminder: %s", error)
        said, card = problem_with(error)
        return closing(handler_input, turn, said, card)
    return closing(handler_input, turn, "reminder_set", time=spoken_time(turn, at))


def set_reminder(handler_input: HandlerInput, turn: Turn) -> Response:
    """ "Remind me to stretch at nine": consent first, by voice, if not yet given."""
    if not can_call_apis(handler_input):
        return closing(handler_input, turn, "reminder_not_here")
    at = reminder_time(handler_input)
    if not has_permission(handler_input):
        return ask_for_permission(handler_input, at)
    return create(handler_input, turn, at)


def permission_answer(handler_input: HandlerInput, turn: Turn) -> Response:
    """Alexa's answer to the voice consent request: accepted, the reminder is made.
    Any other Connections.Response (one the skill never asked for) gets no speech."""
    request: Any = handler_input.request_envelope.request  # a ConnectionsResponse
    if getattr(request, "name", None) != "AskFor":
        return handler_input.response_builder.response
    payload = request.payload if isinstance(request.payload, dict) else {}
    if payload.get("status") != "ACCEPTED":  # DENIED, or NOT_ANSWERED
        return closing(handler_input, turn, "reminder_denied", permission_card=True)
    token = request.token if isinstance(request.token, str) else ""
    at = token[len(TOKEN_PREFIX):] if token.startswith(TOKEN_PREFIX) else ""
    return create(handler_input, turn, at if re.fullmatch(HH_MM, at) else DEFAULT_TIME)


def cancel_reminder(handler_input: HandlerInput, turn: Turn) -> Response:
    """Deletes this skill's reminders, as the API lists them: nothing is stored here."""
    if not can_call_apis(handler_input):
        return closing(handler_input, turn, "reminder_not_here")

    def delete_all(service, begin: Callable[[], None]) -> int:
        tokens = listed(service, begin)
        for token in tokens:
            begin()
            service.delete_reminder(token)
        return len(tokens)

    try:
        deleted = within_deadline(handler_input, delete_all)
    except Exception as error:
        log.warning("could not cancel the stretch reminder: %s", error)
        said, card = problem_with(error)
        return closing(handler_input, turn, said, card)
    return closing(handler_input, turn, "reminder_cancelled" if deleted else "reminder_none")

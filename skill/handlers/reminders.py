"""A daily reminder to do the bedtime stretch, through Alexa's Reminders API.

Permission is asked by voice (Connections.SendRequest AskFor), with the Alexa
app's permission card as the fallback. The reminder says only "Time for your
bedtime stretch": nothing about anyone's health. Nothing about it is stored
here: cancelling asks the API for this skill's reminders and deletes them.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale

from skill import log
from skill.clock import DeviceTimeZones
from skill.handlers.base import Reply, content_of, intent_name, now_of, request_type, respond
from skill.handlers.navigation import way_forward
from skill.handlers.slots import slot_of

SCOPE = "alexa::alerts:reminders:skill:readwrite"
TOKEN_PREFIX = "stretch-reminder:"
DEFAULT_TIME = "21:30"
# AMAZON.TIME's parts of the day, as times for a daily reminder.
PARTS_OF_DAY = {"MO": "08:00", "AF": "14:00", "EV": "20:00", "NI": DEFAULT_TIME}
HH_MM = r"([01]\d|2[0-3]):([0-5]\d)"  # compiled on first use: not at every cold start


def reminder_time(handler_input: HandlerInput) -> str:
    """The time asked for, as HH:MM; the default if none, or none usable, was said."""
    value = getattr(slot_of(handler_input, "time"), "value", None)
    if isinstance(value, str):
        if re.fullmatch(HH_MM, value):
            return value
        if value in PARTS_OF_DAY:
            return PARTS_OF_DAY[value]
    return DEFAULT_TIME


def spoken_time(handler_input: HandlerInput, at: str) -> str:
    hour, minute = (int(part) for part in at.split(":"))
    shown = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
    return content_of(handler_input).phrase("time_pm" if hour >= 12 else "time_am", hour=shown)


def can_call_apis(handler_input: HandlerInput) -> bool:
    system = handler_input.request_envelope.context.system
    return bool(getattr(system, "api_endpoint", None) and getattr(system, "api_access_token", None))


def has_permission(handler_input: HandlerInput) -> bool:
    """The person granted reminders (the scope's status in the request)."""
    user = handler_input.request_envelope.context.system.user
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


def closing(handler_input: HandlerInput, said: str, permission_card: bool = False,
            **names: object):
    """The answer (a phrase, filled from names), then back to the routine if one is
    going, else goodbye; with the permission card in the Alexa app when permission
    is what is missing."""
    if permission_card:
        from ask_sdk_model.ui import AskForPermissionsConsentCard

        handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[SCOPE]))
    prompt, reprompt = way_forward(handler_input, ending_allowed=True)
    return respond(handler_input, Reply([content_of(handler_input).phrase(said, **names)],
                                        prompt, reprompt))


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


class Reminders:
    """Creates and cancels the daily stretch reminder, in the device's time zone."""

    def __init__(self, zones: DeviceTimeZones):
        self.zones = zones

    def create(self, handler_input: HandlerInput, at: str):
        from ask_sdk_model.services.reminder_management import (
            AlertInfo, PushNotification, PushNotificationStatus, Recurrence, ReminderRequest,
            SpokenInfo, SpokenText, Trigger, TriggerType)

        zone = self.zones.zone_of(handler_input)
        now = datetime.fromtimestamp(now_of(handler_input), zone or timezone.utc)
        hour, minute = (int(part) for part in at.split(":"))
        request = ReminderRequest(
            request_time=now.strftime("%Y-%m-%dT%H:%M:%S"),
            trigger=Trigger(
                object_type=TriggerType.SCHEDULED_ABSOLUTE,
                time_zone_id=getattr(zone, "key", None),  # None: Alexa uses the device's own
                recurrence=Recurrence(
                    start_date_time=now.strftime("%Y-%m-%dT00:00:00.000"),
                    recurrence_rules=[f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};"
                                      "BYSECOND=0;INTERVAL=1"])),
            alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(
                locale=get_locale(handler_input),
                text=content_of(handler_input).phrase("reminder_text"))])),
            push_notification=PushNotification(status=PushNotificationStatus.ENABLED))
        try:
            handler_input.service_client_factory.get_reminder_management_service() \
                .create_reminder(request)
        except Exception as error:  # the API client and service raise several types
            log.warning("could not create the stretch reminder: %s", error)
            said, card = problem_with(error)
            return closing(handler_input, said, card)
        return closing(handler_input, "reminder_set", time=spoken_time(handler_input, at))

    def cancel(self, handler_input: HandlerInput):
        try:
            service = handler_input.service_client_factory.get_reminder_management_service()
            alerts = getattr(service.get_reminders(), "alerts", None) or []
            for alert in alerts:
                service.delete_reminder(alert.alert_token)
        except Exception as error:
            log.warning("could not cancel the stretch reminder: %s", error)
            said, card = problem_with(error)
            return closing(handler_input, said, card)
        return closing(handler_input, "reminder_cancelled" if alerts else "reminder_none")


class SetStretchReminderHandler(AbstractRequestHandler):
    def __init__(self, reminders: Reminders):
        self.reminders = reminders

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "SetStretchReminderIntent"

    def handle(self, handler_input):
        if not can_call_apis(handler_input):
            return closing(handler_input, "reminder_not_here")
        at = reminder_time(handler_input)
        if not has_permission(handler_input):
            return ask_for_permission(handler_input, at)
        return self.reminders.create(handler_input, at)


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's answer to the voice consent request: accepted, the reminder is made."""

    def __init__(self, reminders: Reminders):
        self.reminders = reminders

    def can_handle(self, handler_input):
        request = handler_input.request_envelope.request
        return (request_type(handler_input) == "Connections.Response"
                and getattr(request, "name", None) == "AskFor")

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        payload = request.payload if isinstance(request.payload, dict) else {}
        if payload.get("status") != "ACCEPTED":  # DENIED, or NOT_ANSWERED
            return closing(handler_input, "reminder_denied", permission_card=True)
        token = request.token if isinstance(request.token, str) else ""
        at = token[len(TOKEN_PREFIX):] if token.startswith(TOKEN_PREFIX) else ""
        return self.reminders.create(handler_input,
                                     at if re.fullmatch(HH_MM, at) else DEFAULT_TIME)


class CancelStretchReminderHandler(AbstractRequestHandler):
    def __init__(self, reminders: Reminders):
        self.reminders = reminders

    def can_handle(self, handler_input):
        return intent_name(handler_input) == "CancelStretchReminderIntent"

    def handle(self, handler_input):
        if not can_call_apis(handler_input):
            return closing(handler_input, "reminder_not_here")
        return self.reminders.cancel(handler_input)


def handlers(zones: Optional[DeviceTimeZones] = None) -> list[AbstractRequestHandler]:
    reminders = Reminders(zones or DeviceTimeZones())
    return [SetStretchReminderHandler(reminders), PermissionAnswerHandler(reminders),
            CancelStretchReminderHandler(reminders)]

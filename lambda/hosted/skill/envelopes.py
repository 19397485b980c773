"""The one factory for Alexa request envelopes, shaped as Alexa sends them.

Used by the text console to turn what a person types into requests, and by the
tests and benchmarks to drive the skill through its real entry points.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timezone
from typing import Any, Optional

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"  # a placeholder skill id
USER_ID = "amzn1.ask.account.TESTUSER"
DEVICE_ID = "amzn1.ask.device.TESTDEVICE"
_request_ids = itertools.count(1)
# Screens as Alexa describes them in context.Viewport: Echo Spot, Echo Show 5, Echo Show 8, Fire TV.
SCREENS = {
    "round": {"shape": "ROUND", "pixelWidth": 480, "pixelHeight": 480, "dpi": 160, "mode": "HUB"},
    "hub_small": {"shape": "RECTANGLE", "pixelWidth": 960, "pixelHeight": 480, "dpi": 160,
                  "mode": "HUB"},
    "hub_large": {"shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160,
                  "mode": "HUB"},
    "tv": {"shape": "RECTANGLE", "pixelWidth": 1920, "pixelHeight": 1080, "dpi": 320, "mode": "TV"},
}


def iso(moment: Optional[datetime] = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(request: dict, *, session_attributes: Optional[dict] = None, new: bool = False,
             locale: str = "en-US", timestamp: Optional[datetime] = None,
             skill_id: str = SKILL_ID, user_id: str = USER_ID, device_id: str = DEVICE_ID,
             api_endpoint: Optional[str] = None, session_id: str = "session-1",
             with_session: bool = True, screen: Optional[str] = None) -> dict:
    """An envelope as Alexa sends it; `screen` (a key of SCREENS) makes the device
    one that renders APL, with that viewport."""
    request = {"requestId": f"amzn1.echo-api.request.{next(_request_ids)}",
               "timestamp": iso(timestamp), "locale": locale, **request}
    body: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": {
            "application": {"applicationId": skill_id},
            "device": {"deviceId": device_id, "supportedInterfaces": {}},
        }},
        "request": request,
    }
    if user_id:  # a name-free CanFulfillIntentRequest may come with no user
        body["context"]["System"]["user"] = {"userId": user_id}
    if screen:
        viewport = SCREENS[screen]
        body["context"]["System"]["device"]["supportedInterfaces"] = {
            "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}
        body["context"]["Viewport"] = {
            **viewport, "currentPixelWidth": viewport["pixelWidth"],
            "currentPixelHeight": viewport["pixelHeight"], "touch": ["SINGLE"],
            "keyboard": [], "video": {"codecs": ["H_264_42", "H_264_41"]}}
    if api_endpoint:  # only then can the skill call Alexa's APIs (here: a local stub)
        body["context"]["System"].update(apiEndpoint=api_endpoint,
                                         apiAccessToken="test-token-" + uuid.uuid4().hex)
    if with_session:
        body["session"] = {"new": new, "sessionId": session_id,
                           "application": {"applicationId": skill_id},
                           "attributes": session_attributes or {}}
        if user_id:
            body["session"]["user"] = {"userId": user_id}
    return body


def launch(**options) -> dict:
    return envelope({"type": "LaunchRequest"}, new=True, **options)


def intent(name: str, slots: Optional[dict] = None, **options) -> dict:
    """An IntentRequest; slots map a name to (value, resolved id) or just a value."""
    slot_json = {}
    for slot_name, slot in (slots or {}).items():
        value, resolved = slot if isinstance(slot, tuple) else (slot, None)
        slot_json[slot_name] = {"name": slot_name, "value": value, "confirmationStatus": "NONE"}
        if resolved:
            slot_json[slot_name]["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{slot_name}",
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": value, "id": resolved}}]}]}
    return envelope({"type": "IntentRequest", "dialogState": "COMPLETED",
                     "intent": {"name": name, "confirmationStatus": "NONE", "slots": slot_json}},
                    **options)


def can_fulfill(name: str, slots: Optional[dict] = None, **options) -> dict:
    """A name-free CanFulfillIntentRequest: an intent with its slots, asked about
    before any session exists."""
    body = intent(name, slots, new=True, **options)
    body["request"]["type"] = "CanFulfillIntentRequest"
    body["request"].pop("dialogState")
    return body


def session_ended(reason: str = "USER_INITIATED", **options) -> dict:
    return envelope({"type": "SessionEndedRequest", "reason": reason}, **options)


def touch(event: str, **options) -> dict:
    """A press on a card's button: an APL UserEvent with the button's event."""
    return envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": "cramp-coach-card",
                     "arguments": [event], "source": {"type": "TouchWrapper",
                                                      "handler": "Press", "id": ""}}, **options)

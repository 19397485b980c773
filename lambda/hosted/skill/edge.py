"""What every edge does before the skill sees a request: refuse, with one clear
error, anything that is not an Alexa request for this skill.

The SDK trusts the envelope's shape: a missing `context.System.application`, a
request of the wrong type or a field of the wrong kind surfaces deep inside it
as an AttributeError, KeyError or TypeError. The Lambda handler and the web
service both call read_envelope() instead, and get a RequestEnvelope the SDK
can handle, or RequestRefused.

The session attributes are the one part of a request the SDK copies whole
(outside dispatch, where no exception handler can catch a RecursionError) and
sends back whole in the response. So the SDK sees only the skill's own keys
(skill.coach.conversation.SESSION_KEYS), each kept only while it is small, shallow
and plain JSON: a foreign key, or one nested hundreds deep, NaN or Infinity,
or grown past its size, is dropped as if never sent. Each kept value is at most
MAX_SESSION_VALUE_BYTES as JSON, so however they are forged the three of them,
sent back and spoken again by "repeat", stay well inside Alexa's 24 KB response.
"""

from __future__ import annotations

import json
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import Any, Optional

from ask_sdk_model import RequestEnvelope

from skill.coach.conversation import SESSION_KEYS

NOT_ALEXA = "the body is not an Alexa request"
ANOTHER_SKILL = "this endpoint serves another skill"
# What the skill itself keeps is far smaller: its state is under 200 bytes, what
# it last said (a whole step, holds and all) under 600 bytes.
MAX_SESSION_VALUE_BYTES = 3 * 1024
MAX_SESSION_VALUE_DEPTH = 8


class RequestRefused(Exception):
    """A request this skill will not answer: the HTTP status that fits, and why
    (a short, fixed sentence that never echoes the request)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def looks_like_alexa_request(payload: Any) -> bool:
    """The fields every Alexa request has, each of the right kind."""
    if not isinstance(payload, dict):
        return False
    request, context = payload.get("request"), payload.get("context")
    if not (isinstance(request, dict) and isinstance(request.get("type"), str)
            and isinstance(context, dict) and isinstance(context.get("System"), dict)):
        return False
    session = payload.get("session")
    if session is not None and not (isinstance(session, dict) and isinstance(
            session.get("attributes", {}), (dict, type(None)))):
        return False
    system = context["System"]
    return all(system.get(name) is None or isinstance(system[name], dict)
               for name in ("application", "user", "device"))


def read_envelope(serializer, payload: Any, skill_id: Optional[str]) -> RequestEnvelope:
    """The SDK's envelope for a decoded JSON payload, or RequestRefused: 400 for
    what is not an Alexa request, 403 for another skill's."""
    if not looks_like_alexa_request(payload):
        raise RequestRefused(400, NOT_ALEXA)
    payload = with_own_session(payload)
    try:
        envelope = _model_of(serializer, payload)
    except Exception:  # the SDK's deserializer raises many types on bad field types
        raise RequestRefused(400, NOT_ALEXA) from None
    system = envelope.context.system if envelope.context else None
    if envelope.request is None or system is None or not isinstance(
            getattr(envelope.request, "object_type", None), str):
        raise RequestRefused(400, NOT_ALEXA)
    if envelope.request.object_type == "IntentRequest" and not isinstance(
            getattr(getattr(envelope.request, "intent", None), "name", None), str):
        raise RequestRefused(400, NOT_ALEXA)  # every intent request names its intent
    if skill_id and application_id(envelope) != skill_id:
        raise RequestRefused(403, ANOTHER_SKILL)
    return envelope


def with_own_session(payload: dict) -> dict:
    """The payload with only the skill's own session attributes, each within its
    bounds; the payload itself if nothing is dropped (the caller's event is never
    changed: a Lambda event is the runtime's)."""
    session = payload.get("session")
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if not attributes:
        return payload
    kept = {key: value for key, value in attributes.items()
            if key in SESSION_KEYS and fits(value)}
    if len(kept) == len(attributes):
        return payload
    return {**payload, "session": {**(session or {}), "attributes": kept}}


def fits(value: Any, budget: int = MAX_SESSION_VALUE_BYTES,
         depth: int = MAX_SESSION_VALUE_DEPTH) -> bool:
    """Plain, finite JSON, at most `depth` containers deep and `budget` bytes as
    sent (ASCII-escaped JSON, as both edges send it)."""
    if type(value) is str:  # the skill's own values are strings: one cheap step
        return len(value) <= budget and len(encode_basestring_ascii(value)) <= budget
    if not _small_and_shallow(value, budget, depth):
        return False
    try:  # the exact size; refuses NaN, Infinity and anything that is not JSON
        return len(json.dumps(value, allow_nan=False)) <= budget
    except (TypeError, ValueError):
        return False


def _small_and_shallow(value: Any, budget: int, depth: int) -> bool:
    """A walk that gives up as soon as the value is too deep or too big (counting
    a lower bound of its JSON size), so a huge value is never encoded whole."""
    stack, seen = [(value, 0)], 0
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            seen += 2 + len(node)
            if level >= depth or seen > budget:
                return False
            if isinstance(node, dict):
                for key, child in node.items():
                    if not isinstance(key, str):
                        return False
                    seen += len(key) + 4
                    stack.append((child, level + 1))
            else:
                stack.extend((child, level + 1) for child in node)
        else:
            seen += len(node) + 2 if isinstance(node, str) else 1
        if seen > budget:
            return False
    return True


def _model_of(serializer, payload: dict) -> RequestEnvelope:
    """The SDK's own model deserialisation, from the payload already decoded.

    The SDK's public deserialize() takes JSON text only, so a Lambda event, which
    arrives decoded, would be encoded and decoded again: about 8 µs of every
    request, a tenth of the whole warm path. Its DefaultSerializer does the work
    in a private method; the pinned SDK version is held to it by the tests, and
    any other serializer goes the public way.
    """
    from_decoded = getattr(serializer, "_DefaultSerializer__deserialize", None)
    if from_decoded is None:
        return serializer.deserialize(payload=json.dumps(payload), obj_type=RequestEnvelope)
    payload, moment = _without_timestamp(payload)
    envelope = from_decoded(payload, RequestEnvelope)
    if moment is not None:
        envelope.request.timestamp = moment
    return envelope


def _without_timestamp(payload: dict) -> tuple[dict, Optional[datetime]]:
    """The request's ISO 8601 timestamp read by the standard library, and the payload
    without it. The SDK reads it with dateutil's general parser, which costs a
    fifth of the whole warm path; a timestamp the standard library can't read is
    left for the SDK as it was."""
    request = payload["request"]
    stamp = request.get("timestamp")
    if not isinstance(stamp, str):
        return payload, None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return payload, None
    return {**payload, "request": {key: value for key, value in request.items()
                                   if key != "timestamp"}}, moment


def application_id(envelope: RequestEnvelope) -> Optional[str]:
    """The skill a request is for, where the SDK looks for it: context.System."""
    application = getattr(getattr(envelope.context, "system", None), "application", None)
    return getattr(application, "application_id", None) if application else None

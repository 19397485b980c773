"""The self-hosted web service: flask-ask-sdk around the one skill.

Alexa requires every request to a web service to be verified (signature and
timestamp); that is on unless switched off for local testing. Bad input gets a
short JSON error with a 4xx status, never a 500 or a stack trace.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import re
import time
from typing import Optional, Sequence

from skill import oscrypto_fix

oscrypto_fix.install()  # before flask_ask_sdk imports the verifier chain

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter  # noqa: E402
from ask_sdk_core.exceptions import AskSdkException  # noqa: E402
from ask_sdk_model import Context, RequestEnvelope, User  # noqa: E402
from ask_sdk_model.interfaces.system import SystemState  # noqa: E402
from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException  # noqa: E402
from flask import Flask, g, jsonify, request  # noqa: E402
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import HTTPException  # noqa: E402

from skill.app import create_skill  # noqa: E402
from skill.edge import RequestRefused, looks_like_alexa_request, read_envelope  # noqa: E402
from skill.log import apologies, start_counting  # noqa: E402
from skill.persistence import DeadlineAdapter, web_service_store  # noqa: E402
from skill.verifier import AwareTimestampVerifier, CachedRequestVerifier, ReplayVerifier  # noqa: E402

MAX_REQUEST_BYTES = 256 * 1024  # Alexa's requests are a few kilobytes
log = logging.getLogger(__name__)
request_log = logging.getLogger("skill.requests")


class VerifiedSkillAdapter(SkillAdapter):
    """flask-ask-sdk's adapter, with each failure mapped to the status a client can act on.

    The stock dispatch answers 500 to malformed JSON and to a request for
    another skill; here those are 400 and 403, and verification failures 400.
    """

    def __init__(self, skill, skill_id: Optional[str], verifiers: Sequence[AbstractVerifier],
                 app: Flask):
        # The verifiers are passed explicitly, so the adapter adds no defaults of its own.
        app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
        app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
        super().__init__(skill=skill, skill_id=skill_id or "cramp-coach",
                         verifiers=list(verifiers), app=app)
        self.expected_skill_id = skill_id

    def dispatch_request(self):
        text = _decode(_read_body())
        envelope = self._deserialize(text)
        try:
            for verifier in self._verifiers:
                verifier.verify(headers=request.headers, serialized_request_env=text,
                                deserialized_request_env=envelope)
        except VerificationException as error:
            log.info("request refused: %s", quoted(str(error)))
            raise RequestRefused(400, "request verification failed") from None
        try:
            response = self._skill.invoke(request_envelope=envelope, context=None)
        except AskSdkException:
            log.exception("skill dispatch failed")
            raise RequestRefused(500, "the skill could not answer") from None
        return jsonify(self._skill.serializer.serialize(response))

    def _deserialize(self, text: str) -> RequestEnvelope:
        """The envelope, refused (400, or 403 for another skill) before any
        verification work if it is not an Alexa request for this skill."""
        try:
            payload = json.loads(text, parse_constant=_not_json, parse_float=_finite)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            raise RequestRefused(400, "the body is not valid JSON") from None
        if looks_like_alexa_request(payload):
            _remember_for_the_log(payload)
        return read_envelope(self._skill.serializer, payload, self.expected_skill_id)


def _not_json(constant: str):
    """NaN, Infinity and -Infinity: Python's json reads them, JSON has no such
    values, and anything read would be echoed back as invalid JSON."""
    raise ValueError(f"{constant} is not JSON")


def _finite(text: str) -> float:
    """A JSON number, refused when it is too large for a float (1e999 reads as inf)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number out of range")
    return value


# The request log's user hash is keyed, so lines can't be linked across deployments
# (or, with no key set, across restarts): CRAMP_COACH_LOG_KEY, or a per-process secret.
LOG_KEY_ENV = "CRAMP_COACH_LOG_KEY"
_LOG_KEY = (os.environ.get(LOG_KEY_ENV) or "").encode() or os.urandom(32)
MAX_LOGGED_CHARS = 80
_PLAIN = re.compile(r"[A-Za-z0-9_.:-]+")


def user_hash(user_id: str, key: bytes = _LOG_KEY) -> str:
    """A short keyed hash of a user id; any string, even one with lone surrogates."""
    return hmac.new(key, user_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:8]


def quoted(text: str, limit: int = MAX_LOGGED_CHARS) -> str:
    """Attacker-chosen text as it may appear in a log: a plain token as it is;
    anything else quoted, escaped and truncated, so it can't forge a log line."""
    if len(text) <= limit and _PLAIN.fullmatch(text):
        return text
    return ascii(text[:limit] + ("..." if len(text) > limit else ""))


def _remember_for_the_log(payload: dict) -> None:
    """What the request log may show: the kind of request, never who or what was said."""
    g.request_type = quoted(payload["request"]["type"], 40)
    intent = _field(payload, "request", "intent", "name")
    g.intent = quoted(intent, 60) if isinstance(intent, str) else None
    user = _field(payload, "context", "System", "user", "userId")
    g.user = user_hash(user) if isinstance(user, str) else None


def _field(document: object, *keys: str) -> object:
    """A nested field of untrusted JSON, or None wherever the shape differs."""
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def start_request() -> None:
    g.started = time.perf_counter()
    start_counting()


def log_request(response):
    """One line per request: type, intent, status, duration, a short hash of the user,
    and how many apologies the catch-all spoke (a 200 all the same, so the status
    alone can't tell a broken skill from a healthy one)."""
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    request_log.info("request type=%s intent=%s status=%d ms=%.1f user=%s apologies=%d",
                     g.get("request_type", "-"), g.get("intent") or "-", response.status_code,
                     elapsed, g.get("user") or "-", apologies())
    return response


# A user id Alexa never sends (every real one is "amzn1.ask.account." and letters and
# digits): reading its preferences is a real round trip to the store that finds nothing.
READINESS_PROBE = RequestEnvelope(context=Context(system=SystemState(
    user=User(user_id="readiness#probe"))))


def readiness(store: Optional[AbstractPersistenceAdapter]):
    """GET /ready: 200 when the store answers a read within its deadline (or there is
    no store), else 503, for a load balancer to route around an instance that would
    answer every launch without preferences or resume points; /health only says the
    process is up."""
    checked = DeadlineAdapter(store) if store is not None else None

    def ready():
        if checked is None:
            return jsonify(status="ready", store="none")
        try:
            checked.get_attributes(READINESS_PROBE)
        except Exception as error:  # whatever the store raised: not ready
            log.warning("not ready: the store did not answer: %s", quoted(type(error).__name__))
            return jsonify(status="unavailable", store="not answering"), 503
        return jsonify(status="ready", store="ok")

    return ready


def _read_body() -> bytes:
    """The request body, or 413 if it is over the limit. Flask refuses a declared
    Content-Length over the limit by itself; a chunked body declares none, and
    Werkzeug would silently cut it short, so it is read and measured here."""
    if request.content_length is not None:
        return request.get_data(cache=False)
    body = request.environ["wsgi.input"].read(MAX_REQUEST_BYTES + 1)
    if len(body) > MAX_REQUEST_BYTES:
        raise RequestRefused(413, "the body is too large")
    return body


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRefused(400, "the body is not UTF-8 JSON") from None


def create_app(verify: bool = True, skill_id: Optional[str] = None,
               verifiers: Optional[Sequence[AbstractVerifier]] = None, **skill_options) -> Flask:
    """The Flask app serving the skill at POST /, with GET /health (the process is up)
    and GET /ready (the store answers too).

    verify switches signature verification (the SDK's checks, with the validated
    chain cached) and the SDK's timestamp check on (the default) or off;
    verifiers replaces them. skill_id, when given, refuses requests for
    any other skill.
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    if verifiers is None:
        verifiers = ([CachedRequestVerifier(), AwareTimestampVerifier(), ReplayVerifier()]
                     if verify else [])
    skill = create_skill(skill_id=skill_id, **skill_options)
    adapter = VerifiedSkillAdapter(skill, skill_id, verifiers, app)
    app.add_url_rule("/", view_func=adapter.dispatch_request, methods=["POST"])
    app.add_url_rule("/health", view_func=lambda: jsonify(status="ok"), methods=["GET"])
    app.add_url_rule("/ready", view_func=readiness(skill_options.get("persistence_adapter")),
                     methods=["GET"])
    app.before_request(start_request)
    app.after_request(log_request)

    @app.errorhandler(RequestRefused)
    def refused(error: RequestRefused):
        return jsonify(error=error.reason), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return jsonify(error=error.description or error.name), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error")
        return jsonify(error="internal error"), 500

    return app


def log_to_stderr() -> None:
    """Request lines on stderr, unless the host has configured logging already."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


def production_app() -> Flask:
    """The app for a WSGI server such as gunicorn: verification on, SKILL_ID and the
    store (CRAMP_COACH_TABLE, else CRAMP_COACH_DB) from the environment."""
    log_to_stderr()
    return create_app(verify=True, skill_id=os.environ.get("SKILL_ID"),
                      persistence_adapter=web_service_store()[0])

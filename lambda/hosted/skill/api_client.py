"""An ApiClient for Alexa's service APIs with a short overall deadline.

The SDK's DefaultApiClient calls `requests` with no timeout at all, so a slow
Alexa API would hold a person in pain in silence; and importing `requests`
costs every Lambda cold start. This client uses the standard library, imported
only when a call is actually made, and gives the whole call (connecting,
sending, every byte of the answer, and checking that the answer is JSON) one
deadline: a socket timeout alone restarts with each byte that trickles in.

The answers of the APIs the skill calls (a time zone name, a reminder or the
list of this skill's reminders) are small, so an answer over MAX_ANSWER_BYTES is
an error, found before more than that is read: otherwise a huge answer, however
quickly it arrives, would be parsed by the SDK after the deadline, on the way to
the first instruction. The SDK parses the body again after the call, but then at
most MAX_ANSWER_BYTES of text already known to be JSON.

What is logged of an endpoint is its scheme and host, quoted and bounded: the
path of every call names the device.
"""

from __future__ import annotations

import json
from typing import Optional
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse

from skill.deadline import ALEXA_APIS, DeadlineExceeded

DEFAULT_TIMEOUT_SECONDS = 0.6  # the Settings API, on the way to the first instruction
# Calls the person is waiting on anyway, answered more slowly: a longer deadline.
SLOWER_PATHS = {"/v1/alerts/reminders": 2.5}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_ANSWER_BYTES = 64 * 1024  # a time zone is a few bytes; this skill's reminders, a few KB
MAX_LOGGED_CHARS = 80


class AnswerTooLarge(ValueError):
    """An answer longer than any this skill's APIs give."""


class TimeoutApiClient(ApiClient):
    def __init__(self, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 max_answer_bytes: int = MAX_ANSWER_BYTES):
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        import http.client
        import urllib.error
        import urllib.request

        try:
            url = urlsplit(request.url or "")
            scheme, host = url.scheme, url.hostname
        except ValueError:  # e.g. a broken IPv6 host
            raise ApiClientException("refusing an endpoint that is not a URL") from None
        # Alexa's APIs are HTTPS only; plain HTTP is allowed for a local stub.
        if not (scheme == "https" or (scheme == "http" and host in LOOPBACK_HOSTS)):
            raise ApiClientException(f"refusing a non-HTTPS endpoint: {origin(scheme, host)}")
        headers = dict(request.headers or [])
        data: Optional[bytes] = None
        if request.body is not None:
            body = request.body
            data = (json.dumps(body) if not isinstance(body, str) else body).encode("utf-8")
        http_request = urllib.request.Request(request.url, data=data, headers=headers,
                                              method=request.method or "GET")

        def call() -> ApiClientResponse:
            try:
                with urllib.request.urlopen(http_request, timeout=deadline) as reply:
                    return ApiClientResponse(headers=list(reply.headers.items()),
                                             status_code=reply.status,
                                             body=self._json_of(reply))
            except urllib.error.HTTPError as error:
                with error:
                    return ApiClientResponse(headers=list(error.headers.items()),
                                             status_code=error.code,
                                             body=self._json_of(error))

        deadline = next((seconds for path, seconds in SLOWER_PATHS.items()
                         if url.path.startswith(path)), self.timeout)
        try:
            return ALEXA_APIS.within(deadline, call)
        except (OSError, ValueError, RecursionError, http.client.HTTPException,
                DeadlineExceeded) as error:
            raise ApiClientException(
                f"calling {origin(scheme, host)}: {described(error)}") from error

    def _json_of(self, reply) -> str:
        """The body, read up to the limit and checked to be JSON (or empty), all
        within the call's deadline."""
        declared = reply.headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > self.max_answer_bytes:
            raise AnswerTooLarge(f"an answer of {int(declared)} bytes declared")
        body = reply.read(self.max_answer_bytes + 1)
        if len(body) > self.max_answer_bytes:
            raise AnswerTooLarge(f"an answer over {self.max_answer_bytes} bytes")
        text = body.decode("utf-8")
        if text.strip():
            json.loads(text)  # ValueError, or RecursionError for absurd nesting
        return text


def origin(scheme: object, host: object) -> str:
    """scheme://host of an endpoint as it may appear in a log: quoted, bounded."""
    where = f"{scheme}://{host or ''}"
    if len(where) > MAX_LOGGED_CHARS:
        where = where[:MAX_LOGGED_CHARS] + "..."
    return ascii(where)


def described(error: BaseException) -> str:
    """What went wrong, without the URL: some errors quote the whole request path
    (and so the device id), so only their kind is kept, and bounded."""
    import urllib.error

    if isinstance(error, (DeadlineExceeded, AnswerTooLarge)):
        text = str(error)
    elif isinstance(error, urllib.error.URLError) and isinstance(error.reason, OSError):
        text = described(error.reason)
    elif isinstance(error, OSError) and error.strerror:
        text = f"{type(error).__name__}: {error.strerror}"
    elif isinstance(error, TimeoutError):
        text = "timed out"
    else:
        text = type(error).__name__
    return text[:MAX_LOGGED_CHARS]

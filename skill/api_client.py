"""An ApiClient for Alexa's service APIs with a short overall deadline.

The SDK's DefaultApiClient calls `requests` with no timeout at all, so a slow
Alexa API would hold a person in pain in silence; and importing `requests`
costs every Lambda cold start. This client uses the standard library, imported
only when a call is actually made, and gives the whole call (connecting,
sending, every byte of the answer) one deadline: a socket timeout alone
restarts with each byte that trickles in.
"""

from __future__ import annotations

import json
from typing import Optional
from urllib.parse import urlsplit

from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_core.exceptions import ApiClientException

from skill.deadline import ALEXA_APIS, DeadlineExceeded

DEFAULT_TIMEOUT_SECONDS = 0.6  # the Settings API, on the way to the first instruction
# Calls the person is waiting on anyway, answered more slowly: a longer deadline.
SLOWER_PATHS = {"/v1/alerts/reminders": 2.5}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class TimeoutApiClient(ApiClient):
    def __init__(self, timeout: float = DEFAULT_TIMEOUT_SECONDS):
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        import http.client
        import urllib.error
        import urllib.request

        url = urlsplit(request.url or "")
        # Alexa's APIs are HTTPS only; plain HTTP is allowed for a local stub.
        if not (url.scheme == "https" or (url.scheme == "http" and url.hostname in LOOPBACK_HOSTS)):
            raise ApiClientException(f"refusing a non-HTTPS endpoint: {request.url!r}")
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
                                             body=reply.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                return ApiClientResponse(headers=list(error.headers.items()),
                                         status_code=error.code,
                                         body=error.read().decode("utf-8", "replace"))

        deadline = next((seconds for path, seconds in SLOWER_PATHS.items()
                         if url.path.startswith(path)), self.timeout)
        try:
            return ALEXA_APIS.within(deadline, call)
        except (OSError, ValueError, http.client.HTTPException, DeadlineExceeded) as error:
            raise ApiClientException(f"calling {url.hostname}: {error}") from error

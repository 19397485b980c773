"""The web service logs one line per request, and never who it was or what they said."""

import json
import time

from skill import envelopes
from tests.conftest import Server
from tests.test_entry_points import post

USER = "amzn1.ask.account.AGENUINELYPRIVATEUSERID"


def lines_about(server: Server, marker: str, expected: int) -> list[str]:
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in server.log().splitlines() if marker in line]
        if len(lines) >= expected or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_one_line_per_request_without_user_id_or_slot_values(tmp_path):
    server = Server("--no-verify", db=tmp_path / "prefs.sqlite3")
    try:
        body = envelopes.intent("CausesIntent", {"cause": "my private medicine name"},
                                user_id=USER)
        status, _ = post(server.url, json.dumps(body).encode())
        assert status == 200
        post(server.url, b"{broken")
        lines = lines_about(server, "skill.requests", 2)
    finally:
        log = server.stop()
    assert len(lines) == 2, log
    answered, refused = lines
    for field in ("type=IntentRequest", "intent=CausesIntent", "status=200", "ms=", "user="):
        assert field in answered
    assert "status=400" in refused and "type=-" in refused
    assert USER not in log and "AGENUINELYPRIVATEUSERID" not in log
    assert "private medicine" not in log

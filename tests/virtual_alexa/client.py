"""Runs a conversation through virtual-alexa (Node) against a live endpoint."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.speech import assert_valid_response
from tests.talk import Heard

SCRIPT = ROOT / "tests" / "virtual_alexa" / "converse.js"


def converse(url: str, turns: list[dict], locale: str = "en-US",
             timestamp: str | None = None, user_id: str | None = None) -> list[Heard]:
    """Each turn is {"launch": True}, {"utter": text}, {"intend": name, "slots": {}}
    or {"end": reason}; any may carry "at", the request timestamp from then on."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "virtual-alexa").exists():
        pytest.fail("virtual-alexa is not installed: run `make test`, which runs `npm ci`")
    script = {"url": url, "model": str(ROOT / "interaction_models" / f"{locale}.json"),
              "locale": locale, "turns": turns, "timestamp": timestamp, "userId": user_id}
    result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(script), cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    heard = []
    for turn, outcome in zip(turns, json.loads(result.stdout)):
        assert "error" not in outcome, f"{turn}: {outcome['error']}"
        assert not outcome["ssmlErrors"], f"{turn}: ssml-check-core: {outcome['ssmlErrors']}"
        if outcome["reply"] is not None:
            assert_valid_response(outcome["reply"])
        heard.append(Heard(outcome["reply"]) if outcome["reply"] else None)
    return heard

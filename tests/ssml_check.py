"""Every response the tests hear is also checked by an independent SSML checker,
npm's ssml-check-core with Alexa's rules, run as one Node process per session."""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "ssml_check.js"


class SsmlChecker:
    def __init__(self):
        self._process: Optional[subprocess.Popen] = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if shutil.which("node") is None or not (ROOT / "node_modules" / "ssml-check-core").exists():
            raise AssertionError("ssml-check-core is not installed: run `make test` (npm ci)")
        process = subprocess.Popen(["node", str(SCRIPT)], cwd=ROOT, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, bufsize=1)
        atexit.register(process.kill)
        return process

    def errors(self, ssml: str, locale: str) -> Optional[list]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            self._process.stdin.write(json.dumps({"ssml": ssml, "locale": locale}) + "\n")
            self._process.stdin.flush()
            return json.loads(self._process.stdout.readline())


CHECKER = SsmlChecker()


def assert_passes_ssml_check(body: dict, locale: str) -> None:
    """The response's speech and reprompt pass ssml-check-core for the locale."""
    response = body.get("response") or {}
    for speech in (response.get("outputSpeech"), (response.get("reprompt") or {}).get(
            "outputSpeech")):
        if speech and speech.get("ssml"):
            errors = CHECKER.errors(speech["ssml"], locale)
            assert errors is None, f"ssml-check-core ({locale}): {errors} in {speech['ssml']!r}"

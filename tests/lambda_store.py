"""The Lambda path with its store: a real local DynamoDB-compatible server (moto in
server mode), and the Lambda entry point run in a fresh process as Lambda would."""

import json
import os
import subprocess
import sys

from tests.conftest import FAKE_AWS, ROOT
from tests.speech import assert_valid_response, text_of


def run_lambda(events: list[dict], **env) -> list[dict]:
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "lambda_runner.py")],
                            input=json.dumps(events), capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, **FAKE_AWS, **env}, timeout=60)
    assert result.returncode == 0, result.stderr
    replies = json.loads(result.stdout)
    for reply in replies:
        assert_valid_response(reply["response"])
    return replies


def speech(reply: dict) -> str:
    return text_of(reply["response"]["response"]["outputSpeech"]["ssml"])

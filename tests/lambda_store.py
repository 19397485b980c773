"""The Lambda path with its store: a real local DynamoDB-compatible server (moto in
server mode), and the Lambda entry point run in a fresh process as Lambda would."""

import json
import os
import socket
import subprocess
import sys
import time

import boto3
import pytest

from tests.conftest import ROOT, free_port
from tests.speech import assert_valid_response, text_of

TABLE = "cramp-coach-preferences"
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def dynamodb_endpoint():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.1)
    client = boto3.client("dynamodb", endpoint_url=endpoint, **boto_credentials())
    client.create_table(
        TableName=TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires_at"})
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


def boto_credentials() -> dict:
    return {"region_name": "us-east-1", "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing"}


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


@pytest.fixture
def silent_endpoint():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()

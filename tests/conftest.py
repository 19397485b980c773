import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lambda"))

from skill import oscrypto_fix  # noqa: E402

oscrypto_fix.install()  # before any test imports the SDK's verifier module

from skill import content as content_files  # noqa: E402
from tests.talk import Talk  # noqa: E402

# Every locale the skill speaks, from its content: a new locale needs no test edited.
LOCALES = list(content_files.supported_locales())
ENGLISH = [locale for locale in LOCALES if locale.startswith("en-")]
SPANISH = [locale for locale in LOCALES if locale.startswith("es-")]


@pytest.fixture
def lambda_talk():
    """A conversation through the real Lambda entry point."""
    import lambda_function

    return Talk(lambda event: lambda_function.lambda_handler(event, None))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A real `python -m skill serve` process on 127.0.0.1."""

    def __init__(self, *flags: str, db: Path, env: dict | None = None):
        self.port = free_port()
        self.db = db
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = db.with_suffix(".log")
        self.log_file = open(self.log_path, "w")  # a file, not a pipe: a full pipe would block it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "skill", "serve", "--port", str(self.port), "--db", str(db),
             *flags],
            cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT, text=True, env=env)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log()) from None
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def log(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log_file.close()
        return self.log_path.read_text()


@pytest.fixture(scope="session")
def open_server(tmp_path_factory):
    server = Server("--no-verify", db=tmp_path_factory.mktemp("open") / "prefs.sqlite3")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def verified_server(tmp_path_factory):
    server = Server(db=tmp_path_factory.mktemp("verified") / "prefs.sqlite3")
    yield server
    server.stop()


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
    import boto3

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


@pytest.fixture
def silent_endpoint():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()

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

from tests.talk import Talk  # noqa: E402


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
                    raise RuntimeError(self.log())
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

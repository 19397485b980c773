"""Load benchmark: many concurrent Alexa clients against the web service, and
whether every write a 200 promised is in the store afterwards.

    python bench/load.py [--seconds 20] [--quick] [--clients 50] [--json]

Each client is a stream of new people: every session is a user of its own who
opens the skill, asks why cramps happen, says "continue", and then Alexa closes
the session mid-routine. The disclaimer is heard once in it (so the preference
"heard it" must be saved) and the resume point must be saved. A session whose
four answers were all 200 with the disclaimer heard and the routine going is a
promise of two writes. Once the
load stops, the store is read directly (the SQLite file, or a scan of the table)
and every promised preference and resume point looked for.

Servers: gunicorn as the README recommends (2 workers, gthread, 4 threads a
worker), gunicorn with 16 threads a worker, and `python -m skill serve
--no-verify` (Flask's threaded server); each on SQLite and on DynamoDB (moto's
server, through CRAMP_COACH_TABLE). Beside them, under the same load and on the
same servers, a bare flask-ask-sdk hello world (which keeps nothing). Requests
are not signed: this measures the skill and its store, not verification (that
is bench/run.py's verify_on_vs_off).

Everything runs on 127.0.0.1 only, every server is started here and stopped
here, and each run is bounded in time (--seconds) and in requests
(MAX_REQUESTS_PER_RUN). The load generator shares the machine's cores with the
servers: absolute figures are a floor; the hello world beside each is the
comparison. --quick runs each for 5 s; --json ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from skill import envelopes  # noqa: E402

DISCLAIMER = "not medical advice"
TABLE = "cramp-coach-load"
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}
MAX_REQUESTS_PER_RUN = 200_000
START_SECONDS = 30
# A session of a new person: the first step, a question, back to the routine,
# then Alexa closes the session. The disclaimer is heard once in it (so the
# preference must be saved) and the routine is going when it closes (so must the
# resume point).
SESSION = [
    lambda user, attributes: envelopes.launch(user_id=user),
    lambda user, attributes: envelopes.intent("CausesIntent", user_id=user,
                                              session_attributes=attributes),
    lambda user, attributes: envelopes.intent("AMAZON.ResumeIntent", user_id=user,
                                              session_attributes=attributes),
    lambda user, attributes: envelopes.session_ended("EXCEEDED_MAX_REPROMPTS", user_id=user,
                                                     session_attributes=attributes),
]
SERVERS = {  # name: gunicorn threads a worker, or None for `python -m skill serve`
    "gunicorn 2x4 (README)": 4,
    "gunicorn 2x16": 16,
    "python -m skill serve": None,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {START_SECONDS} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Moto:
    """moto's DynamoDB-compatible server on 127.0.0.1, with the table and its TTL."""

    def __init__(self, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                         "-p", str(self.port)], stdout=log, stderr=log)
        wait_for_port(self.port, self.process, "moto")
        import boto3

        self.client = boto3.client("dynamodb", endpoint_url=self.url, region_name="us-east-1",
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
        self.client.create_table(
            TableName=TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST")
        self.client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "expires_at"})

    def items(self) -> dict[str, dict]:
        """Every item of the table by key (id), read directly with scans."""
        from boto3.dynamodb.types import TypeDeserializer

        plain, found, start = TypeDeserializer(), {}, None
        while True:
            page = self.client.scan(TableName=TABLE, ConsistentRead=True,
                                    **({"ExclusiveStartKey": start} if start else {}))
            for item in page["Items"]:
                found[item["id"]["S"]] = {key: plain.deserialize(value)
                                          for key, value in item.items()}
            start = page.get("LastEvaluatedKey")
            if not start:
                return found

    def stop(self) -> None:
        stop(self.process)


def serve(app: str, threads, store: str, scratch: Path, moto) -> tuple[subprocess.Popen, int]:
    """A server for `app` ("skill" or "hello") on a free port, its store set up."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")])}
    env.pop("CRAMP_COACH_TABLE", None)
    db = scratch / f"store-{uuid.uuid4().hex[:8]}.sqlite3"
    env["CRAMP_COACH_DB"] = str(db)
    if store == "dynamodb":
        env.update(FAKE_AWS, CRAMP_COACH_TABLE=TABLE, AWS_ENDPOINT_URL_DYNAMODB=moto.url)
    log = open(scratch / f"server-{port}.log", "w")
    if threads is not None:
        command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2",
                   "--threads", str(threads), "--worker-class", "gthread",
                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                   f"load_apps:{app}_app()"]
    elif app == "skill":
        command = [sys.executable, "-m", "skill", "serve", "--no-verify", "--host", "127.0.0.1",
                   "--port", str(port), "--db", str(db)]
    else:
        command = [sys.executable, str(ROOT / "bench" / "load_apps.py"), "hello",
                   "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    process.log_path, process.db = log.name, db
    wait_for_port(port, process, " ".join(command[:3]))
    return process, port


class Client:
    """One keep-alive connection, one stream of sessions."""

    def __init__(self, port: int, run: str, index: int, stop_at: float, budget):
        self.port, self.run, self.index, self.stop_at = port, run, index, stop_at
        self.budget = budget
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.connection_errors = 0
        self.sessions = 0  # sessions whose four answers were all 200
        self.promised: list[str] = []  # users whose two writes a 200 promised
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, event: dict):
        if not self.budget():
            return None
        body = json.dumps(event).encode()
        started = time.perf_counter()
        try:
            self.connection.request("POST", "/", body=body,
                                    headers={"Content-Type": "application/json"})
            reply = self.connection.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException):
            self.connection_errors += 1
            self.connection.close()
            return None
        self.latencies.append(time.perf_counter() - started)
        self.statuses[reply.status] = self.statuses.get(reply.status, 0) + 1
        return json.loads(data) if reply.status == 200 else None

    def run_sessions(self) -> None:
        number = 0
        while time.monotonic() < self.stop_at:
            number += 1
            user = f"amzn1.ask.account.LOAD{self.run}C{self.index}N{number}"
            answers: list[dict] = []
            for turn in SESSION:
                answer = self.post(turn(user, answers[-1].get("sessionAttributes")
                                        if answers else None))
                if answer is None:
                    break
                answers.append(answer)
            else:
                self.sessions += 1
                heard = any(DISCLAIMER in (answer["response"].get("outputSpeech") or {}).get(
                    "ssml", "") for answer in answers)
                going = answers[-2]["response"].get("shouldEndSession") is False
                if heard and going:
                    self.promised.append(user)
        self.connection.close()


def load(port: int, run: str, clients: int, seconds: float) -> dict:
    lock, sent = threading.Lock(), [0]

    def budget() -> bool:  # a bound on requests per run, whatever the speed
        with lock:
            sent[0] += 1
            return sent[0] <= MAX_REQUESTS_PER_RUN

    stop_at = time.monotonic() + seconds
    streams = [Client(port, run, index, stop_at, budget) for index in range(clients)]
    threads = [threading.Thread(target=stream.run_sessions) for stream in streams]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.monotonic() - started
    latencies = sorted(value for stream in streams for value in stream.latencies)
    statuses: dict[int, int] = {}
    for stream in streams:
        for status, count in stream.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return {"seconds": round(elapsed, 1), "requests": len(latencies),
            "rps": round(statuses.get(200, 0) / elapsed, 1),
            "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
            "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "status_5xx": sum(count for status, count in statuses.items() if status >= 500),
            "status_other": sum(count for status, count in statuses.items()
                                if status != 200 and status < 500),
            "connection_errors": sum(stream.connection_errors for stream in streams),
            "sessions": sum(stream.sessions for stream in streams),
            "promised": [user for stream in streams for user in stream.promised]}


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lost_writes(store: str, promised: list[str], db: Path, moto) -> tuple[int, int]:
    """Promised preferences and resume points missing from the store, read directly."""
    now = time.time()
    if store == "sqlite":
        import sqlite3

        with sqlite3.connect(db) as connection:
            preferences = {user for user, attributes in connection.execute(
                "SELECT user_id, attributes FROM preferences")
                if json.loads(attributes).get("heard_disclaimer") is True}
            points = {user for (user,) in connection.execute(
                "SELECT user_id FROM resume_points WHERE expires_at > ?", (now,))}
    else:
        from skill.persistence.dynamodb import preferences_key, resume_point_key

        items = moto.items()
        preferences = {user for user in promised
                       if (items.get(preferences_key(user)) or {}).get("attributes", {}).get(
                           "heard_disclaimer") is True}
        points = {user for user in promised
                  if int((items.get(resume_point_key(user)) or {}).get("expires_at", 0)) > now}
    return (sum(user not in preferences for user in promised),
            sum(user not in points for user in promised))


def tracebacks(log_path: str) -> int:
    return Path(log_path).read_text(errors="replace").count("Traceback")


def run_all(seconds: float, clients: int, only: list[str]) -> list[dict]:
    rows = []
    scratch = Path(tempfile.mkdtemp(prefix="cramp-coach-load-"))
    moto = None
    try:
        with open(scratch / "moto.log", "w") as moto_log:
            moto = Moto(moto_log)
            for server, threads in SERVERS.items():
                plan = [("skill", "sqlite"), ("skill", "dynamodb"), ("hello", "none")]
                for app, store in plan:
                    name = f"{server} | {app} | {store}"
                    if only and not any(word in name for word in only):
                        continue
                    process, port = serve(app, threads, store, scratch, moto)
                    try:
                        warm = load(port, "warm" + uuid.uuid4().hex[:6], min(clients, 8), 1.0)
                        del warm
                        run = uuid.uuid4().hex[:8].upper()
                        figures = load(port, run, clients, seconds)
                        time.sleep(1.0)  # a write answered a moment ago settles
                        promised = figures.pop("promised")
                        row = {"server": server, "app": app, "store": store,
                               "clients": clients, **figures}
                        if app == "skill":
                            row["promised"] = len(promised)
                        if app == "skill":
                            lost = lost_writes(store, promised, process.db, moto)
                            row["preferences_lost"], row["resume_points_lost"] = lost
                    finally:
                        stop(process)
                    row["tracebacks"] = tracebacks(process.log_path)
                    rows.append(row)
                    print(line_of(row), flush=True, file=sys.stderr)
    finally:
        if moto is not None:
            moto.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


COLUMNS = [("server", 22), ("app", 5), ("store", 8), ("clients", 7), ("seconds", 7),
           ("requests", 8), ("rps", 7), ("p50_ms", 7), ("p99_ms", 7), ("status_5xx", 4),
           ("status_other", 5), ("connection_errors", 5), ("sessions", 8), ("promised", 8),
           ("preferences_lost", 10), ("resume_points_lost", 11), ("tracebacks", 5)]
HEADINGS = {"status_5xx": "5xx", "status_other": "4xx", "connection_errors": "conn",
            "p50_ms": "p50 ms", "p99_ms": "p99 ms", "rps": "req/s",
            "preferences_lost": "prefs lost", "resume_points_lost": "points lost",
            "tracebacks": "tb"}


def line_of(row: dict) -> str:
    return "  ".join(str(row.get(key, "n/a")).rjust(width) if key not in ("server", "app",
                                                                             "store")
                     else str(row.get(key, "")).ljust(width) for key, width in COLUMNS)


def table(rows: list[dict]) -> str:
    heading = "  ".join((HEADINGS.get(key, key).rjust(width) if key not in (
        "server", "app", "store") else HEADINGS.get(key, key).ljust(width))
        for key, width in COLUMNS)
    return "\n".join([heading, "-" * len(heading), *map(line_of, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="how long each run lasts (default 20)")
    parser.add_argument("--quick", action="store_true", help="5 s a run")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--only", nargs="*", default=[],
                        help="only runs whose name has one of these words, e.g. sqlite hello")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    if not 0 < seconds <= 600 or not 0 < args.clients <= 200:
        parser.error("--seconds must be in (0, 600] and --clients in (0, 200]")
    rows = run_all(seconds, args.clients, args.only)
    print(table(rows))
    skill_rows = [row for row in rows if row["app"] == "skill"]
    lost = sum(row["preferences_lost"] + row["resume_points_lost"] for row in skill_rows)
    failures = sum(row["status_5xx"] + row["tracebacks"] for row in rows)
    print(f"\nwrites lost: {lost}; 5xx and tracebacks: {failures}; "
          f"{sum(row['promised'] for row in skill_rows)} sessions promised two writes each")
    for server in SERVERS:
        hello = next((row for row in rows if row["server"] == server and row["app"] == "hello"),
                     None)
        for row in rows:
            if row["server"] == server and row["app"] == "skill" and hello and hello["rps"]:
                print(f"{server}, {row['store']}: {row['rps'] / hello['rps']:.2f}x the hello "
                      f"world's throughput, p99 {row['p99_ms']} ms against {hello['p99_ms']} ms")
    if args.json:
        print(json.dumps({"seconds": seconds, "clients": args.clients, "rows": rows,
                          "writes_lost": lost, "failures": failures}))
    unkept = sum(row["sessions"] - row["promised"] for row in skill_rows)  # no disclaimer?
    return 0 if lost == 0 and failures == 0 and unkept == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Cramp Coach benchmarks, side by side and reported as ratios.

    python bench/run.py [--quick] [--json]

warm_vs_hello     warm per-request time through the Lambda entry point, against a bare-SDK
                  hello-world skill in the same process (lower is better; 1.0 = as cheap;
                  goal at most 1.05)
verify_cached_us  CPU per signature check with the validated chain cached, and uncached
verify_on_vs_off  web-service throughput on 127.0.0.1 under concurrent load, served by
                  gunicorn as the README recommends, with request verification on
                  (signed by a test authority) against off (goal at least 0.8)
cold_vs_hello     Lambda cold start: fresh python3.12 -S processes importing the unzipped
                  package and answering a first LaunchRequest, against a bare-SDK hello
                  world packaged the same way (goal at most 1.10)
cold_show_vs_hello the same for an Echo Show's LaunchRequest (the skill renders its APL
                  card; the hello world, on the same envelope, only speaks) (goal at most 1.10)
routing_*         the routing benchmark (tests/routing/): the share of natural phrasings
                  that reach their intent through virtual-alexa (goal at least 0.90) and
                  through the console (at least 0.95), the false alarms (goal 0), and the
                  console's time per typed line with the grammar-built models; the
                  *_es keys are the same for the Spanish set (tests/routing/phrasings_es.json,
                  goal at least 0.85 through virtual-alexa)
relief_*          the relief routines timed as speech (bench/relief_timing.py, issue 27):
                  the worst over routines, ways in and locales of the seconds from the end
                  of the wake phrase to the counted hold at night (relief_seconds_to_hold;
                  _day by day), the longest uninterrupted talk, the screen countdown's
                  offset from the spoken hold, and the things the person says; the
                  per-routine table is printed above the report
lambda_zip_mb     the Lambda package's size (lambda_zip_limit_mb: Lambda's 5 MB limit for this
                  project, held by a test)

Every ratio is measured in interleaved rounds (the compared variants take turns,
both warmed first, so the machine's noise falls on both alike) and reported as the
median of the per-round ratios, with their spread: `<ratio>_spread` is [min, max]
over seven rounds, quick mode included.

--quick runs in under a minute; --json makes the last line one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tools"))

from figures import ratio  # noqa: E402

from skill import envelopes  # noqa: E402

GUNICORN_FLAGS = ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]


ROUNDS = 7


def warm_vs_hello(iterations: int) -> dict:
    """A warm LaunchRequest through the Lambda entry point (skill.app.lambda_handler,
    what lambda_function.py exposes), against the bare-SDK hello world."""
    import lambda_zip

    from skill.app import lambda_handler

    hello_world: dict = {}  # the same bare-SDK skill the cold-start comparison packages
    exec(compile(lambda_zip.HELLO_WORLD, "hello_world.py", "exec"), hello_world)
    handlers = {"skill": lambda_handler(), "hello": hello_world["lambda_handler"]}
    event = envelopes.launch()
    for handler in handlers.values():  # warm both: caches, content, imports
        for _ in range(200):
            handler(event, None)
    samples: dict[str, list[float]] = {name: [] for name in handlers}
    per_round = max(iterations // ROUNDS, 1)
    for _ in range(ROUNDS):
        for name, handler in handlers.items():
            started = time.perf_counter()
            for _ in range(per_round):
                handler(event, None)
            samples[name].append((time.perf_counter() - started) / per_round)
    return {"warm_us": round(statistics.median(samples["skill"]) * 1e6, 1),
            "warm_hello_us": round(statistics.median(samples["hello"]) * 1e6, 1),
            **ratio("warm_vs_hello", samples["skill"], samples["hello"])}


def verify_cost(iterations: int) -> dict:
    """CPU per verification: a chain validated once and cached, against validated every time."""
    from skill.verifier import CachedRequestVerifier
    from tests.authority import TestAuthority

    authority = TestAuthority()
    body = json.dumps(envelopes.launch())
    headers = authority.headers(body.encode())

    def verifier():
        return CachedRequestVerifier(trust_roots=[authority.root],
                                     fetch=lambda url: authority.chain_pem())

    def per_call(make_each_time: bool) -> float:
        shared = verifier()
        started = time.perf_counter()
        for _ in range(iterations):
            (verifier() if make_each_time else shared).verify(
                headers=headers, serialized_request_env=body, deserialized_request_env=None)
        return (time.perf_counter() - started) / iterations * 1e6

    cached, uncached = per_call(False), per_call(True)
    return {"verify_cached_us": round(cached, 1), "verify_uncached_us": round(uncached, 1)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(verify: bool, ca_dir: str, db: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "BENCH_VERIFY": "1" if verify else "0", "BENCH_CA_DIR": ca_dir,
           "BENCH_DB": db, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")])}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen([str(gunicorn), *GUNICORN_FLAGS, "--bind", f"127.0.0.1:{port}",
                                "--log-level", "warning", "apps:app()"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _load(port: int, requests: list[tuple[bytes, dict]], seconds: float, threads: int) -> float:
    """Requests per second answered 200, from `threads` keep-alive clients."""
    done, failed, stop = [0] * threads, [0] * threads, time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        position = index
        while time.monotonic() < stop:
            body, headers = requests[position % len(requests)]
            position += threads
            connection.request("POST", "/", body=body, headers=headers)
            reply = connection.getresponse()
            reply.read()
            if reply.status == 200:
                done[index] += 1
            else:
                failed[index] += 1

    workers = [threading.Thread(target=client, args=(index,)) for index in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if sum(failed):
        raise RuntimeError(f"{sum(failed)} requests failed during the load test")
    return sum(done) / (time.monotonic() - started)


def verify_on_vs_off(seconds: float, threads: int = 8) -> dict:
    from cryptography.hazmat.primitives import serialization

    from tests.authority import TestAuthority

    authority = TestAuthority()
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "root.pem").write_bytes(
            authority.root.public_bytes(serialization.Encoding.PEM))
        (Path(scratch) / "chain.pem").write_bytes(authority.chain_pem())
        bodies = [json.dumps(envelopes.launch(user_id=f"bench-user-{index}")).encode()
                  for index in range(64)]
        signed = [(body, authority.headers(body)) for body in bodies]
        servers = {verify: _serve(verify, scratch, str(Path(scratch) / f"prefs-{verify}.db"))
                   for verify in (False, True)}
        rates: dict[bool, list[float]] = {False: [], True: []}
        try:
            for _, port in servers.values():  # warm both: caches, pages
                _load(port, signed, 0.5, threads)
            for _ in range(ROUNDS):  # take turns, so a busy moment falls on both
                for verify, (_, port) in servers.items():
                    rates[verify].append(_load(port, signed, seconds / ROUNDS, threads))
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=10)
    return {"rps_verify_on": round(statistics.median(rates[True])),
            "rps_verify_off": round(statistics.median(rates[False])),
            **ratio("verify_on_vs_off", rates[True], rates[False])}


def routing() -> dict:
    """Per-intent hit rates through both routers, printed as a table; totals returned."""
    from tests import routing as benchmark

    reports = {"va": benchmark.evaluate(benchmark.route_virtual_alexa),
               "console": benchmark.evaluate(benchmark.route_console)}
    print(f"{'intent':<28}{'virtual-alexa':>15}{'console':>10}")
    for intent, (_, total) in reports["va"].per_intent.items():
        cells = [f"{reports[name].per_intent[intent][0]}/{total}" for name in ("va", "console")]
        print(f"{intent:<28}{cells[0]:>15}{cells[1]:>10}")
    from skill.understanding import Matcher, load_model

    matcher = Matcher(load_model("en-US"))
    lines = [p.said for p in benchmark.phrasings() if p.locale == "en-US"]
    started = time.perf_counter()
    for line in lines:
        matcher.match(line)
    per_line_ms = (time.perf_counter() - started) / len(lines) * 1e3
    spanish = {"va": benchmark.evaluate(benchmark.route_virtual_alexa, language="es"),
               "console": benchmark.evaluate(benchmark.route_console, language="es")}
    return {"routing_va": round(reports["va"].rate, 3),
            "routing_console": round(reports["console"].rate, 3),
            "routing_false_alarms": reports["va"].false_alarms + reports["console"].false_alarms,
            "routing_phrasings": reports["va"].total,
            "console_ms_per_line": round(per_line_ms, 2),
            "routing_va_es": round(spanish["va"].rate, 3),
            "routing_console_es": round(spanish["console"].rate, 3),
            "routing_false_alarms_es": spanish["va"].false_alarms + spanish["console"].false_alarms,
            "routing_phrasings_es": spanish["va"].total}


def relief() -> dict:
    """Every relief routine walked through the Lambda entry point and timed as
    speech (bench/relief_timing.py); its table printed, its worst figures returned."""
    import relief_timing

    report, rows = relief_timing.measure()
    relief_timing.print_table(rows)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of under a minute")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    import coldstart

    report = {}
    report.update(warm_vs_hello(3500 if args.quick else 14000))
    report.update(verify_cost(100 if args.quick else 1000))
    report.update(verify_on_vs_off(5 if args.quick else 21))
    report.update(coldstart.measure(ROUNDS if args.quick else 25))
    report.update(routing())
    report.update(relief())
    # Three ways of hearing (exact, console, NLU proxy) on the development and blind
    # sets, per intent and per locale: bench/hearing.py says what each key means.
    import hearing

    report.update(hearing.measure())
    report["quick"] = args.quick
    report["lambda_zip_limit_mb"] = 5
    width = max(map(len, report))
    for name, value in report.items():
        print(f"{name:<{width}}  {value}")
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()

"""Runs events through lambda_function in this fresh process, as Lambda would.

The environment (CRAMP_COACH_TABLE, AWS_ENDPOINT_URL_DYNAMODB, ...) is read when
lambda_function is imported, so each configuration needs its own process.
Reads a JSON list of events on stdin; prints a JSON list of {response, seconds}.
The skill is this checkout's: a script's own folder, not the working directory,
heads the import path, and an editable install may point at another checkout.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

import lambda_function  # noqa: E402

results = []
for event in json.load(sys.stdin):
    started = time.perf_counter()
    response = lambda_function.lambda_handler(event, None)
    results.append({"response": response, "seconds": time.perf_counter() - started})
print(json.dumps(results))

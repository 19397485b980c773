"""Runs events through lambda_function in this fresh process, as Lambda would.

The environment (CRAMP_COACH_TABLE, AWS_ENDPOINT_URL_DYNAMODB, ...) is read when
lambda_function is imported, so each configuration needs its own process.
Reads a JSON list of events on stdin; prints a JSON list of {response, seconds}.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lambda"))

import lambda_function  # noqa: E402

results = []
for event in json.load(sys.stdin):
    started = time.perf_counter()
    response = lambda_function.lambda_handler(event, None)
    results.append({"response": response, "seconds": time.perf_counter() - started})
print(json.dumps(results))

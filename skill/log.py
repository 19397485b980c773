"""Logging for the skill, imported on first use; and the count of apologies.

The skill logs only when something fails, and importing the logging module
costs every Lambda cold start about 4 ms, so it is loaded when first needed.

An apology the catch-all speaks is an invocation Lambda counts as a success, so
it is counted here: in the current request's count (the web service's request
log reads it) and, on Lambda, as a CloudWatch metric. The metric is CloudWatch's
embedded metric format: one JSON line on stdout, which CloudWatch Logs turns
into a metric by itself, with no library and no API call on the way.
"""

from __future__ import annotations

import os
import sys
import threading
import time

METRICS_NAMESPACE = "CrampCoach"
APOLOGIES = "Apologies"
LAMBDA_FUNCTION_ENV = "AWS_LAMBDA_FUNCTION_NAME"  # set by Lambda, and only there
# Per thread, as each request is answered on one (threading is on the Lambda path already;
# contextvars would add an import to every cold start).
_counted = threading.local()


def _logger():
    import logging

    return logging.getLogger("skill")


def info(message: str, *args, **kwargs) -> None:
    _logger().info(message, *args, **kwargs)


def warning(message: str, *args, **kwargs) -> None:
    _logger().warning(message, *args, **kwargs)


def error(message: str, *args, **kwargs) -> None:
    _logger().error(message, *args, **kwargs)


def apology(request_type: str, failure: BaseException) -> None:
    """The catch-all spoke its apology: one more in this request's count, and on
    Lambda one more in the Apologies metric, with the request's type and the
    exception's class beside it (never its message, which may quote the request)."""
    _counted.apologies = apologies() + 1
    function = os.environ.get(LAMBDA_FUNCTION_ENV)
    if function:
        print(apology_metric(function, request_type, type(failure).__name__), file=sys.stdout,
              flush=True)


def apology_metric(function: str, request_type: str, failure: str) -> str:
    """One embedded-metric-format line: Apologies, 1, by function name. The level
    and timestamp let Lambda's JSON log filtering read it as a warning."""
    import json

    milliseconds = int(time.time() * 1000)
    seconds, fraction = divmod(milliseconds, 1000)
    return json.dumps({
        "_aws": {"Timestamp": milliseconds, "CloudWatchMetrics": [{
            "Namespace": METRICS_NAMESPACE, "Dimensions": [["FunctionName"]],
            "Metrics": [{"Name": APOLOGIES, "Unit": "Count"}]}]},
        "FunctionName": function, APOLOGIES: 1, "level": "WARN",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction:03d}Z",
        "message": "apologised", "requestType": request_type, "error": failure,
    }, separators=(",", ":"))


def start_counting() -> None:
    """A new request: its count of apologies starts at none."""
    _counted.apologies = 0


def apologies() -> int:
    """Apologies spoken on this thread since start_counting() (in this request)."""
    return getattr(_counted, "apologies", 0)

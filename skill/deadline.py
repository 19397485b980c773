"""An overall deadline for a call to a dependency (a store, an Alexa API).

Socket timeouts restart on every byte: an endpoint that drips one byte every
half second never trips them, and a launch would wait for tens of seconds. So
each call runs in a worker thread, and the person's request waits for it only
until the deadline; the call may finish later in the background, unheard. A few
calls at most may be left running like that; beyond them, calls fail at once
rather than pile up threads.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

MAX_CALLS_LEFT_RUNNING = 8
Result = TypeVar("Result")
_running = threading.BoundedSemaphore(MAX_CALLS_LEFT_RUNNING)


class DeadlineExceeded(Exception):
    """The dependency did not answer in time; the skill goes on without it."""


def within(seconds: float, call: Callable[..., Result], *args: Any) -> Result:
    """call(*args), or DeadlineExceeded once `seconds` have passed."""
    if not _running.acquire(blocking=False):
        raise DeadlineExceeded("too many earlier calls are still waiting for an answer")
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call(*args)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error
        finally:
            _running.release()

    worker = threading.Thread(target=run, name="dependency-call", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise DeadlineExceeded(f"no answer within {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]

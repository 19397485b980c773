"""An overall deadline for a call to a dependency (a store, an Alexa API).

Socket timeouts restart on every byte: an endpoint that drips one byte every
half second never trips them, and a launch would wait for tens of seconds. So
each call runs in a worker thread, and the person's request waits for it only
until the deadline; the call may finish later in the background, unheard.

What is bounded is the calls left running like that, past their deadline: a few
at most per kind of dependency (a Lane); beyond them, calls to that dependency
fail at once rather than pile up threads. Calls still within their deadline are
not counted: there is one at most per request being answered, so the server's
own concurrency bounds them, and a busy server is not a reason to drop a write.
Each kind of dependency has its own lane, so a hanging Alexa API can't make the
store's writes fail, nor the reverse.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

MAX_CALLS_LEFT_RUNNING = 8  # per lane
Result = TypeVar("Result")


class DeadlineExceeded(Exception):
    """The dependency did not answer in time; the skill goes on without it."""


class Lane:
    """Calls to one kind of dependency, each under its own deadline; at most
    `limit` of them may be left running past it at any time."""

    def __init__(self, name: str, limit: int = MAX_CALLS_LEFT_RUNNING):
        self.name = name
        self.limit = limit
        self._lock = threading.Lock()
        self._left_running = 0

    @property
    def left_running(self) -> int:
        """Calls that outlived their deadline and have not finished yet."""
        return self._left_running

    def within(self, seconds: float, call: Callable[..., Result], *args: Any) -> Result:
        """call(*args), or DeadlineExceeded once `seconds` have passed."""
        if self._left_running >= self.limit:  # read without the lock: a hint, settled below
            with self._lock:
                if self._left_running >= self.limit:
                    raise DeadlineExceeded(f"{self._left_running} earlier calls to "
                                           f"{self.name} are still waiting for an answer")
        outcome: dict[str, Any] = {}
        # Both flags change under the lock, so a call finishing just as its caller
        # gives up on it is counted as left running and uncounted exactly once.
        state = {"finished": False, "abandoned": False}

        def run() -> None:
            try:
                outcome["value"] = call(*args)
            except BaseException as error:  # handed to the caller below
                outcome["error"] = error
            finally:
                with self._lock:
                    state["finished"] = True
                    if state["abandoned"]:
                        self._left_running -= 1

        worker = threading.Thread(target=run, name=f"{self.name} call", daemon=True)
        worker.start()
        worker.join(seconds)
        with self._lock:
            if not state["finished"]:
                state["abandoned"] = True
                self._left_running += 1
                raise DeadlineExceeded(f"no answer from {self.name} within {seconds} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]


STORES = Lane("the store")
ALEXA_APIS = Lane("an Alexa API")

"""A SQLite preference store: a real embedded database with no set-up.

WAL mode lets readers and one writer work at once, across threads and across
gunicorn worker processes. Each call takes a connection of its own from a few
kept idle (never one in use by another thread) and gives it back: in WAL mode,
closing a database's last connection checkpoints and resets the log, which made
a one-connection-per-call write cost about 0.8 ms instead of 0.02 ms. A kept
connection is used only while the file is the one it was opened on (same device
and inode, same process): a file deleted or replaced while the service runs is
opened and set up afresh. A store that is locked or unreachable fails within
its timeout rather than holding up the person waiting.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Union

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

TIMEOUT_SECONDS = 1.0
MAX_IDLE_CONNECTIONS = 8  # per table; more at once are opened, and closed after use
PREFERENCES = "preferences"
RESUME_POINTS = "resume_points"
SCHEMA = """CREATE TABLE IF NOT EXISTS preferences (
    user_id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS resume_points (
    user_id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS resume_points_expiry ON resume_points (expires_at)"""


class SQLiteAdapter(AbstractPersistenceAdapter):
    """One table of the store: the preferences, or (expiring) the resume points."""

    def __init__(self, path: Union[str, Path], timeout: float = TIMEOUT_SECONDS,
                 table: str = PREFERENCES):
        if table not in (PREFERENCES, RESUME_POINTS):
            raise ValueError(f"no such table: {table!r}")
        self.path = Path(path)
        self.timeout = timeout
        self.table = table
        self._ready = False
        self._setting_up = threading.Lock()
        self._idle: list[tuple[sqlite3.Connection, tuple]] = []  # with the file they are on
        self._idle_lock = threading.Lock()

    def resume_points(self):
        """The resume points, in the same file as these preferences."""
        from skill.persistence.resume import ResumePoints

        return ResumePoints(SQLiteAdapter(self.path, self.timeout, RESUME_POINTS))

    def _file(self) -> tuple:
        """Which file the path names now, in this process: () if there is none."""
        try:
            found = os.stat(self.path)
        except OSError:
            return ()
        return found.st_dev, found.st_ino, os.getpid()

    def _take(self) -> tuple[sqlite3.Connection, tuple]:
        """A connection on the file the path names now, and that file."""
        current = self._file()
        with self._idle_lock:
            while self._idle:
                connection, opened_on = self._idle.pop()
                if opened_on == current:
                    return connection, current
                _close_quietly(connection)  # the file was deleted or replaced, or we forked
        if not current:
            self._ready = False
        if not self._ready:
            self._set_up()
            current = self._file()
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                     check_same_thread=False)  # one thread at a time, via _idle
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            connection.close()
            raise
        return connection, current

    def _give_back(self, connection: sqlite3.Connection, opened_on: tuple) -> None:
        with self._idle_lock:
            if opened_on and len(self._idle) < MAX_IDLE_CONNECTIONS:
                self._idle.append((connection, opened_on))
                return
        _close_quietly(connection)

    def _set_up(self) -> None:
        """The folder, WAL mode and the table, once per adapter, whichever thread is first."""
        with self._setting_up:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.executescript(SCHEMA)
            finally:
                connection.close()
            self._ready = True

    def _run(self, sql: str, parameters: tuple):
        """One statement on its own short connection. If the file was deleted or
        replaced while the service runs, the tables are set up again and the
        statement retried once, rather than "no such table" until a restart."""
        for attempt in (1, 2):
            try:
                connection, opened_on = self._take()
                try:
                    row = connection.execute(sql, parameters).fetchone()
                except BaseException:
                    _close_quietly(connection)  # never kept after a failure
                    raise
                self._give_back(connection, opened_on)
                return row
            except sqlite3.OperationalError as error:
                if attempt == 1 and "no such table" in str(error):
                    self._ready = False
                    continue
                raise PersistenceException(f"preference store {self.path}: {error}") from error
            except (sqlite3.Error, OSError) as error:
                raise PersistenceException(f"preference store {self.path}: {error}") from error

    def get_attributes(self, request_envelope):
        row = self._run(f"SELECT attributes FROM {self.table} WHERE user_id = ?",
                        (_user_of(request_envelope),))
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope, attributes):
        user, saved = _user_of(request_envelope), json.dumps(attributes)
        if self.table == PREFERENCES:
            self._run("INSERT INTO preferences (user_id, attributes) VALUES (?, ?) "
                      "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
                      "updated_at = CURRENT_TIMESTAMP", (user, saved))
            return
        # Resume points expire: rows past their time by the wall clock are dropped
        # first, as DynamoDB's TTL does, so no point outlives its use for long.
        self._run("DELETE FROM resume_points WHERE expires_at < ?", (time.time(),))
        self._run("INSERT INTO resume_points (user_id, attributes, expires_at) VALUES (?, ?, ?) "
                  "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
                  "expires_at = excluded.expires_at", (user, saved, attributes["expires_at"]))

    def delete_attributes(self, request_envelope):
        self._run(f"DELETE FROM {self.table} WHERE user_id = ?", (_user_of(request_envelope),))


def _close_quietly(connection: sqlite3.Connection) -> None:
    try:
        connection.close()
    except sqlite3.Error:
        pass


def _user_of(request_envelope) -> str:
    """The partition the SDK's DynamoDB adapter uses too: the Alexa user id."""
    system = getattr(request_envelope.context, "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None)
    if not user_id:
        raise PersistenceException("the request has no user id")
    return user_id

"""A SQLite preference store: a real embedded database with no set-up.

WAL mode lets readers and one writer work at once, across threads and across
gunicorn worker processes; each call opens its own short connection, so no
connection is shared between threads. A store that is locked or unreachable
fails within its timeout rather than holding up the person waiting.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Union

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

TIMEOUT_SECONDS = 1.0
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

    def resume_points(self):
        """The resume points, in the same file as these preferences."""
        from skill.persistence.resume import ResumePoints

        return ResumePoints(SQLiteAdapter(self.path, self.timeout, RESUME_POINTS))

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self._set_up()
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

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
                connection = self._connect()
                try:
                    return connection.execute(sql, parameters).fetchone()
                finally:
                    connection.close()
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


def _user_of(request_envelope) -> str:
    """The partition the SDK's DynamoDB adapter uses too: the Alexa user id."""
    system = getattr(request_envelope.context, "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None)
    if not user_id:
        raise PersistenceException("the request has no user id")
    return user_id

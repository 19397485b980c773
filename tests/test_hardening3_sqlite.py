"""The SQLite store keeps a few connections open between calls (closing the last
one in WAL mode checkpoints, which made every write cost about 0.8 ms); these
hold it to the file the path names now, whatever happened to the old one."""

import shutil
import sqlite3

from skill import envelopes
from skill.app import lambda_handler
from skill.persistence.sqlite import SCHEMA, SQLiteAdapter
from tests.speech import text_of

DISCLAIMER = "not medical advice"


def hears_disclaimer(handle, user: str) -> bool:
    """An answer is the first calm point, where a new user hears it."""
    reply = handle(envelopes.intent("DurationIntent", new=True, user_id=user), None)
    return DISCLAIMER in text_of(reply["response"]["outputSpeech"]["ssml"])


def test_a_store_file_replaced_while_running_is_the_one_used(tmp_path):
    db = tmp_path / "store.sqlite3"
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
    assert hears_disclaimer(handle, "user-a") and not hears_disclaimer(handle, "user-a")
    other = tmp_path / "other.sqlite3"  # another store, in which user-b heard it already
    with sqlite3.connect(other) as connection:
        connection.executescript(SCHEMA)
        connection.execute("INSERT INTO preferences (user_id, attributes) VALUES (?, ?)",
                           ("user-b", '{"heard_disclaimer": true}'))
    connection.close()
    for leftover in tmp_path.glob("store.sqlite3*"):
        leftover.unlink()
    shutil.copy(other, db)
    assert hears_disclaimer(handle, "user-a")  # the new file has never heard of user-a
    assert not hears_disclaimer(handle, "user-b")  # and is read
    assert not hears_disclaimer(handle, "user-a")  # and written
    rows = sqlite3.connect(db).execute("SELECT user_id FROM preferences").fetchall()
    assert sorted(rows) == [("user-a",), ("user-b",)]


def test_a_store_used_from_many_threads_keeps_each_write(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "store.sqlite3"
    handle = lambda_handler(persistence_adapter=SQLiteAdapter(db))
    users = [f"user-{index}" for index in range(200)]
    with ThreadPoolExecutor(max_workers=24) as pool:
        assert all(pool.map(lambda user: hears_disclaimer(handle, user), users))
        assert not any(pool.map(lambda user: hears_disclaimer(handle, user), users))
    count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM preferences").fetchone()[0]
    assert count == len(users)

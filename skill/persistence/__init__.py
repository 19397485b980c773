"""Preference stores, behind the ASK SDK's AbstractPersistenceAdapter.

Only preferences live here (whether the disclaimer was heard) and, beside them
for at most 15 minutes, a resume point (skill.persistence.resume); never
anything else about a person's health: Alexa's policy forbids collecting it.
Each store offers resume_points(), the same store's place for them.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

DB_ENV = "CRAMP_COACH_DB"
TABLE_ENV = "CRAMP_COACH_TABLE"


def default_db_path(env: Mapping[str, str] = os.environ) -> str:
    """Outside the repository, where a user's application data belongs."""
    data_home = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                         "share")
    return os.path.join(data_home, "cramp-coach", "preferences.sqlite3")


def sqlite_store(path: Optional[str] = None,
                 env: Mapping[str, str] = os.environ) -> AbstractPersistenceAdapter:
    """The web service's embedded store: --db, else CRAMP_COACH_DB, else the default path."""
    from skill.persistence.sqlite import SQLiteAdapter

    return SQLiteAdapter(path or env.get(DB_ENV) or default_db_path(env))


def lambda_store(env: Mapping[str, str] = os.environ) -> Optional[AbstractPersistenceAdapter]:
    """DynamoDB when CRAMP_COACH_TABLE names a table; otherwise none, and boto3 is never imported."""
    table = env.get(TABLE_ENV)
    if not table:
        return None
    from skill.persistence.dynamodb import dynamodb_store

    return dynamodb_store(table)

"""Preference stores, behind the ASK SDK's AbstractPersistenceAdapter.

Only preferences live here (whether the disclaimer was heard) and, beside them
for at most 15 minutes, a resume point (skill.persistence.resume); never
anything else about a person's health: Alexa's policy forbids collecting it.
Each store offers resume_points(), the same store's place for them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping, Optional

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.deadline import STORES

if TYPE_CHECKING:
    from skill.persistence.sqlite import SQLiteAdapter

DB_ENV = "CRAMP_COACH_DB"
TABLE_ENV = "CRAMP_COACH_TABLE"
# An Alexa-hosted skill's own table, which its host can neither rename nor replace:
# used when CRAMP_COACH_TABLE is unset, in the region the hosting names.
HOSTED_TABLE_ENV = "DYNAMODB_PERSISTENCE_TABLE_NAME"
HOSTED_REGION_ENV = "DYNAMODB_PERSISTENCE_REGION"
STORE_DEADLINE_SECONDS = 0.6  # a whole call, however slowly the store answers


class DeadlineAdapter(AbstractPersistenceAdapter):
    """Any store, with an overall deadline on every call (see skill.deadline)."""

    def __init__(self, store: AbstractPersistenceAdapter,
                 seconds: float = STORE_DEADLINE_SECONDS):
        self.store = store
        self.seconds = seconds

    def get_attributes(self, request_envelope):
        return STORES.within(self.seconds, self.store.get_attributes, request_envelope)

    def save_attributes(self, request_envelope, attributes):
        STORES.within(self.seconds, self.store.save_attributes, request_envelope, attributes)

    def delete_attributes(self, request_envelope):
        STORES.within(self.seconds, self.store.delete_attributes, request_envelope)



def with_deadlines(store: Optional[AbstractPersistenceAdapter]):
    """The preferences store and its resume points (None where the store keeps
    none), each call under an overall deadline."""
    if store is None:
        return None, None
    make_points = getattr(store, "resume_points", None)
    points = make_points() if make_points else None
    if points is not None:
        points.adapter = DeadlineAdapter(points.adapter)
    return DeadlineAdapter(store), points


def default_db_path(env: Mapping[str, str] = os.environ) -> str:
    """Outside the repository, where a user's application data belongs."""
    data_home = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                         "share")
    return os.path.join(data_home, "cramp-coach", "preferences.sqlite3")


def sqlite_store(path: Optional[str] = None,
                 env: Mapping[str, str] = os.environ) -> "SQLiteAdapter":
    """The web service's embedded store: --db, else CRAMP_COACH_DB, else the default path."""
    from skill.persistence.sqlite import SQLiteAdapter

    return SQLiteAdapter(path or env.get(DB_ENV) or default_db_path(env))


def dynamodb_table(env: Mapping[str, str] = os.environ) -> tuple[Optional[str], Optional[str]]:
    """The DynamoDB table named for the skill, and its region (None: boto3's own
    choice): CRAMP_COACH_TABLE, else an Alexa-hosted skill's table."""
    table = env.get(TABLE_ENV)
    if table:
        return table, None
    return env.get(HOSTED_TABLE_ENV) or None, env.get(HOSTED_REGION_ENV) or None


def web_service_store(db: Optional[str] = None, env: Mapping[str, str] = os.environ
                      ) -> tuple[AbstractPersistenceAdapter, str]:
    """The web service's store, and where it is: the DynamoDB table Lambda uses when
    one is named (so several instances share preferences and resume points), else
    the embedded SQLite file, the zero-setup default for one machine."""
    table, region = dynamodb_table(env)
    if table:
        from skill.persistence.dynamodb import dynamodb_store

        return dynamodb_store(table, region), f"DynamoDB table {table}"
    store = sqlite_store(db, env)
    return store, str(store.path)


def lambda_store(env: Mapping[str, str] = os.environ) -> Optional[AbstractPersistenceAdapter]:
    """DynamoDB when a table is named (CRAMP_COACH_TABLE, else an Alexa-hosted skill's);
    otherwise none, and boto3 is never imported."""
    table, region = dynamodb_table(env)
    if not table:
        return None
    from skill.persistence.dynamodb import dynamodb_store

    return dynamodb_store(table, region)

"""The Lambda store: the SDK's own DynamoDB adapter, set up to fail fast.

Imported only when a table is named (CRAMP_COACH_TABLE, or an Alexa-hosted
skill's DYNAMODB_PERSISTENCE_TABLE_NAME), because importing boto3 costs a cold
start dearly. boto3 honours AWS_ENDPOINT_URL_DYNAMODB by itself, which lets the
tests run this path against a local DynamoDB-compatible server.

Preferences and resume points share the one table, so their keys must never
meet: a resume point is under "resume#" and the user id, with a top-level
`expires_at` that the table's TTL setting uses to delete it; preferences are
under the user id itself when it has no "#", as every Alexa user id
("amzn1.ask.account." and letters and digits), and under "user#" and the user id
when it has one. A key with no "#" is always preferences, and every other key
starts with its kind, so no user id, "resume#<someone else's id>" included, can
reach another person's item. Items of Alexa user ids keep the keys they always
had, so nothing needs migrating; the only keys that moved are of user ids Alexa
never sends, whose old items could be exactly someone else's resume point, and
must not be read.
"""

from __future__ import annotations

from typing import Optional

import boto3
from ask_sdk_core.exceptions import PersistenceException
from botocore.config import Config

# One attempt with short timeouts, then go on without preferences: the routine must
# not wait on the store, and botocore's retry back-off alone can take a second or more.
FAIL_FAST = Config(connect_timeout=0.5, read_timeout=0.8, retries={"total_max_attempts": 1})
RESUME_PREFIX = "resume#"
PREFERENCES_PREFIX = "user#"  # only for user ids with a "#" in them
TTL_ATTRIBUTE = "expires_at"


def preferences_key(user_id: str) -> str:
    return PREFERENCES_PREFIX + user_id if "#" in user_id else user_id


def resume_point_key(user_id: str) -> str:
    return RESUME_PREFIX + user_id


def _user_of(request_envelope) -> str:
    user = getattr(getattr(request_envelope.context, "system", None), "user", None)
    user_id = getattr(user, "user_id", None)
    if not (isinstance(user_id, str) and user_id):
        raise PersistenceException("the request has no user id")
    return user_id


def dynamodb_store(table_name: str, region: Optional[str] = None):
    """The table's preferences, and its resume points beside them; region None is
    boto3's own choice (AWS_REGION on Lambda)."""
    resource = boto3.resource("dynamodb", region_name=region, config=FAIL_FAST)
    # The adapter module builds a default boto3 resource as it is imported,
    # so it is imported only here, once a region and endpoint are known.
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    class PreferencesTable(DynamoDbAdapter):
        def resume_points(self):
            from skill.persistence.resume import ResumePoints

            return ResumePoints(ResumePointItems(
                table_name=table_name, partition_key_name="id", attribute_name="attributes",
                create_table=False, dynamodb_resource=resource,
                partition_keygen=lambda envelope: resume_point_key(_user_of(envelope))))

    class ResumePointItems(DynamoDbAdapter):
        """Resume points, each with the TTL attribute beside its attributes."""

        def save_attributes(self, request_envelope, attributes):
            try:
                self.dynamodb.Table(self.table_name).put_item(Item={
                    self.partition_key_name: self.partition_keygen(request_envelope),
                    self.attribute_name: attributes,
                    TTL_ATTRIBUTE: attributes[TTL_ATTRIBUTE]})
            except Exception as error:
                raise PersistenceException(f"could not save the resume point: {error}") from error

    return PreferencesTable(table_name=table_name, partition_key_name="id",
                            attribute_name="attributes", create_table=False,
                            dynamodb_resource=resource,
                            partition_keygen=lambda envelope: preferences_key(
                                _user_of(envelope)))

"""The Lambda store: the SDK's own DynamoDB adapter, set up to fail fast.

Imported only when CRAMP_COACH_TABLE is set, because importing boto3 costs a
cold start dearly. boto3 honours AWS_ENDPOINT_URL_DYNAMODB by itself, which
lets the tests run this path against a local DynamoDB-compatible server.

Preferences and resume points share the one table: a person's preferences under
their user id, their resume point under "resume#" and the user id, with a
top-level `expires_at` that the table's TTL setting uses to delete it.
"""

from __future__ import annotations

import boto3
from botocore.config import Config

# One attempt with short timeouts, then go on without preferences: the routine must
# not wait on the store, and botocore's retry back-off alone can take a second or more.
FAIL_FAST = Config(connect_timeout=0.5, read_timeout=0.8, retries={"total_max_attempts": 1})
RESUME_PREFIX = "resume#"
TTL_ATTRIBUTE = "expires_at"


def dynamodb_store(table_name: str):
    resource = boto3.resource("dynamodb", config=FAIL_FAST)
    # The adapter module builds a default boto3 resource as it is imported,
    # so it is imported only here, once a region and endpoint are known.
    from ask_sdk_core.exceptions import PersistenceException
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter, user_id_partition_keygen

    class PreferencesTable(DynamoDbAdapter):
        def resume_points(self):
            from skill.persistence.resume import ResumePoints

            return ResumePoints(ResumePointItems(
                table_name=table_name, partition_key_name="id", attribute_name="attributes",
                create_table=False, dynamodb_resource=resource,
                partition_keygen=lambda envelope: RESUME_PREFIX + user_id_partition_keygen(
                    envelope)))

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
                            dynamodb_resource=resource)

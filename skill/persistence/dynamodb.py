"""The Lambda preference store: the SDK's own DynamoDB adapter, set up to fail fast.

Imported only when CRAMP_COACH_TABLE is set, because importing boto3 costs a
cold start dearly. boto3 honours AWS_ENDPOINT_URL_DYNAMODB by itself, which
lets the tests run this path against a local DynamoDB-compatible server.
"""

from __future__ import annotations

import boto3
from botocore.config import Config

# One attempt with short timeouts, then go on without preferences: the routine must
# not wait on the store, and botocore's retry back-off alone can take a second or more.
FAIL_FAST = Config(connect_timeout=0.5, read_timeout=0.8, retries={"total_max_attempts": 1})


def dynamodb_store(table_name: str):
    resource = boto3.resource("dynamodb", config=FAIL_FAST)
    # The adapter module builds a default boto3 resource as it is imported,
    # so it is imported only here, once a region and endpoint are known.
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    return DynamoDbAdapter(table_name=table_name, partition_key_name="id",
                           attribute_name="attributes", create_table=False,
                           dynamodb_resource=resource)

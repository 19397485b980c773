"""AWS Lambda entry point.

Kept lean for cold starts: no Flask and no web-service verifier are imported
here (AWS already verifies that Lambda requests come from Alexa, and the event
source is restricted to the skill id). boto3 is imported only when
CRAMP_COACH_TABLE names a preferences table.
"""

import os

from skill.app import lambda_handler as skill_lambda_handler
from skill.persistence import lambda_store

lambda_handler = skill_lambda_handler(persistence_adapter=lambda_store(),
                                      skill_id=os.environ.get("SKILL_ID"))

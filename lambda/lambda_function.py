"""AWS Lambda entry point.

Kept lean for cold starts: no Flask and no web-service verifier are imported
here (AWS already verifies that Lambda requests come from Alexa, and the event
source is restricted to the skill id).
"""

import os

from skill.app import build_skill_builder

lambda_handler = build_skill_builder(skill_id=os.environ.get("SKILL_ID")).lambda_handler()

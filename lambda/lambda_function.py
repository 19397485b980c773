"""AWS Lambda entry point, and an Alexa-hosted skill's.

Kept lean for cold starts: no Flask and no web-service verifier are imported
here (AWS already verifies that Lambda requests come from Alexa, and the event
source is restricted to the skill id). boto3 is imported only when a
preferences table is named (CRAMP_COACH_TABLE, or an Alexa-hosted skill's own).

It runs beside the skill package (the Lambda package, make lambda-zip) or from
this folder alone, as an Alexa-hosted skill deploys it: the skill package is then
hosted/skill, a generated copy (make hosted), imported only where no other is.
Written so that any Python 3 reads it, to refuse an older one in plain words.
"""

import os
import sys

MINIMUM_PYTHON = (3, 11)
if sys.version_info < MINIMUM_PYTHON:
    raise ImportError(
        "Cramp Coach needs Python {}.{} or later, and this function runs Python {}.{}. On AWS "
        "Lambda, choose the python3.12 runtime (lambda/template.yaml does); for an Alexa-hosted "
        "skill, see README.md, 'As an Alexa-hosted skill'.".format(*MINIMUM_PYTHON,
                                                                   *sys.version_info[:2]))

_HOSTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hosted")
if os.path.isdir(_HOSTED):
    sys.path.append(_HOSTED)

from skill.app import lambda_handler as skill_lambda_handler  # noqa: E402
from skill.persistence import lambda_store  # noqa: E402

lambda_handler = skill_lambda_handler(persistence_adapter=lambda_store(),
                                      skill_id=os.environ.get("SKILL_ID"))

"""WSGI apps for the load benchmark (bench/load.py), served by gunicorn or by
Flask's own threaded server.

skill_app()   the skill as `python -m skill serve --no-verify` builds it: its store
              from the environment (CRAMP_COACH_TABLE, else CRAMP_COACH_DB)
hello_app()   a bare flask-ask-sdk hello world: the SDK's own adapter, a handler
              for each request the load sends, no store

`python bench/load_apps.py hello --port N` serves the hello world with Flask's
threaded development server, the server `python -m skill serve` uses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from skill import oscrypto_fix  # noqa: E402

oscrypto_fix.install()  # flask_ask_sdk imports oscrypto, which fails on OpenSSL 3.0.10+


def skill_app():
    from skill.persistence import web_service_store
    from skill.webservice import create_app

    return create_app(verify=False, persistence_adapter=web_service_store()[0])


def hello_app():
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_core.utils import is_request_type
    from flask import Flask
    from flask_ask_sdk.skill_adapter import (
        VERIFY_SIGNATURE_APP_CONFIG,
        VERIFY_TIMESTAMP_APP_CONFIG,
        SkillAdapter,
    )

    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=is_request_type("LaunchRequest"))
    def launch(handler_input):
        return handler_input.response_builder.speak("Hello world.").ask("Hello?").response

    @builder.request_handler(can_handle_func=is_request_type("SessionEndedRequest"))
    def ended(handler_input):
        return handler_input.response_builder.response

    @builder.request_handler(can_handle_func=lambda handler_input: True)
    def anything(handler_input):
        return handler_input.response_builder.speak("Hello again.").ask("Hello?").response

    app = Flask(__name__)
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    SkillAdapter(skill=builder.create(), skill_id="hello-world", app=app).register(
        app=app, route="/")
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["hello"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    hello_app().run(host="127.0.0.1", port=args.port, threaded=True)


if __name__ == "__main__":
    main()

"""Command line: `python -m skill serve` runs the local web service;
`python -m skill chat` talks to the skill in the terminal; `python -m skill replay
FILE` replays an ASK CLI dialog replay file through the console."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    if args.no_verify and not is_loopback(args.host):
        print(f"Refusing --no-verify on {args.host}: without verification anyone could "
              "send requests as Alexa. Use it only on a loopback address such as 127.0.0.1.",
              file=sys.stderr)
        return 2
    import logging

    from skill.persistence import web_service_store
    from skill.webservice import create_app, log_to_stderr

    log_to_stderr()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # our own line per request instead
    store, where = web_service_store(args.db)
    app = create_app(verify=not args.no_verify, skill_id=os.environ.get("SKILL_ID"),
                     persistence_adapter=store)
    mode = "WITHOUT request verification" if args.no_verify else "with request verification"
    print(f"Cramp Coach listening on http://{args.host}:{args.port}/ {mode}; "
          f"preferences in {where}", flush=True)
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


def chat(args: argparse.Namespace) -> int:
    from skill.console import run

    return run(locale=args.locale, speak=args.speak, db=args.db, explain=args.explain)


def replay(args: argparse.Namespace) -> int:
    from pathlib import Path

    from skill.console import ReplayError
    from skill.console import replay as replay_file

    try:
        return replay_file(Path(args.file), explain=args.explain)
    except ReplayError as error:
        print(error, file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the skill as a local web service")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=3000)
    serve_parser.add_argument("--no-verify", action="store_true",
                              help="skip signature and timestamp checks (loopback only)")
    serve_parser.add_argument("--db", metavar="PATH",
                              help="SQLite file for preferences (default: $CRAMP_COACH_DB, "
                                   "else ~/.local/share/cramp-coach/preferences.sqlite3); "
                                   "unused when CRAMP_COACH_TABLE names a DynamoDB table")
    serve_parser.set_defaults(run=serve)
    chat_parser = commands.add_parser("chat", help="talk to the skill in the terminal")
    chat_parser.add_argument("--locale", default="en-US")
    chat_parser.add_argument("--speak", action="store_true",
                             help="also speak the answers with espeak-ng, if installed")
    chat_parser.add_argument("--db", metavar="PATH",
                             help="SQLite preferences file (default: a throwaway one)")
    chat_parser.add_argument("--explain", action="store_true",
                             help="also print the intent and slots each line was heard as")
    chat_parser.set_defaults(run=chat)
    replay_parser = commands.add_parser(
        "replay", help="replay an ASK CLI dialog replay file (ask dialog --replay) offline")
    replay_parser.add_argument("file", help="a replay file: {locale, type, userInput, ...}")
    replay_parser.add_argument("--explain", action="store_true",
                               help="also print the intent and slots each line was heard as")
    replay_parser.set_defaults(run=replay)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

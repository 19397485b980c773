"""Exports skill.json and interaction_models/ in the ASK CLI v2 layout.

    skill-package/skill.json
    skill-package/interactionModels/custom/<locale>.json
    skill-package/assets/images/*.png      (kept in the repository: tools/icons.py)

`ask deploy` (ask-resources.json names this folder), an Alexa-hosted skill's
"Import skill" or the developer console's JSON editor takes it as it is. The
development export is committed (make skill-package writes it; a test holds it to
skill.json and interaction_models/). Only the exported files are replaced; the
icons stay.

The exported manifest names no endpoint: a first `ask deploy` of a new skill is
refused while it names a Lambda function whose trigger does not name that skill
(which nothing can before the skill exists), and the ASK CLI writes the function
it deployed back into skill-package/skill.json itself; an Alexa-hosted skill has
its own. --lambda-arn ARN names one (the SkillFunctionArn output of the SAM
stack) for a skill whose function already exists.

    python tools/skill_package.py [--output skill-package] [--lambda-arn ARN]
    python tools/skill_package.py --publishing --privacy-url URL --terms-url URL

--publishing writes the host's privacy policy and terms of use URLs (where the
texts of PRIVACY.md and TERMS.md are published) into every locale of the
exported manifest, and refuses to export placeholders: Amazon's certification
rejects a skill whose policy links lead nowhere.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


ICONS = ROOT / "skill-package" / "assets"


PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost")
# A Lambda function, or one of its versions or aliases ("live", lambda/template.yaml's).
LAMBDA_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}"
                        r"(:[A-Za-z0-9_$-]{1,128})?")
PLACEHOLDER_ACCOUNT = "123456789012"  # the account id AWS's own examples use


class PublishingError(ValueError):
    """The manifest can't be published as it is."""


def publishable_url(url: Optional[str], what: str) -> str:
    """An https URL on a real host, or PublishingError saying what is wrong."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or "." not in host:
        raise PublishingError(f"the {what} URL must be an https address, not {url!r}")
    if any(host == placeholder or host.endswith("." + placeholder)
           for placeholder in PLACEHOLDER_HOSTS):
        raise PublishingError(f"the {what} URL is a placeholder ({host}): publish PRIVACY.md "
                              "and TERMS.md on your own site and give their addresses")
    return url


def manifest_for_publishing(manifest: dict, privacy_url: str, terms_url: str) -> dict:
    """The manifest with the host's policy URLs in every locale."""
    published = json.loads(json.dumps(manifest))
    privacy = published["manifest"]["privacyAndCompliance"]
    for locale in published["manifest"]["publishingInformation"]["locales"]:
        privacy["locales"][locale] = {
            "privacyPolicyUrl": publishable_url(privacy_url, "privacy policy"),
            "termsOfUseUrl": publishable_url(terms_url, "terms of use")}
    return published


def lambda_endpoint(arn: str) -> str:
    """An ARN of a Lambda function (or alias), or PublishingError saying what is wrong."""
    if not LAMBDA_ARN.fullmatch(arn or ""):
        raise PublishingError(f"{arn!r} is not the ARN of a Lambda function "
                              "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS])")
    if f":{PLACEHOLDER_ACCOUNT}:" in arn:
        raise PublishingError(f"{arn!r} is the placeholder account {PLACEHOLDER_ACCOUNT}: "
                              "give the SkillFunctionArn output of your own stack")
    return arn


def manifest_for_export(manifest: dict, lambda_arn: Optional[str] = None) -> dict:
    """The manifest with no endpoint (skill.json's is a placeholder), or with lambda_arn's."""
    exported = json.loads(json.dumps(manifest))
    custom = exported["manifest"]["apis"]["custom"]
    custom.pop("endpoint", None)
    custom.pop("regions", None)
    if lambda_arn is not None:
        custom["endpoint"] = {"uri": lambda_endpoint(lambda_arn)}
    return exported


def export(output: Path, manifest: Optional[dict] = None) -> list[Path]:
    models = output / "interactionModels" / "custom"
    if models.parent.exists():
        shutil.rmtree(models.parent)
    models.mkdir(parents=True)
    if output.resolve() != ICONS.parent.resolve():
        shutil.copytree(ICONS, output / "assets", dirs_exist_ok=True)
    if manifest is None:
        manifest = manifest_for_export(json.loads((ROOT / "skill.json").read_text()))
    (output / "skill.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    written = [output / "skill.json"]
    for model in sorted((ROOT / "interaction_models").glob("*.json")):
        written.append(Path(shutil.copyfile(model, models / model.name)))
    return written


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "skill-package")
    parser.add_argument("--publishing", action="store_true",
                        help="export for publishing: needs --privacy-url and --terms-url")
    parser.add_argument("--privacy-url", help="where PRIVACY.md is published (https)")
    parser.add_argument("--terms-url", help="where TERMS.md is published (https)")
    parser.add_argument("--lambda-arn", help="the endpoint: an existing Lambda function's ARN "
                        "(the SAM stack's SkillFunctionArn); without it, none")
    args = parser.parse_args(argv)
    try:
        manifest = manifest_for_export(json.loads((ROOT / "skill.json").read_text()),
                                       args.lambda_arn)
        if args.publishing:
            manifest = manifest_for_publishing(manifest, args.privacy_url, args.terms_url)
    except PublishingError as error:
        print(f"Not exported{' for publishing' if args.publishing else ''}: {error}.",
              file=sys.stderr)
        return 2
    for path in export(args.output, manifest):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

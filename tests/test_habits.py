"""The project's habits, held where a contributor or a forge would look: the licence, the
changelog and contributing guide, pre-commit running ruff at the pinned version, and a CI
workflow running `make test` with the Python and Node versions the README names."""

import re
import sys
import tomllib

import yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import hosted  # noqa: E402
import lambda_zip  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
README = (ROOT / "README.md").read_text()


def test_the_licence_is_apache_2_the_ask_sdks_own():
    licence = (ROOT / "LICENSE").read_text()
    assert "Apache License\n                           Version 2.0, January 2004" in licence
    assert "END OF TERMS AND CONDITIONS" in licence
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE", "NOTICE"]
    assert "Apache License, Version 2.0" in (ROOT / "NOTICE").read_text()


def test_the_changelog_and_contributing_guide_say_what_a_newcomer_needs():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    for words in ("Alexa-hosted", "Apache-2.0", "ask deploy", "sam build", "Apologies"):
        assert words in changelog, words
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    for words in ("make test", "make models", "make hosted", "medical-guidance.md",
                  "## Adding a locale", "never edit them by hand"):
        assert words in contributing, words


def test_pre_commit_runs_ruff_at_the_pinned_version():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (hook,) = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert hook["entry"].startswith("ruff check")
    assert hook["additional_dependencies"] == [hosted.project_pins()["ruff"]]


def test_ci_runs_make_test_with_the_versions_the_readme_names():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu")
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}
    assert {"run": "make test"} in job["steps"]
    pythons = steps["actions/setup-python"]["with"]["python-version"].split()
    oldest = "{}.{}".format(*hosted.MINIMUM_PYTHON)
    assert pythons[-1] == oldest  # the last one is python3: make test's .venv
    assert "{}.{}".format(*lambda_zip.LAMBDA_PYTHON) in pythons
    assert f"Python {oldest}+" in README
    node = steps["actions/setup-node"]["with"]["node-version"]
    assert f"Node.js {node}+" in README
    assert PROJECT["requires-python"] == f">={oldest}"


def test_the_readme_names_the_ask_cli_pin():
    assert "npm install ask-cli@2.30.7" in README
    assert re.search(r"overrides\.antlr4ts=0\.5\.0-alpha\.4", README)

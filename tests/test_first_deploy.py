"""A first deploy that works from a fresh clone: the skill package committed and ready, no
placeholder endpoint in what `ask deploy` reads, the ASK CLI's function configured as SAM's,
a Windows build hook that ships the same zip, and the ASK CLI's state kept out of git."""

import json
import shutil
import subprocess
import sys

import pytest
from cfnlint.decode import cfn_yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import skill_package  # noqa: E402

PACKAGE = ROOT / "skill-package"
TEMPLATE = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
SAM_FUNCTION = TEMPLATE["Resources"]["SkillFunction"]["Properties"]
ASK_FUNCTION = json.loads((ROOT / "ask-resources.json").read_text())["profiles"]["default"][
    "skillInfrastructure"]["userConfig"]
ARN = "arn:aws:lambda:us-east-1:210987654321:function:cramp-coach-SkillFunction-AbC123:live"


def without_endpoint(manifest: dict) -> dict:
    """The manifest less what `ask deploy` writes back into skill-package/skill.json."""
    custom = manifest["manifest"]["apis"]["custom"]
    return {**manifest, "manifest": {**manifest["manifest"], "apis": {
        **manifest["manifest"]["apis"], "custom": {key: value for key, value in custom.items()
                                                   if key not in ("endpoint", "regions")}}}}


def test_a_fresh_clone_has_the_skill_package_as_exported(tmp_path):
    skill_package.export(tmp_path / "skill-package")
    exported = sorted(path.relative_to(tmp_path / "skill-package")
                      for path in (tmp_path / "skill-package").rglob("*") if path.is_file())
    committed = sorted(path.relative_to(PACKAGE) for path in PACKAGE.rglob("*") if path.is_file())
    assert committed == exported, "run `make skill-package`"
    tracked = subprocess.run(["git", "ls-files", "skill-package"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert sorted(tracked) == sorted(f"skill-package/{path.as_posix()}" for path in exported)
    for model in (PACKAGE / "interactionModels" / "custom").glob("*.json"):
        assert model.read_bytes() == (tmp_path / "skill-package" / model.relative_to(
            PACKAGE)).read_bytes(), f"{model.name}: run `make skill-package`"
    assert without_endpoint(json.loads((PACKAGE / "skill.json").read_text())) == json.loads(
        (tmp_path / "skill-package" / "skill.json").read_text()), "run `make skill-package`"


def test_what_ask_deploy_reads_names_no_placeholder_endpoint():
    custom = json.loads((PACKAGE / "skill.json").read_text())["manifest"]["apis"]["custom"]
    # A first deploy of a new skill is refused for an endpoint whose trigger can't name
    # the skill yet (ask-cli issue 365); after a deploy the ASK CLI writes its own here.
    assert skill_package.PLACEHOLDER_ACCOUNT not in json.dumps(custom)
    exported = skill_package.manifest_for_export(json.loads((ROOT / "skill.json").read_text()))
    assert "endpoint" not in exported["manifest"]["apis"]["custom"]


def test_an_existing_function_is_named_with_lambda_arn(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "skill_package.py"),
                             "--output", str(tmp_path), "--lambda-arn", ARN],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": ARN}


@pytest.mark.parametrize("arn", ["arn:aws:lambda:us-east-1:123456789012:function:cramp-coach",
                                 "https://example.com/skill", "arn:aws:lambda:us-east-1:42:x"])
def test_a_placeholder_or_malformed_arn_is_refused_clearly(arn, tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "skill_package.py"),
                             "--output", str(tmp_path), "--lambda-arn", arn],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Not exported: ") and not (tmp_path / "skill.json").exists()


def test_the_ask_cli_function_is_configured_as_sams():
    lambda_config = ASK_FUNCTION["lambda"]
    assert lambda_config["memorySize"] == SAM_FUNCTION["MemorySize"]
    assert lambda_config["timeout"] == SAM_FUNCTION["Timeout"]  # not the deployer's 15 s
    assert ASK_FUNCTION["runtime"] == SAM_FUNCTION["Runtime"]
    assert ASK_FUNCTION["handler"] == SAM_FUNCTION["Handler"]
    # The same variables; empty means unset, until the host fills them in (README).
    assert lambda_config["environmentVariables"].keys() == \
        SAM_FUNCTION["Environment"]["Variables"].keys()


def test_the_ask_cli_state_stays_out_of_git():
    for path in (".ask/ask-states.json", ".aws-sam/build/template.yaml"):
        ignored = subprocess.run(["git", "check-ignore", "--quiet", "--no-index", path], cwd=ROOT)
        assert ignored.returncode == 0, path


POWERSHELL = shutil.which("pwsh") or shutil.which("powershell")


def test_the_windows_build_hook_builds_the_package_as_build_sh_does():
    """ask-cli runs hooks/build.ps1 on Windows with the zip to write and $True/$False, and
    without it zips lambda/ alone."""
    hook = (ROOT / "hooks" / "build.ps1").read_text()
    assert "[Parameter(Mandatory = $true, Position = 0)][string]$ZipFile" in hook
    assert "[Parameter(Position = 1)][bool]$DoDebug" in hook
    assert '"lambda_zip.py"' in hook and "--output $ZipFile" in hook
    assert "$LASTEXITCODE -ne 0" in hook  # a failed build fails the deploy


@pytest.mark.skipif(POWERSHELL is None, reason="no PowerShell on this machine")
def test_the_windows_build_hook_ships_the_same_zip_as_make_lambda_zip(tmp_path):
    ask_zip, make_zip = tmp_path / "ask.zip", tmp_path / "make.zip"
    subprocess.run([POWERSHELL, "-NoProfile", "-Command",
                    f"& {{& '{ROOT / 'hooks' / 'build.ps1'}' '{ask_zip}' $False }}"],
                   cwd=ROOT, check=True, capture_output=True, timeout=600)
    subprocess.run([sys.executable, str(ROOT / "tools" / "lambda_zip.py"), "--output",
                    str(make_zip)], cwd=ROOT, check=True, capture_output=True)
    assert ask_zip.read_bytes() == make_zip.read_bytes()

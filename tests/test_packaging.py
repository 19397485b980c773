"""The Lambda package, its SAM template and the ASK CLI export."""

import json
import os
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from cfnlint.decode import cfn_yaml

from skill import envelopes
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import lambda_zip  # noqa: E402
import skill_package  # noqa: E402

WEB_ONLY = ("flask", "werkzeug", "flask_ask_sdk", "ask_sdk_webservice_support", "certvalidator",
            "oscrypto", "asn1crypto", "cryptography", "boto3", "botocore", "requests")


def build_zip(output: Path) -> Path:
    subprocess.run([sys.executable, str(ROOT / "tools" / "lambda_zip.py"), "--output",
                    str(output)], check=True, capture_output=True, cwd=ROOT)
    return output


@pytest.fixture(scope="module")
def lambda_zip_file(tmp_path_factory):
    return build_zip(tmp_path_factory.mktemp("dist") / "lambda.zip")


def test_the_zip_is_small_and_reproducible(lambda_zip_file, tmp_path):
    assert lambda_zip_file.stat().st_size <= 5 * 1024 * 1024
    again = build_zip(tmp_path / "again.zip")
    assert again.read_bytes() == lambda_zip_file.read_bytes()


def test_the_zip_holds_the_skill_and_only_what_lambda_needs(lambda_zip_file):
    names = zipfile.ZipFile(lambda_zip_file).namelist()
    assert "lambda_function.py" in names and "skill/content/en.json" in names
    assert "LICENSE" in names and "NOTICE" in names  # the licence travels with the package
    assert "skill/content/en-GB.json" in names and "ask_sdk_core/skill_builder.py" in names
    tops = {name.split("/")[0] for name in names}
    assert not tops & set(WEB_ONLY), tops & set(WEB_ONLY)
    assert "skill/webservice.py" not in names
    version = "{}{}".format(*lambda_zip.LAMBDA_PYTHON)
    sources = [name for name in names if name.endswith(".py")]
    for source in sources:
        folder, _, module = source.rpartition("/")
        cached = f"{folder}/__pycache__/{module[:-3]}.cpython-{version}.pyc".lstrip("/")
        assert cached in names, f"no .pyc for {source}"


RUN_FROM_ZIP = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
replies = [lambda_function.lambda_handler(json.loads(event), None) for event in sys.argv[2:]]
unpacked = [m.__spec__.origin for m in list(sys.modules.values())
            if getattr(m, '__spec__', None) and m.__spec__.origin
            and m.__spec__.origin.startswith(sys.argv[1])]
print(json.dumps({"replies": replies, "from_zip": len(unpacked),
                  "without_pyc": [m.__name__ for m in list(sys.modules.values())
                                  if getattr(m, '__spec__', None) and m.__spec__.origin
                                  and m.__spec__.origin.startswith(sys.argv[1])
                                  and m.__spec__.origin.endswith('.py')
                                  and not __import__('os').path.exists(m.__spec__.cached)],
                  "web_only": sorted(name for name in sys.modules
                                     if name.split('.')[0] in %r)}))
""" % (WEB_ONLY,)


def test_the_unzipped_package_answers_in_a_python_without_site_packages(lambda_zip_file, tmp_path):
    task = tmp_path / "task"
    zipfile.ZipFile(lambda_zip_file).extractall(task)
    for path in [task, *task.rglob("*")]:  # read-only, as Lambda's code directory is
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    events = [envelopes.launch(), envelopes.intent("CausesIntent", {"cause": ("statins",
                                                                                "STATINS")})]
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run([lambda_zip.find_lambda_python(), "-S", "-c", RUN_FROM_ZIP,
                             str(task), *map(json.dumps, events)],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    for path in [task, *task.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    launch, causes = (reply["response"]["outputSpeech"]["ssml"] for reply in report["replies"])
    assert launch.startswith("<speak>Let's ease that cramp.")
    assert "Statins" in causes
    assert report["from_zip"] > 50 and report["without_pyc"] == []
    assert report["web_only"] == []


def test_the_sam_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(ROOT / "lambda" / "template.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_sam_template_matches_the_package():
    template = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
    function = template["Resources"]["SkillFunction"]["Properties"]
    assert function["Runtime"] == "python{}.{}".format(*lambda_zip.LAMBDA_PYTHON)
    assert function["Handler"] == "lambda_function.lambda_handler"
    assert function["Events"]["AlexaSkill"] == {
        "Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    assert function["Environment"]["Variables"]["CRAMP_COACH_TABLE"] == {"Ref": "PreferencesTable"}
    (statement,) = function["Policies"][0]["Statement"]
    assert sorted(statement["Action"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem",
                                           "dynamodb:PutItem"]
    assert statement["Resource"] == {"Fn::GetAtt": ["PreferencesTable", "Arn"]}
    table = template["Resources"]["PreferencesTable"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]


def test_sam_build_builds_the_package_and_passes_nothing_through():
    """`sam build` runs the Makefile's build-SkillFunction on the repository itself."""
    template = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
    function = template["Resources"]["SkillFunction"]
    assert function["Metadata"] == {"BuildMethod": "makefile"}
    assert (ROOT / "lambda" / function["Properties"]["CodeUri"]).resolve() == ROOT
    assert "build-SkillFunction:" in (ROOT / "Makefile").read_text()
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())["default"]
    assert (ROOT / config["global"]["parameters"]["template_file"]) == \
        ROOT / "lambda" / "template.yaml"
    assert config["build"]["parameters"]["build_in_source"] is True


def test_the_makefile_target_sam_runs_writes_the_package_unzipped(lambda_zip_file, tmp_path):
    artifacts = tmp_path / "SkillFunction"
    artifacts.mkdir()  # sam build makes it, empty
    installed = Path(sys.executable).parent / ".installed"
    subprocess.run(["make", "--no-print-directory", "build-SkillFunction",
                    f"ARTIFACTS_DIR={artifacts}", f"BIN={Path(sys.executable).parent}",
                    "-o", str(installed)], cwd=ROOT, check=True, capture_output=True)
    built = {path.relative_to(artifacts).as_posix(): path.read_bytes()
             for path in artifacts.rglob("*") if path.is_file()}
    with zipfile.ZipFile(lambda_zip_file) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert built == zipped


def test_either_architecture_runs_the_package(lambda_zip_file):
    template = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
    assert template["Resources"]["SkillFunction"]["Properties"]["Architectures"] == [
        {"Ref": "Architecture"}]
    assert sorted(template["Parameters"]["Architecture"]["AllowedValues"]) == ["arm64", "x86_64"]
    compiled = [name for name in zipfile.ZipFile(lambda_zip_file).namelist()
                if name.endswith((".so", ".pyd", ".dylib")) or ".so." in name]
    assert compiled == []  # pure Python: the same files run on x86_64 and arm64


def transformed_template() -> dict:
    """The SAM template as CloudFormation receives it (the SAM translator cfn-lint uses)."""
    from samtranslator.translator.transform import transform

    template = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
    template["Resources"]["SkillFunction"]["Properties"]["CodeUri"] = "s3://bucket/key"

    class Policies:
        def load(self):
            return {"AWSLambdaBasicExecutionRole":
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}

    return transform(json.loads(json.dumps(template)), {"SkillId": "amzn1.ask.skill.1"},
                     Policies())


def test_the_skill_endpoint_is_the_published_alias(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    resources = transformed_template()["Resources"]
    (alias,) = [name for name, resource in resources.items()
                if resource["Type"] == "AWS::Lambda::Alias"]
    assert resources[alias]["Properties"]["Name"] == "live"
    (permission,) = [resource["Properties"] for resource in resources.values()
                     if resource["Type"] == "AWS::Lambda::Permission"]
    assert permission["FunctionName"] == {"Ref": alias}  # Alexa may invoke the alias only
    assert permission["EventSourceToken"] == {"Ref": "SkillId"}
    outputs = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())["Outputs"]
    assert outputs["SkillFunctionArn"]["Value"] == {"Ref": "SkillFunction.Alias"}


def test_logs_are_json_and_kept_as_long_as_privacy_md_says():
    template = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())
    logging_config = template["Resources"]["SkillFunction"]["Properties"]["LoggingConfig"]
    assert logging_config["LogFormat"] == "JSON"
    assert logging_config["LogGroup"] == {"Ref": "SkillLogGroup"}
    group = template["Resources"]["SkillLogGroup"]["Properties"]
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    retention = template["Parameters"]["LogRetentionDays"]
    assert max(retention["AllowedValues"]) == retention["Default"] == 30
    privacy = (ROOT / "PRIVACY.md").read_text()
    assert "30 days" in privacy


def test_the_skill_package_export_has_the_ask_cli_layout(tmp_path):
    output = tmp_path / "skill-package"
    skill_package.export(output)
    files = sorted(str(path.relative_to(output)) for path in output.rglob("*") if path.is_file())
    locales = sorted(path.stem for path in (ROOT / "interaction_models").glob("*.json"))
    assert files == ["assets/images/en-US_largeIconUri.png", "assets/images/en-US_smallIconUri.png"] \
        + ["interactionModels/custom/" + f"{locale}.json" for locale in locales] + ["skill.json"]
    assert json.loads((output / "skill.json").read_text()) == skill_package.manifest_for_export(
        json.loads((ROOT / "skill.json").read_text()))
    for locale in locales:
        exported = json.loads((output / "interactionModels" / "custom" / f"{locale}.json")
                              .read_text())
        assert exported["interactionModel"]["languageModel"]["invocationName"] == (
            "entrenador de calambres" if locale.startswith("es") else "cramp coach")
    (output / "interactionModels" / "custom" / "xx-XX.json").write_text("{}")
    skill_package.export(output)  # exporting again replaces the models, never mixes
    assert len([path for path in output.rglob("*") if path.is_file()]) == len(files)

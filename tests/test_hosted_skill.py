"""An Alexa-hosted skill: "Import skill" deploys lambda/ alone, installs lambda/requirements.txt
and remembers in the hosted skill's own DynamoDB table; Pythons older than the skill's floor
are refused in plain words."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from skill import envelopes
from skill.persistence import HOSTED_REGION_ENV, HOSTED_TABLE_ENV, TABLE_ENV
from tests.conftest import FAKE_AWS, ROOT, TABLE, boto_credentials
from tests.lambda_store import run_lambda, speech

sys.path.insert(0, str(ROOT / "tools"))
import hosted  # noqa: E402
import lambda_zip  # noqa: E402

DISCLAIMER = "not medical advice"
HOSTED_TABLE = "ask-hosted-skill-table"
HOSTED_REGION = "eu-west-1"  # not the function's own region: the variable must be honoured
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cramp-coach"


def test_lambda_holds_the_skill_exactly_as_its_sources_are():
    assert hosted.check() == [], "lambda/ is out of date: run `make hosted`"


def test_the_requirements_pin_the_lambda_packages_as_pyproject_does():
    text = (ROOT / "lambda" / "requirements.txt").read_text()
    assert hosted.requirements_problems(text) == []
    pins = hosted.requirement_pins(text)
    for requirement in lambda_zip.pinned_requirements(lambda_zip.LAMBDA_PACKAGES):
        name, version = requirement.split("==")
        assert pins[hosted.normalized(name)] == version
    assert "flask" not in pins and "gunicorn" not in pins  # the web service's, not Lambda's


def test_a_requirements_file_that_drifted_is_told_apart():
    text = (ROOT / "lambda" / "requirements.txt").read_text()
    assert hosted.requirements_problems(text.replace("six==1.17.0", "six==1.16.0")) == [
        "six==1.16.0, but pyproject.toml pins 1.17.0"]
    assert hosted.requirements_problems(text.replace("tzdata==", "tzdata>=")) != []
    without = "\n".join(line for line in text.splitlines() if not line.startswith("ask-sdk-core"))
    assert "ask-sdk-core is missing" in hosted.requirements_problems(without)


def test_a_copy_edited_by_hand_is_found(tmp_path):
    hosted.write_skill(tmp_path / "fresh")
    hosted.write_skill(tmp_path / "edited")
    (tmp_path / "edited" / "hosted" / "skill" / "speech.py").write_text("# edited\n")
    (tmp_path / "edited" / "hosted" / "skill" / "extra.py").write_text("")
    (tmp_path / "edited" / "hosted" / "skill" / "app.py").unlink()
    assert hosted.tree_differences(tmp_path / "fresh" / "hosted", tmp_path / "edited" / "hosted") \
        == ["differs: skill/speech.py", "extra: skill/extra.py", "missing: skill/app.py"]


# The hosted skill's table, in its own region: used when CRAMP_COACH_TABLE is unset.
@pytest.fixture(scope="module")
def hosted_table(dynamodb_endpoint):
    client = boto3.client("dynamodb", endpoint_url=dynamodb_endpoint,
                          **{**boto_credentials(), "region_name": HOSTED_REGION})
    client.create_table(
        TableName=HOSTED_TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    return boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint,
                          **{**boto_credentials(), "region_name": HOSTED_REGION}).Table(HOSTED_TABLE)


def hosted_environment(endpoint: str) -> dict:
    return {HOSTED_TABLE_ENV: HOSTED_TABLE, HOSTED_REGION_ENV: HOSTED_REGION,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint}


def test_an_alexa_hosted_skill_remembers_in_its_own_table(dynamodb_endpoint, hosted_table,
                                                           monkeypatch):
    monkeypatch.delenv(TABLE_ENV, raising=False)
    question = envelopes.intent("DurationIntent", new=True, user_id="hosted-user")
    first, second = run_lambda([question, question],  # an answer: where the disclaimer goes
                               **hosted_environment(dynamodb_endpoint))
    assert DISCLAIMER in speech(first)
    assert DISCLAIMER not in speech(second)
    assert hosted_table.get_item(Key={"id": "hosted-user"})["Item"]["attributes"] == {
        "heard_disclaimer": True}


def test_cramp_coach_table_wins_over_the_hosted_one(dynamodb_endpoint, hosted_table):
    run_lambda([envelopes.intent("DurationIntent", new=True, user_id="both-named")],
               CRAMP_COACH_TABLE=TABLE,
               **hosted_environment(dynamodb_endpoint))
    own = boto3.resource("dynamodb", endpoint_url=dynamodb_endpoint, **boto_credentials())
    assert "Item" in own.Table(TABLE).get_item(Key={"id": "both-named"})
    assert "Item" not in hosted_table.get_item(Key={"id": "both-named"})


# From lambda/ alone, in a fresh interpreter with only lambda/requirements.txt installed.
SUPPORTED = [hosted.MINIMUM_PYTHON, lambda_zip.LAMBDA_PYTHON]
ANSWER_FROM_THE_FOLDER = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function, skill
replies = [lambda_function.lambda_handler(json.loads(event), None) for event in sys.argv[2:]]
outside = sorted({module.__name__.split(".")[0] for module in list(sys.modules.values())
                  if getattr(module, "__file__", None)
                  and not module.__file__.startswith((sys.argv[1], sys.prefix, sys.base_prefix))})
print(json.dumps({"replies": replies, "skill": skill.__file__, "outside": outside}))
"""


def isolated_environment(**extra) -> dict:
    """What Lambda gives a function: no PYTHON* variables, no site of the test's venv."""
    kept = {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CRAMP_COACH", "DYNAMODB_"))}
    return {**kept, **FAKE_AWS, **extra}


def pip_install(python: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--retries", "1",
                           "--timeout", "20", "--disable-pip-version-check", *arguments],
                          capture_output=True, text=True, timeout=600)


def index_reachable(python: Path, scratch: Path) -> bool:
    """Whether the package index answers at all: a pin we know exists, downloaded."""
    return subprocess.run([str(python), "-m", "pip", "download", "--quiet", "--no-deps",
                           "--retries", "0", "--timeout", "10", "--dest", str(scratch),
                           "six==1.17.0"], capture_output=True, timeout=120).returncode == 0


def hosted_venv(interpreter: str, requirements: Path, scratch: Path) -> Path:
    """A venv with only the requirements installed, cached by Python version and the
    requirements' bytes (CI keeps the cache between runs), or a skip if there is no
    network to install from."""
    version = subprocess.run([interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    key = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    venv = CACHE / "hosted-venvs" / f"python{version}-{key}"
    python = venv / "bin" / "python"
    if (venv / ".complete").exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True, capture_output=True)
    installed = pip_install(python, "-r", str(requirements))
    if installed.returncode != 0:
        if not index_reachable(python, scratch):
            shutil.rmtree(venv, ignore_errors=True)
            pytest.skip("no network to the package index: the hosted requirements can't be "
                        "installed here")
        pytest.fail(f"pip could not install lambda/requirements.txt:\n{installed.stderr}")
    (venv / ".complete").touch()
    return python


@pytest.mark.parametrize("version", SUPPORTED, ids=lambda version: "python{}.{}".format(*version))
def test_lambda_alone_answers_in_a_fresh_interpreter(version, tmp_path, dynamodb_endpoint,
                                                     hosted_table):
    interpreter = lambda_zip.find_python(version)
    if interpreter is None:
        pytest.skip("no Python {}.{} on this machine".format(*version))
    task = tmp_path / "task"  # the folder the hosted build deploys, and nothing beside it
    shutil.copytree(ROOT / "lambda", task, ignore=shutil.ignore_patterns("__pycache__"))
    python = hosted_venv(interpreter, task / "requirements.txt", tmp_path)
    frozen = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                            text=True, check=True).stdout
    installed = {hosted.normalized(name): version
                 for name, version in (line.split("==") for line in frozen.split())}
    assert installed == hosted.requirement_pins((task / "requirements.txt").read_text()), \
        "lambda/requirements.txt is not exactly what its packages need"
    user = f"fresh-python{version[0]}{version[1]}"
    events = [envelopes.launch(user_id=user),
              envelopes.intent("DurationIntent", new=True, user_id=user),
              envelopes.intent("CausesIntent", {"cause": ("statins", "STATINS")}, new=True,
                               user_id=user)]
    result = subprocess.run([str(python), "-I", "-c", ANSWER_FROM_THE_FOLDER, str(task),
                             *map(json.dumps, events)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120,
                            env=isolated_environment(**hosted_environment(dynamodb_endpoint)))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first, answer, causes = (reply["response"]["outputSpeech"]["ssml"]
                             for reply in report["replies"])
    assert first.startswith("<speak>Let's ease that cramp.")
    assert DISCLAIMER in answer  # the first calm point
    assert "Statins" in causes and DISCLAIMER not in causes  # remembered in the hosted table
    assert report["skill"] == str(task / "hosted" / "skill" / "__init__.py")
    assert report["outside"] == []


def older_python():
    """The newest interpreter older than the skill's floor on this machine, if any."""
    major, minor = hosted.MINIMUM_PYTHON
    for older in range(minor - 1, 5, -1):
        found = lambda_zip.find_python((major, older))
        if found:
            return found
    return None


def test_an_older_python_installs_nothing_and_is_refused_in_plain_words(tmp_path):
    interpreter = older_python()
    if interpreter is None:
        pytest.skip("no Python older than {}.{} on this machine".format(*hosted.MINIMUM_PYTHON))
    venv = tmp_path / "venv"
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    installed = pip_install(python, "-r", str(ROOT / "lambda" / "requirements.txt"))
    assert installed.returncode == 0, installed.stderr  # the hosted build still succeeds
    assert subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True, text=True,
                          check=True).stdout == ""
    result = subprocess.run([str(python), "-I", "-c",
                             "import sys; sys.path.insert(0, sys.argv[1]); import lambda_function",
                             str(ROOT / "lambda")], capture_output=True, text=True, timeout=60)
    running = subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert result.returncode != 0
    assert (f"ImportError: Cramp Coach needs Python {'.'.join(map(str, hosted.MINIMUM_PYTHON))} "
            f"or later, and this function runs Python {running}.") in result.stderr
    assert "'As an Alexa-hosted skill'" in result.stderr

"""Builds dist/lambda.zip: the skill and its runtime dependencies, ready for AWS Lambda.

Nearly every Lambda invocation of this skill is a cold start, so the zip holds
.pyc files compiled for the runtime's Python (Lambda's code directory is
read-only: .pyc files not in the zip are never written) and nothing the Lambda
path does not import: no Flask, no verifier chain, no boto3 (Lambda provides it).
The same inputs give the same bytes: sorted entries, fixed timestamps, hash-based
.pyc files.

    python tools/lambda_zip.py [--output dist/lambda.zip] [--hello-world]
    python tools/lambda_zip.py --directory DIR

--directory writes the same files unzipped into DIR, for `sam build` to package
(the Makefile's build-SkillFunction). --hello-world builds a bare-SDK skill the
same way, for the cold-start benchmark.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
# What the Lambda path imports; versions come from pyproject.toml, the one place they are pinned.
LAMBDA_PACKAGES = ("ask-sdk-core", "ask-sdk-runtime", "ask-sdk-model", "python-dateutil", "six",
                   "tzdata", "ask-sdk-dynamodb-persistence-adapter")
HELLO_WORLD_PACKAGES = LAMBDA_PACKAGES[:5]
WEB_AND_CONSOLE_ONLY = ("webservice.py", "oscrypto_fix.py", "console.py", "__main__.py")
PLATFORM = "manylinux2014_x86_64"
LAMBDA_PYTHON = (3, 12)  # Lambda's python3.12 runtime, as in lambda/template.yaml
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
LEFT_OUT = ("__pycache__", "*.dist-info", "tests", "*.pyi", "py.typed")
HELLO_WORLD = '''"""A bare ASK SDK skill: the baseline for the cold-start benchmark."""
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type

builder = SkillBuilder()


@builder.request_handler(can_handle_func=is_request_type("LaunchRequest"))
def launch(handler_input):
    return handler_input.response_builder.speak("Hello world.").ask("Hello?").response


@builder.request_handler(can_handle_func=lambda handler_input: True)
def anything(handler_input):
    return handler_input.response_builder.speak("Hello again.").response


lambda_handler = builder.lambda_handler()
'''


def pinned_requirements(names: tuple[str, ...]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"],
                    *(pin for extra in project["optional-dependencies"].values() for pin in extra)]
    pins = {requirement.split("==")[0].strip().lower(): requirement
            for requirement in requirements}
    return [pins[name] for name in names]


def install_dependencies(target: Path, python_version: str, names: tuple[str, ...]) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-compile", "--target", str(target), "--platform", PLATFORM,
                    "--implementation", "cp", "--python-version", python_version,
                    "--only-binary=:all:", *pinned_requirements(names)], check=True)


def copy_skill(target: Path) -> None:
    """The skill package as the Lambda path needs it, into target/skill: without
    caches, and without what only the web service and the console use (the Lambda
    path never imports them). The Alexa-hosted layout is the same copy (tools/hosted.py)."""
    shutil.copytree(ROOT / "skill", target / "skill",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in WEB_AND_CONSOLE_ONLY:
        (target / "skill" / name).unlink(missing_ok=True)


def add_skill(target: Path) -> None:
    copy_skill(target)
    shutil.copy2(ROOT / "lambda" / "lambda_function.py", target / "lambda_function.py")
    for notice in ("LICENSE", "NOTICE"):
        shutil.copy2(ROOT / notice, target / notice)


def prune(target: Path) -> None:
    """Leave out metadata, caches and type stubs."""
    for pattern in LEFT_OUT:
        for path in sorted(target.rglob(pattern), reverse=True):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def find_python(version: tuple[int, int]) -> Optional[str]:
    """An interpreter of that version: $LAMBDA_PYTHON if it is one, else pythonX.Y on
    the PATH, else one installed by pyenv; None if there is none."""
    wanted = "{}.{}".format(*version)
    candidates = [os.environ.get("LAMBDA_PYTHON"), shutil.which(f"python{wanted}"),
                  *sorted(str(path) for path in
                          Path.home().glob(f".pyenv/versions/{wanted}*/bin/python{wanted}"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == str(version):
            return candidate
    return None


def find_lambda_python() -> str:
    """A Python of the runtime's version: .pyc files only load in the version that wrote them."""
    python = find_python(LAMBDA_PYTHON)
    if python is None:
        wanted = "{}.{}".format(*LAMBDA_PYTHON)
        raise SystemExit(f"Building the Lambda package needs a Python {wanted} interpreter, to "
                         f"compile .pyc files for Lambda's python{wanted} runtime: put "
                         f"python{wanted} on the PATH or set LAMBDA_PYTHON to one.")
    return python


def compile_for_lambda(target: Path, python: str) -> None:
    """Hash-checked .pyc files, named as if under Lambda's /var/task: the same bytes every build."""
    # -W: the SDK's own docstrings have escapes newer Pythons warn about; not ours to fix.
    subprocess.run([python, "-W", "ignore::SyntaxWarning", "-m", "compileall", "-q", "-j", "1",
                    "-d", "/var/task",
                    "--invalidation-mode", "unchecked-hash", str(target)], check=True)


def write_zip(source: Path, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    # By path parts, not by Path: Windows paths sort without case, and hooks/build.ps1 must
    # write the same bytes as hooks/build.sh.
    files = sorted((path for path in source.rglob("*") if path.is_file()),
                   key=lambda path: path.relative_to(source).parts)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            entry = zipfile.ZipInfo(path.relative_to(source).as_posix(), FIXED_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes(), compresslevel=9)


def build(output: Path, hello_world: bool = False, unzipped: bool = False) -> Path:
    """The package at output: a zip, or (unzipped) a directory of the same files."""
    python = find_lambda_python()
    python_version = "{}.{}".format(*LAMBDA_PYTHON)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "package"
        install_dependencies(target, python_version,
                             HELLO_WORLD_PACKAGES if hello_world else LAMBDA_PACKAGES)
        if hello_world:
            (target / "lambda_function.py").write_text(HELLO_WORLD)
        else:
            add_skill(target)
        prune(target)
        compile_for_lambda(target, python)
        if unzipped:
            shutil.copytree(target, output, dirs_exist_ok=True)
        else:
            write_zip(target, output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "lambda.zip")
    parser.add_argument("--directory", type=Path, help="write the files unzipped into DIRECTORY")
    parser.add_argument("--hello-world", action="store_true")
    args = parser.parse_args()
    runtime = f"for Lambda's python{'.'.join(map(str, LAMBDA_PYTHON))} on {PLATFORM}"
    if args.directory:
        print(f"{build(args.directory, args.hello_world, unzipped=True)}/ ({runtime})")
        return
    path = build(args.output, args.hello_world)
    print(f"{path} ({path.stat().st_size / 1e6:.2f} MB, {runtime})")


if __name__ == "__main__":
    main()

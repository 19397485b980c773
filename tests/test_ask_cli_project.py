"""The ASK CLI v2 project: ask-resources.json, the build hook that ships the same
zip as `make lambda-zip`, the skill package with drawn icons, grammatical example
phrases (held in test_certification.py), and dialog replay files replayed offline
through the console."""

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import icons  # noqa: E402
import skill_package  # noqa: E402

REPLAYS = sorted((ROOT / "tests" / "replays").glob("*.json"))
MANIFEST = json.loads((ROOT / "skill.json").read_text())["manifest"]


def test_ask_resources_point_at_the_skill_package_and_the_lambda_code():
    resources = json.loads((ROOT / "ask-resources.json").read_text())
    profile = resources["profiles"]["default"]
    assert (ROOT / profile["skillMetadata"]["src"]).resolve() == ROOT / "skill-package"
    assert (ROOT / profile["code"]["default"]["src"] / "lambda_function.py").exists()
    infrastructure = profile["skillInfrastructure"]
    assert infrastructure["type"] == "@ask-cli/lambda-deployer"
    assert infrastructure["userConfig"]["handler"] == "lambda_function.lambda_handler"
    template = (ROOT / "lambda" / "template.yaml").read_text()
    assert f"Runtime: {infrastructure['userConfig']['runtime']}" in template  # same as SAM's


def test_the_build_hook_ships_the_same_zip_as_make_lambda_zip(tmp_path):
    hook = ROOT / "hooks" / "build.sh"
    assert os.access(hook, os.X_OK)
    subprocess.run([str(hook), str(tmp_path / "ask.zip"), "false"], cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "tools" / "lambda_zip.py"), "--output",
                    str(tmp_path / "make.zip")], cwd=ROOT, check=True, capture_output=True)
    assert (tmp_path / "ask.zip").read_bytes() == (tmp_path / "make.zip").read_bytes()


def test_the_skill_package_has_the_icons_the_manifest_names(tmp_path):
    output = tmp_path / "skill-package"
    skill_package.export(output)
    for info in MANIFEST["publishingInformation"]["locales"].values():
        for key, size in (("smallIconUri", 108), ("largeIconUri", 512)):
            uri = info[key]
            assert uri.startswith("file://assets/images/"), uri
            icon = output / uri.removeprefix("file://")
            assert png_size(icon.read_bytes()) == (size, size)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, size = 8, None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        position += 12 + length
    return size


def test_the_icons_are_drawn_by_the_tool_not_edited_by_hand():
    folder = ROOT / "skill-package" / "assets" / "images"
    for name, size in icons.ICONS.items():
        assert (folder / name).read_bytes() == icons.png(size), "run python tools/icons.py"


# Dialog replay files, as `ask dialog --replay` reads them.
@pytest.mark.parametrize("path", REPLAYS, ids=lambda path: path.stem)
def test_replay_files_are_in_the_ask_cli_format(path):
    replay = json.loads(path.read_text())
    assert set(replay) == {"skillId", "locale", "type", "userInput"}
    assert re.fullmatch(r"amzn1\.ask\.skill\.[0-9a-f-]{36}", replay["skillId"])
    assert replay["type"] == "text" and replay["locale"] in MANIFEST["publishingInformation"][
        "locales"]
    assert all(isinstance(line, str) and line for line in replay["userInput"])


EXPECTED = {
    "calf_cramp": ["Let's ease that cramp.", "Night cramps usually", "Let's carry on.",
                   "Okay, I'll wait.", "glad it has eased", "Take care."],
    "foot_cramp_sitting_then_bedtime": ["pull your toes back toward your shin",
                                        "That's fine, this one is done sitting down.",
                                        "rub the tight muscle",
                                        "keep your place for fifteen minutes",
                                        "Welcome back. You were on the massage. Now rub",
                                        "Let's do your bedtime stretch.", "left foot",
                                        "keep cramps away"],
    "red_flag": ["Stop stretching, massaging and warming your leg now."],
    "questions_and_reminder": ["triple zero", "Magnesium probably doesn't help",
                               "can't set reminders on this device"],
}


def replay(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skill", "replay", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", REPLAYS, ids=lambda path: path.stem)
def test_replays_run_offline_through_the_console(path):
    result = replay(path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in json.loads(path.read_text())["userInput"] if line != ".quit"]
    assert result.stdout.count("User: ") == len(lines)
    assert result.stdout.count("Alexa: ") == len(lines)
    for words in EXPECTED[path.stem]:
        assert words in result.stdout, words


def test_a_replay_line_nobody_understands_fails_the_replay(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"skillId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
                                "locale": "en-US", "type": "text",
                                "userInput": ["open cramp coach", "purple monkey dishwasher"]}))
    result = replay(path)
    assert result.returncode == 1 and "Not understood: 'purple monkey dishwasher'" in result.stdout


@pytest.mark.parametrize("content", ["not json", json.dumps({"locale": "fr-FR", "type": "text",
                                                             "userInput": ["hi"]}),
                                     json.dumps({"locale": "en-US", "userInput": "hi"})])
def test_a_malformed_replay_file_is_refused_clearly(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = replay(path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "replay file" in result.stderr or "cannot read" in result.stderr

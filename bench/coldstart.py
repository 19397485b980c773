"""Cold start on Lambda, approximated: fresh processes of the runtime's Python, with
no site-packages, importing the unzipped package and answering a first LaunchRequest.
The same for a bare-SDK hello-world package built the same way, for the ratio; and
both again for an Echo Show's LaunchRequest, where the skill also renders a card."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import lambda_zip  # noqa: E402
from figures import ratio  # noqa: E402

from skill import envelopes  # noqa: E402

FIRST_REQUEST = """
import time
started = time.perf_counter()
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
imported = time.perf_counter()
lambda_function.lambda_handler(json.loads(sys.argv[2]), None)
answered = time.perf_counter()
print(json.dumps({"import": imported - started, "first": answered - started}))
"""


def _unpacked(folder: Path, hello_world: bool) -> Path:
    archive = lambda_zip.build(folder / "lambda.zip", hello_world=hello_world)
    target = folder / "task"
    zipfile.ZipFile(archive).extractall(target)
    return target


def _first_request(python: str, task: Path, screen: str | None = None) -> dict:
    event = json.dumps(envelopes.launch(screen=screen))
    output = subprocess.run([python, "-S", "-c", FIRST_REQUEST, str(task), event],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def measure(rounds: int) -> dict:
    python = lambda_zip.find_lambda_python()
    with tempfile.TemporaryDirectory() as scratch:
        skill = _unpacked(Path(scratch) / "skill", hello_world=False)
        hello = _unpacked(Path(scratch) / "hello", hello_world=True)
        skill_size = (Path(scratch) / "skill" / "lambda.zip").stat().st_size
        times = {"skill": [], "hello": [], "skill_show": [], "hello_show": []}
        for task in (skill, hello):  # warm the disk cache for both, untimed
            _first_request(python, task)
        for _ in range(rounds):  # interleaved, so machine noise falls on all alike
            times["skill"].append(_first_request(python, skill)["first"])
            times["hello"].append(_first_request(python, hello)["first"])
            times["skill_show"].append(_first_request(python, skill, "hub_large")["first"])
            times["hello_show"].append(_first_request(python, hello, "hub_large")["first"])
    ms = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {"cold_start_ms": round(ms["skill"], 1), "cold_start_hello_ms": round(ms["hello"], 1),
            **ratio("cold_vs_hello", times["skill"], times["hello"]),
            "cold_show_ms": round(ms["skill_show"], 1),
            "cold_show_hello_ms": round(ms["hello_show"], 1),
            **ratio("cold_show_vs_hello", times["skill_show"], times["hello_show"]),
            "lambda_zip_mb": round(skill_size / 1e6, 2)}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10)))

"""The benchmark entry point keeps working: its quick JSON report has every figure.
(Speeds are reported by the benchmark, never asserted here.)"""

import json
import subprocess
import sys

from tests.conftest import ROOT

# Quick mode hears four sets of phrasings three ways and, on a clean machine, trains the NLU
# proxy for every locale first: about three minutes here, so the deadline leaves room for a
# slower runner without letting a hung benchmark stall CI.
QUICK_DEADLINE_S = 600


def test_quick_benchmark_reports_every_ratio_as_json():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=QUICK_DEADLINE_S)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for ratio in ("warm_vs_hello", "verify_on_vs_off", "cold_vs_hello", "cold_show_vs_hello"):
        assert isinstance(report[ratio], float) and report[ratio] > 0, ratio
        low, high = report[f"{ratio}_spread"]  # the spread of the interleaved rounds
        assert low <= report[ratio] <= high, ratio
    assert report["rps_verify_on"] > 0 and report["quick"] is True
    assert report["routing_va"] >= 0.9 and report["routing_console"] >= 0.95
    assert report["routing_false_alarms"] == 0 and report["console_ms_per_line"] > 0
    assert report["routing_va_es"] >= 0.85 and report["routing_false_alarms_es"] == 0
    assert "RedFlagIntent" in result.stdout  # the per-intent table
    for name in ("dev", "dev2", "dev3", "blind"):  # every set, three ways (bench/hearing.py)
        for way in ("va", "console", "proxy"):
            assert 0 < report[f"routing_{name}_{way}_en"] <= 1, (name, way)
            assert report[f"routing_{name}_false_alarms_{way}"] >= 0, (name, way)
    for way in ("va", "console", "proxy"):
        assert report[f"routing_attack_false_alarms_{way}"] >= 0, way
        reached, signs = report[f"routing_attack_urgent_{way}"]
        assert 0 <= reached <= signs and signs >= 200, way

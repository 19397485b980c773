"""The benchmark entry point keeps working: its quick JSON report has every figure.
(Speeds are reported by the benchmark, never asserted here.)"""

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_quick_benchmark_reports_every_ratio_as_json():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
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

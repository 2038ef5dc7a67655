"""Rasa's own checks on our data, and conversation tests with the session model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
ENV = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")

pytestmark = pytest.mark.slow


def test_rasa_data_validate_has_no_warnings():
    result = subprocess.run(
        [RASA, "data", "validate", "--fail-on-warnings", "--domain", "domain.yml", "--data", "data",
         "--config", "config.yml"],
        cwd=ROOT, env=ENV, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_conversation_stories_pass(trained_model, tmp_path):
    out = tmp_path / "results"
    result = subprocess.run(
        [RASA, "test", "core", "--model", str(trained_model), "--stories", "tests/stories", "--out", str(out)],
        cwd=ROOT, env=ENV, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failed = (out / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert "story:" not in failed, failed
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    assert report["conversation_accuracy"]["accuracy"] == 1.0

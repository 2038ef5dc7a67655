"""The layout's rules hold: imports point down to knowledge/, only the action server imports actions, no circles.

The rules themselves are import-linter contracts in pyproject.toml; these tests run them on
the tree, and on copies of it with one forbidden import added, to show that they bite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("knowledge", "records", "replies", "bot", "actions", "web", "tools", "deploy")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(tree / "pyproject.toml")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def _verdicts(output: str) -> dict:
    """Contract name (its first words) to KEPT or BROKEN, from lint-imports' report."""
    text = " ".join(output.split())
    verdicts = {}
    for start in ("Imports point down", "Only the action server", "No module imports its siblings"):
        match = re.search(re.escape(start) + r"[^.]*? (KEPT|BROKEN)", text)
        verdicts[start] = match.group(1) if match else None
    return verdicts


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    return tree


def test_every_root_package_is_named_in_the_contracts():
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert on_disk == set(PACKAGES)


def test_the_tree_keeps_every_contract():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _verdicts(done.stdout) == {"Imports point down": "KEPT", "Only the action server": "KEPT",
                                      "No module imports its siblings": "KEPT"}


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("knowledge/base.py", "import bot.stores", "Imports point down"),
        ("knowledge/search.py", "from actions import resolution", "Only the action server"),
        ("knowledge/loader.py", "import web.console.publish", "Imports point down"),
        ("web/console/web.py", "from actions.dossiers import model", "Only the action server"),
        ("bot/stores.py", "from actions import knowledge_store", "Only the action server"),
        ("bot/stores.py", "import web.server", "Imports point down"),
        ("tools/bench.py", "import actions.resolution", "Only the action server"),
        ("records/events.py", "from replies import answers", "Imports point down"),
        ("actions/dossiers/model.py", "from actions.dossiers import store", "No module imports its siblings"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, broken):
    tree = _copy(tmp_path)
    path = tree / module
    # Inside a function, as lazy imports are written: they count as much as the ones at the top.
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _added():\n    {line}\n", encoding="utf-8")
    done = _lint(tree)
    assert done.returncode != 0
    assert _verdicts(done.stdout)[broken] == "BROKEN", done.stdout

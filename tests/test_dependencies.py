"""Every dependency is pinned, and every setting the code reads from the environment is documented."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_SETTINGS = {"PYTHONPATH", "HTTP_ORIGIN"}  # HTTP_ORIGIN: a WSGI environ key, not a setting


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+!\-]+", line), f"not an exact pin: {line}"
            name, version = line.split("==")
            pins[_normalise(name)] = version
    return pins


def test_lock_file_pins_every_installed_distribution():
    pins = _lock()
    unpinned = []
    for dist in metadata.distributions():
        name = _normalise(dist.metadata["Name"])
        if name in {"pip", "setuptools", "wheel"}:
            continue
        if pins.get(name) != dist.version:
            unpinned.append(f"{name}=={dist.version} (lock: {pins.get(name)})")
    assert not unpinned, unpinned


def test_direct_requirements_are_in_the_lock():
    pins = _lock()
    for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert _normalise(re.split(r"[<>=!~\[ ]", line)[0]) in pins, line


def _settings_read_by_code() -> set:
    pattern = re.compile(r"""(?:environ\.get\(|environ\[|env\.get\(|env\[|getenv\()["']([A-Z][A-Z0-9_]+)["']""")
    names = set()
    packages = [init.parent for init in ROOT.glob("*/__init__.py") if init.parent.name != "tests"]
    assert len(packages) >= 8
    for folder in packages:
        for path in folder.rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names - NOT_SETTINGS


def test_every_setting_is_documented_in_env_example():
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"),
                                re.MULTILINE))
    assert _settings_read_by_code() - documented == set()


def test_env_example_carries_no_secret_values():
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|KEY)[A-Z0-9_]*)=(.*)$", line)
        if match:
            assert match.group(2) == "", f"{match.group(1)} must be empty in .env.example"
        for url in re.findall(r"\w+://[^\s]+", line):
            assert "@" not in url or "PASSWORD@" in url, f"a real credential in {line!r}"


def test_env_file_is_ignored_by_git():
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()

"""The deployment files parse, agree with each other and with what the servers really serve."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _load_all(path: Path) -> list:
    # PyYAML, not ruamel: Rasa registers a global ruamel resolver that expands ${VAR} on load,
    # and these files must be read as written.
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml")),
                         ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_deploy_file_is_valid_yaml(path):
    assert _load_all(path)


def test_entrypoint_is_valid_bash_with_the_three_roles():
    script = DEPLOY / "entrypoint.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    for role in ("rasa)", "actions)", "widget)"):
        assert role in text
    assert "python -m bot.endpoints --out" in text


def test_compose_runs_replicas_on_shared_postgres_and_redis():
    compose = _load_all(DEPLOY / "docker-compose.yml")[0]
    services = compose["services"]
    assert services["rasa"]["deploy"]["replicas"] >= 2 and services["actions"]["deploy"]["replicas"] >= 2
    env = services["actions"]["environment"]
    assert env["TRACKER_STORE_URL"].startswith("postgresql://") and env["LOCK_STORE_URL"].startswith("redis://")
    for name in ("CONSOLE_DB_URL", "DOSSIER_DB_URL"):
        assert env[name].startswith("postgresql://")
    assert [services[s]["command"][0] for s in ("rasa", "actions", "widget")] == ["rasa", "actions", "widget"]
    databases = set(re.findall(r"CREATE DATABASE (\w+)", (DEPLOY / "postgres-init.sql").read_text()))
    assert {url.rsplit("/", 1)[1] for k, url in env.items() if k.endswith("_URL") and "postgres" in url} <= databases


def test_compose_variables_are_documented():
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in set(re.findall(r"\$\{([A-Z_]+)", text)):
        assert re.search(rf"^#? ?{name}=", documented, re.MULTILINE), name


def test_helm_values_use_our_image_roles_and_real_probe_paths():
    bot = _load_all(DEPLOY / "helm" / "rasa-bot.values.yaml")[0]
    actions = _load_all(DEPLOY / "helm" / "rasa-action-server.values.yaml")[0]
    assert bot["args"] == ["rasa"] and actions["args"] == ["actions"]
    assert bot["replicaCount"] >= 2 and actions["replicaCount"] >= 2
    assert {e["name"] for e in bot["extraEnv"]} >= {"TRACKER_STORE_URL", "LOCK_STORE_URL", "ACTION_SERVER_URL"}
    assert bot["readinessProbe"]["httpGet"]["path"] == "/webhooks/rest/"
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"
    console = next(d for d in _load_all(DEPLOY / "k8s" / "console.yaml") if d["kind"] == "Deployment")
    container = console["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"


def test_secrets_are_referenced_never_written():
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"://[^:/\s]+:[^@\s${]+@", text), f"a literal password in {path}"

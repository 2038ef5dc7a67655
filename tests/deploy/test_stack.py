from pathlib import Path

from deploy.stack import Stack


def test_every_server_of_the_stack_binds_its_host_only():
    """The action server has no --interface flag; without SANIC_HOST it listens on every address."""
    assert Stack(Path("model.tar.gz"))._env()["SANIC_HOST"] == "127.0.0.1"
    assert Stack(Path("model.tar.gz"), host="10.0.0.5")._env()["SANIC_HOST"] == "10.0.0.5"


def test_the_rasa_api_is_started_with_a_token_only():
    from deploy.stack import Stack

    one, other = Stack(Path("model.tar.gz")), Stack(Path("model.tar.gz"))
    assert len(one.api_token) >= 24 and one.api_token == other.api_token  # the tests' session token
    fresh = Stack(Path("m"), api_token="")
    assert fresh.api_token == ""  # an explicit empty token is the caller's choice, and start() refuses it


def test_the_container_refuses_to_start_rasa_with_its_api_open(tmp_path):
    import subprocess

    script = Path(__file__).resolve().parents[2] / "deploy" / "entrypoint.sh"
    env = {"PATH": "/usr/bin:/bin", "RASA_AUTH_TOKEN": "short"}
    refused = subprocess.run(["bash", str(script), "rasa"], env=env, capture_output=True, text=True)
    assert refused.returncode == 64 and "RASA_AUTH_TOKEN" in refused.stderr
    env["RASA_AUTH_TOKEN"] = "x" * 32
    started = subprocess.run(["bash", str(script), "rasa"], env=env, capture_output=True, text=True)
    assert started.returncode != 64  # past the check (it then needs the image's /app)
    env.update(RASA_AUTH_TOKEN="", RASA_ENABLE_API="0")
    assert subprocess.run(["bash", str(script), "rasa"], env=env, capture_output=True).returncode != 64


def test_a_token_that_begins_with_a_dash_reaches_rasa_whole(tmp_path, monkeypatch):
    """secrets.token_urlsafe gives a token beginning with "-" once in 64 draws; argparse must not take it for an
    option (a CI run failed on that: "argument -t/--auth-token: expected one argument")."""
    from rasa.__main__ import create_argument_parser

    token = "-" + "x" * 31
    stack = Stack(Path("model.tar.gz"), api_token=token)
    spawned = {}
    monkeypatch.setattr(stack, "_spawn", lambda name, argv, **_: spawned.setdefault(name, argv))
    monkeypatch.setattr(stack, "wait_ready", lambda *a, **k: None)
    stack.start(tmp_path)
    argv = spawned["rasa"][1:]  # without the executable
    assert create_argument_parser().parse_args(argv).auth_token == token

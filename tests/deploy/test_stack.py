from pathlib import Path

from deploy.stack import Stack


def test_every_server_of_the_stack_binds_its_host_only():
    """The action server has no --interface flag; without SANIC_HOST it listens on every address."""
    assert Stack(Path("model.tar.gz"))._env()["SANIC_HOST"] == "127.0.0.1"
    assert Stack(Path("model.tar.gz"), host="10.0.0.5")._env()["SANIC_HOST"] == "10.0.0.5"

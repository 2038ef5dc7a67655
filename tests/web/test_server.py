"""The aiohttp app that serves the widget and the demo page."""

import pytest

from web.server import SOCKET_IO_CLIENT, make_app


@pytest.fixture
async def client(aiohttp_client):
    return await aiohttp_client(make_app('http://localhost:5005/"><script>alert(1)</script>'))


async def test_demo_page_embeds_the_widget_with_the_rasa_url_escaped(client):
    response = await client.get("/")
    page = await response.text()
    assert response.status == 200 and 'lang="vi"' in page
    assert '<script src="widget.js" data-server="http://localhost:5005/&quot;&gt;&lt;script&gt;' in page
    assert "<script>alert(1)</script>" not in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self' http://localhost:5005" in csp


@pytest.mark.parametrize("path, kind", [("/widget.js", "javascript"), ("/widget.css", "css")])
async def test_widget_files_are_served_for_any_portal(client, path, kind):
    response = await client.get(path)
    assert response.status == 200 and kind in response.headers["Content-Type"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_socket_io_client_comes_from_npm(client):
    assert SOCKET_IO_CLIENT.is_file(), "make setup installs it with npm ci"
    response = await client.get("/vendor/socket.io.min.js")
    assert response.status == 200 and "Socket.IO" in (await response.text())[:300]


async def test_health(client):
    assert (await (await client.get("/health")).json()) == {"status": "ok", "socket_io_client": True}


async def test_ready_follows_the_database_check(aiohttp_client):
    state = {"up": False}

    def check() -> None:
        if not state["up"]:
            raise ConnectionError("database down")

    client = await aiohttp_client(make_app("http://localhost:5005", check_ready=check))
    assert (await client.get("/ready")).status == 503
    state["up"] = True
    response = await client.get("/ready")
    assert response.status == 200 and (await response.json()) == {"status": "ready"}

"""Serves the web widget (widget.js, its stylesheet, the socket.io client), a demo page and the staff console.

    python -m web.server --port 8080 --rasa-url http://localhost:5005

``make run`` starts it beside Rasa; a portal embeds the chat with one tag:
``<script src="http://localhost:8080/widget.js" data-server="http://localhost:5005" defer></script>``.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import os
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlsplit

from aiohttp import web

WIDGET_DIR = Path(__file__).resolve().parent / "widget"
STATIC = WIDGET_DIR / "static"
SOCKET_IO_CLIENT = WIDGET_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


def _csp(rasa_url: str) -> str:
    """Scripts only from here; connections only to here and the Rasa server."""
    parts = urlsplit(rasa_url)
    ws = "wss" if parts.scheme == "https" else "ws"
    origin = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self' {origin} {ws}://{parts.netloc}; frame-ancestors 'none'; base-uri 'none'"
    )


logger = logging.getLogger(__name__)


def make_app(
    rasa_url: str, console: web.Application | None = None, check_ready: Callable[[], None] | None = None
) -> web.Application:
    """The widget's static files, the vendored socket.io client, the demo page and the staff console.

    ``/health`` says the process is alive (liveness); ``/ready`` runs ``check_ready``
    (the console database answers) and says 503 while it fails (readiness).
    """
    rasa_url = rasa_url.rstrip("/")
    csp = _csp(rasa_url)

    async def demo(request: web.Request) -> web.Response:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        widget_url = f"{request.scheme}://{request.host}/"
        page = page.replace("{{RASA_URL}}", html.escape(rasa_url, quote=True))
        page = page.replace("{{WIDGET_URL}}", html.escape(widget_url, quote=True))
        return web.Response(text=page, content_type="text/html", headers={"Content-Security-Policy": csp})

    def static_file(path: Path, content_type: str):
        async def handler(_: web.Request) -> web.StreamResponse:
            if not path.is_file():
                raise web.HTTPNotFound(text=f"{path.name} is missing: run `make setup` (npm ci in web/widget)")
            return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": "no-cache"})
        return handler

    async def no_icon(_: web.Request) -> web.Response:
        return web.Response(status=204)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "socket_io_client": SOCKET_IO_CLIENT.is_file()})

    async def ready(_: web.Request) -> web.Response:
        if check_ready is not None:
            try:
                await asyncio.to_thread(check_ready)
            except Exception as exc:  # any failure means "do not send traffic here yet"
                logger.warning("not ready: %s", type(exc).__name__)
                return web.json_response({"status": "unavailable"}, status=503)
        return web.json_response({"status": "ready"})

    @web.middleware
    async def security_headers(request: web.Request, handler):
        response = await handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.endswith((".js", ".css")):
            response.headers.setdefault("Access-Control-Allow-Origin", "*")  # embeddable on any portal
        return response

    app = web.Application(middlewares=[security_headers], client_max_size=2 * 1024 * 1024)
    app.router.add_get("/", demo)
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_get("/widget.js", static_file(STATIC / "widget.js", "text/javascript; charset=utf-8"))
    app.router.add_get("/widget.css", static_file(STATIC / "widget.css", "text/css; charset=utf-8"))
    app.router.add_get("/vendor/socket.io.min.js", static_file(SOCKET_IO_CLIENT, "text/javascript; charset=utf-8"))
    if console is not None:
        app.add_subapp("/console", console)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("WIDGET_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WIDGET_PORT", 8080)))
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_PUBLIC_URL", "http://localhost:5005"),
                        help="the Rasa server as the citizen's browser reaches it")
    args = parser.parse_args(argv)
    from knowledge.paths import KNOWLEDGE_DIR
    from web.console.accounts import Accounts, make_engine
    from web.console.web import make_console

    accounts = Accounts(make_engine())
    console = make_console(accounts, Path(KNOWLEDGE_DIR), int(os.environ.get("CONSOLE_STALE_DAYS", 180)))

    def console_database_answers() -> None:
        with accounts.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    # run_app stops accepting on SIGTERM and lets requests in flight finish (shutdown_timeout).
    web.run_app(make_app(args.rasa_url, console, console_database_answers), host=args.host, port=args.port,
                print=None, shutdown_timeout=15)


if __name__ == "__main__":
    main()

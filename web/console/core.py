"""What every console page shares: the app keys, the session key, the templates and the page renderer.

Kept apart from :mod:`web.console.web` (the routes) so that the page modules
(:mod:`web.console.live`) use them without importing the routes module, which
wires them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from knowledge.base import KnowledgeBase
from web.console.accounts import Accounts, Session

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "tl_console"
SESSION = "console_session"
ACCOUNTS = web.AppKey("accounts", Accounts)
KB = web.AppKey("kb", KnowledgeBase)

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def page(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    session: Session | None = request.get(SESSION)
    html = templates.get_template(template).render(
        user=session.user if session else None, csrf=session.csrf if session else "", **context
    )
    return web.Response(text=html, content_type="text/html", status=status, headers={
        "Content-Security-Policy": "default-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'",
        "X-Frame-Options": "DENY", "Cache-Control": "no-store",
    })

"""A local stand-in for the Zalo OA API and OAuth endpoint, for unit and end-to-end tests."""

from __future__ import annotations

import asyncio
import threading
from typing import Dict, List

from aiohttp import web

APP_ID = "1234567890"
APP_SECRET = "app-secret-for-tests"
OA_SECRET_KEY = "oa-secret-key-for-tests"


class FakeZalo:
    """Accepts one access token at a time; refresh tokens are single-use, as on the real service."""

    def __init__(self, access_token: str = "access-1", refresh_token: str = "refresh-1"):
        self.valid_access = access_token
        self.valid_refresh = refresh_token
        self.sent: List[Dict] = []
        self.refreshes = 0
        self.down = False
        self.user_errors: Dict[str, int] = {}  # user id -> Zalo error code to answer with
        self._generation = 1

    def expire_access_token(self) -> None:
        self.valid_access = "expired-for-good"

    def texts_to(self, user_id: str) -> List[str]:
        return [m["message"]["text"] for m in self.sent if m["recipient"]["user_id"] == user_id]

    async def send(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": -1}, status=503)
        body = await request.json()
        if request.headers.get("access_token") != self.valid_access:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        user = body["recipient"]["user_id"]
        if user in self.user_errors:
            return web.json_response({"error": self.user_errors[user], "message": "refused"})
        self.sent.append(body)
        return web.json_response({"error": 0, "message": "Success", "data": {"message_id": str(len(self.sent))}})

    async def oauth(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": -1}, status=503)
        form = await request.post()
        ok = (
            request.headers.get("secret_key") == APP_SECRET
            and form.get("app_id") == APP_ID
            and form.get("grant_type") == "refresh_token"
            and form.get("refresh_token") == self.valid_refresh
        )
        if not ok:
            return web.json_response({"error": -14014, "error_name": "Invalid refresh token"})
        self._generation += 1
        self.refreshes += 1
        self.valid_access = f"access-{self._generation}"
        self.valid_refresh = f"refresh-{self._generation}"
        return web.json_response(
            {"access_token": self.valid_access, "refresh_token": self.valid_refresh, "expires_in": "90000"}
        )

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3.0/oa/message/cs", self.send)
        app.router.add_post("/v4/oa/access_token", self.oauth)
        return app


class ThreadedFakeZalo:
    """The fake on a loopback port in a thread of its own, for servers running in other processes."""

    def __init__(self, fake: FakeZalo):
        self.fake = fake
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        runner = web.AppRunner(self.fake.app())
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def start(self) -> ThreadedFakeZalo:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

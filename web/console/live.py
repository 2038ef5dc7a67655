"""Live handoff in the console (issue 19): officers take a citizen's conversation over, chat, transfer, close.

The citizen's side (the actions) puts conversations in :class:`records.handoffs.HandoffQueue`; this module
is the officer's side, served by the console app:

- ``GET /console/live``: the waiting queue of a centre (channel, waiting time, the masked transcript so far),
  the conversations the officer holds, the officers on duty, and the questions citizens left, each with an
  answer form (``POST /console/live/left/{id}``, CSRF-checked like every console form).
- ``/console/live/ws``: a WebSocket for the page (``static/live.js``), opened only with a console session
  and from the console's own origin. While it is open the officer is on duty (``check_in`` every
  ``check_in_s``); it pushes queue snapshots when they change and the citizen's new messages (Rasa's tracker
  is polled every ``poll_s`` for each held conversation), and takes ``take``/``say``/``transfer``/``close``.
- A background task per console process: tells waiting citizens when their place changes and delivers
  answers to questions left on Zalo at once. It only reads the database and Rasa, and every write is
  conditional, so several console processes can run it side by side (a citizen may then see a place update
  twice, never a wrong one).

Rasa is reached through its HTTP API (``RASA_API_URL``, token ``RASA_AUTH_TOKEN``): the transcript is the
tracker, officer messages and the bot's step aside (``pause``) / take back (``resume``) are events posted
with ``execute_side_effects``, so Rasa delivers them on the citizen's own channel and keeps the pause in the
tracker store (it holds across restarts and on every replica). Every call has a time-out and a few retries;
when Rasa stays down the officer gets a plain Vietnamese error and nothing is changed.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Sequence, Tuple
from urllib.parse import quote, urlsplit

import aiohttp
from aiohttp import web
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from knowledge.schema import Centre, ServiceDesk
from records.handoffs import ACTIVE, OUTCOMES, WAITING, Handoff, HandoffQueue, LeftQuestion
from records.privacy import mask_text
from replies import handoffs as say
from web.console import core, statistics

logger = logging.getLogger(__name__)

RASA_DOWN = ("Không kết nối được với trợ lý ảo (máy chủ Rasa), nên chưa gửi được gì cho người dân và chưa có gì "
             "thay đổi. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo quản trị hệ thống.")
TAKEN_BY_OTHER = "Cán bộ khác đã nhận cuộc trò chuyện này."
NOT_YOURS = "Cuộc trò chuyện này không còn do bạn phụ trách (đã kết thúc hoặc đã chuyển)."
MAX_TEXT = 2000
TRANSCRIPT_LINES = 30
MAX_WAITING_SHOWN = 50
AUDIT_ACTIONS = {"take": "live-take", "transfer": "live-transfer", "close": "live-close", "answer": "live-answer"}


class RasaUnavailable(Exception):
    """Rasa did not answer (after the retries) or refused the call; :data:`RASA_DOWN` is what officers see."""


class _Transient(Exception):
    """A failure worth another try: no connection, a time-out, a 5xx."""


@dataclass
class LiveSettings:
    """Where Rasa is and how often the live page polls; tests shorten the intervals."""

    rasa_url: str = "http://localhost:5005"
    token: str = ""
    timeout_s: float = 5.0
    attempts: int = 3
    backoff_s: float = 0.3
    poll_s: float = 1.0  # held conversations: Rasa's tracker, once a second
    snapshot_s: float = 2.0  # the queue snapshot pushed to each page (when it changed)
    check_in_s: float = 15.0  # presence, well inside records.handoffs.ON_DUTY_S
    tick_s: float = 2.0  # the background task: place updates, Zalo answers
    transcript_ttl_s: float = 5.0  # waiting conversations' transcripts, cached per process

    @classmethod
    def from_env(cls) -> LiveSettings:
        url = (os.environ.get("RASA_API_URL") or os.environ.get("RASA_PUBLIC_URL") or "http://localhost:5005")
        return cls(rasa_url=url.strip().rstrip("/"), token=os.environ.get("RASA_AUTH_TOKEN", ""))


class RasaApi:
    """The few calls of Rasa's HTTP API the console makes, with a time-out and bounded retries each."""

    def __init__(self, settings: LiveSettings):
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _url(self, conversation_id: str, tail: str) -> str:
        return f"{self.settings.rasa_url}/conversations/{quote(conversation_id, safe='')}/{tail}"

    async def _call(self, method: str, url: str, params: Dict[str, str], body: Any = None) -> Any:
        if self.settings.token:
            params = {**params, "token": self.settings.token}

        async def once() -> Any:
            try:
                async with self._client().request(method, url, params=params, json=body) as response:
                    if response.status >= 500:
                        raise _Transient(f"HTTP {response.status}")
                    if response.status >= 400:
                        raise RasaUnavailable(f"HTTP {response.status}")
                    return await response.json(content_type=None)
            except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as exc:
                raise _Transient(f"{type(exc).__name__}: {exc}") from exc

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(max(1, self.settings.attempts)),
                wait=wait_exponential(multiplier=self.settings.backoff_s, max=2.0),
                retry=retry_if_exception_type(_Transient), reraise=True,
            ):
                with attempt:
                    return await once()
        except _Transient as exc:
            raise RasaUnavailable(str(exc)) from exc
        except (aiohttp.ClientError, ValueError) as exc:  # an unreadable answer
            raise RasaUnavailable(type(exc).__name__) from exc
        raise RasaUnavailable("no attempt")  # pragma: no cover - AsyncRetrying always tries once

    async def events(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Every event of the conversation's tracker."""
        tracker = await self._call("GET", self._url(conversation_id, "tracker"), {"include_events": "ALL"})
        events = tracker.get("events") if isinstance(tracker, dict) else None
        return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []

    async def post(self, conversation_id: str, events: List[Dict[str, Any]], output_channel: str = "latest") -> None:
        """Append events; Rasa sends the bot events to the citizen on ``output_channel``."""
        await self._call("POST", self._url(conversation_id, "tracker/events"),
                         {"output_channel": output_channel, "execute_side_effects": "true"}, events)


def bot(text: str, officer: str = "") -> Dict[str, Any]:
    event: Dict[str, Any] = {"event": "bot", "text": text}
    if officer:
        event["metadata"] = {"officer": officer}
    return event


def conversation_ref(conversation_id: str) -> str:
    """What the audit log and the page call a conversation: a short hash, never the sender id itself."""
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:12]


# ------------------------------------------------------------------ transcripts

def line_of(event: Dict[str, Any]) -> Dict[str, Any] | None:
    """A user or bot event as a line of the transcript, masked; None for other events."""
    kind = event.get("event")
    if kind not in ("user", "bot"):
        return None
    text = str(event.get("text") or "").strip()
    if not text:
        return None
    officer = str((event.get("metadata") or {}).get("officer") or "") if kind == "bot" else ""
    who = "citizen" if kind == "user" else ("officer" if officer else "bot")
    return {"who": who, "officer": officer, "text": mask_text(text)[:MAX_TEXT], "at": event.get("timestamp")}


def transcript(events: Sequence[Dict[str, Any]], limit: int = TRANSCRIPT_LINES) -> List[Dict[str, Any]]:
    lines = [line for line in map(line_of, events) if line is not None]
    return lines[-limit:]


def lookups(events: Sequence[Dict[str, Any]]) -> List[str]:
    """The bot's replies to the citizen's dossier lookups (the tracker store already masks codes and proofs)."""
    found, inside = [], False
    for event in events:
        kind = event.get("event")
        if kind == "action":
            inside = event.get("name") == "action_lookup_dossier"
        elif kind == "user":
            inside = False
        elif kind == "bot" and inside and event.get("text"):
            found.append(mask_text(str(event["text"]))[:MAX_TEXT])
    return found[-10:]


# ------------------------------------------------------------------ per-process state

@dataclass
class Hub:
    """What one console process remembers: open sockets per officer, places told, cached transcripts."""

    sockets: Dict[str, int] = field(default_factory=dict)
    places_told: Dict[int, int] = field(default_factory=dict)
    transcripts: Dict[str, Tuple[float, List[Dict[str, Any]] | None]] = field(default_factory=dict)
    task: asyncio.Task | None = None
    open_sockets: set = field(default_factory=set)


SETTINGS = web.AppKey("live_settings", LiveSettings)
RASA = web.AppKey("live_rasa", RasaApi)
QUEUE = web.AppKey("live_queue", HandoffQueue)
HUB = web.AppKey("live_hub", Hub)
_current_app: contextvars.ContextVar[web.Application | None] = contextvars.ContextVar("live_app", default=None)


def _console():
    """What every console page shares (app keys, the session, the page renderer, the templates)."""
    return core


async def db(fn: Callable[..., Any], *args: Any) -> Any:
    """A database call off the event loop."""
    return await asyncio.to_thread(fn, *args)


def _held_by(queue: HandoffQueue, officer: str) -> List[Handoff]:
    return [h for h in queue.listing([ACTIVE]) if h.officer == officer]


def _desk(app: web.Application) -> ServiceDesk | None:
    try:
        return app[_console().KB].service_desk
    except Exception:  # noqa: BLE001 - no or broken service_desk.yml: the left questions still work
        logger.warning("live: service desk details unavailable", exc_info=True)
        return None


def _centres(app: web.Application) -> List[Centre]:
    desk = _desk(app)
    return list(desk.centres) if desk else []


def _centre(app: web.Application, wanted: str | None) -> Centre | None:
    centres = _centres(app)
    return next((c for c in centres if c.id == wanted), centres[0] if centres else None)


def _audit(app: web.Application, user, action: str, text: str) -> None:
    app[_console().ACCOUNTS].record(user, "", AUDIT_ACTIONS[action], text)


def _describe(handoff: Handoff) -> str:
    return (f"hội thoại {conversation_ref(handoff.conversation_id)} (yêu cầu #{handoff.id}, kênh "
            f"{handoff.channel or '?'}, trung tâm {handoff.centre or '?'})")


async def cached_transcript(app: web.Application, conversation_id: str) -> List[Dict[str, Any]] | None:
    """A waiting conversation's masked transcript (None while Rasa does not answer), cached for a few seconds."""
    hub, now = app[HUB], time.monotonic()
    fetched = hub.transcripts.get(conversation_id)
    if fetched and now - fetched[0] < app[SETTINGS].transcript_ttl_s:
        return fetched[1]
    try:
        lines: List[Dict[str, Any]] | None = transcript(await app[RASA].events(conversation_id), 12)
    except RasaUnavailable:
        lines = None
    hub.transcripts[conversation_id] = (now, lines)
    return lines


async def waiting_view(app: web.Application, centre_id: str) -> List[Dict[str, Any]]:
    waiting = (await db(app[QUEUE].listing, [WAITING], centre_id))[:MAX_WAITING_SHOWN]
    lines = await asyncio.gather(*(cached_transcript(app, h.conversation_id) for h in waiting))
    live = {h.conversation_id for h in waiting}
    for stale in [cid for cid in app[HUB].transcripts if cid not in live]:
        app[HUB].transcripts.pop(stale, None)
    return [{"id": h.id, "channel": h.channel or "?", "reason": h.reason, "requested_at": h.requested_at,
             "ref": conversation_ref(h.conversation_id), "transcript": t, "position": n}
            for n, (h, t) in enumerate(zip(waiting, lines, strict=True), 1)]


def waited_text(seconds: float) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes} phút {secs:02d} giây" if minutes else f"{secs} giây"


# ------------------------------------------------------------------ officer actions

async def _take(app: web.Application, user, handoff_id: int, message: Dict[str, Any]) -> Tuple[bool, str]:
    queue = app[QUEUE]
    handoff = await db(queue.get, handoff_id)
    if handoff is None or handoff.state != WAITING:
        return False, TAKEN_BY_OTHER if handoff and handoff.state == ACTIVE else "Cuộc trò chuyện không còn chờ."
    if not await db(queue.take, handoff_id, user.name):
        return False, TAKEN_BY_OTHER
    try:
        await app[RASA].post(handoff.conversation_id, [{"event": "pause"}, bot(say.officer_joined(user.name))])
    except RasaUnavailable:
        await db(queue.release, handoff_id, user.name)
        raise
    _audit(app, user, "take", f"Nhận {_describe(handoff)}")
    return True, "Bạn đã nhận cuộc trò chuyện; người dân đã được báo."


async def _held(app: web.Application, user, handoff_id: int) -> Handoff | None:
    handoff = await db(app[QUEUE].get, handoff_id)
    return handoff if handoff and handoff.state == ACTIVE and handoff.officer == user.name else None


async def _say(app: web.Application, user, handoff_id: int, message: Dict[str, Any]) -> Tuple[bool, str]:
    text = str(message.get("text") or "").strip()[:MAX_TEXT]
    if not text:
        return False, "Tin nhắn trống."
    handoff = await _held(app, user, handoff_id)
    if handoff is None:
        return False, NOT_YOURS
    await app[RASA].post(handoff.conversation_id, [bot(text, officer=user.name)])
    return True, text


async def _transfer(app: web.Application, user, handoff_id: int, message: Dict[str, Any]) -> Tuple[bool, str]:
    to, note = str(message.get("to") or "").strip(), str(message.get("note") or "").strip()
    handoff = await _held(app, user, handoff_id)
    if handoff is None:
        return False, NOT_YOURS
    if to == user.name or to not in await db(app[QUEUE].on_duty, handoff.centre):
        return False, f"Cán bộ “{to}” hiện không trực tuyến ở trung tâm này; chọn cán bộ khác."
    await app[RASA].post(handoff.conversation_id, [bot(say.transferred())])
    if not await db(app[QUEUE].transfer, handoff_id, user.name, to, note):
        return False, NOT_YOURS
    _audit(app, user, "transfer", f"Chuyển {_describe(handoff)} cho {to}. Ghi chú: {mask_text(note)[:300]}")
    return True, f"Đã chuyển cho {to}."


async def _close(app: web.Application, user, handoff_id: int, message: Dict[str, Any]) -> Tuple[bool, str]:
    outcome = str(message.get("outcome") or "")
    if outcome not in OUTCOMES:
        return False, "Chọn kết quả của cuộc trò chuyện."
    handoff = await _held(app, user, handoff_id)
    if handoff is None:
        return False, NOT_YOURS
    await app[RASA].post(handoff.conversation_id, [{"event": "resume"}, bot(say.officer_left())])
    if not await db(app[QUEUE].close, handoff_id, user.name, outcome):
        return False, NOT_YOURS
    _audit(app, user, "close", f"Kết thúc {_describe(handoff)}: {outcome} ({OUTCOMES[outcome]})")
    return True, f"Đã kết thúc: {OUTCOMES[outcome]}. Trợ lý ảo tiếp tục hỗ trợ người dân."


ACTIONS: Dict[str, Callable[..., Awaitable[Tuple[bool, str]]]] = {
    "take": _take, "say": _say, "transfer": _transfer, "close": _close,
}


# ------------------------------------------------------------------ the WebSocket

@dataclass
class Officer:
    """One open live page."""

    ws: web.WebSocketResponse
    user: Any
    centre: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    seen: Dict[int, int] = field(default_factory=dict)  # held handoff id -> tracker events already read
    last_snapshot: str = ""
    rasa_failing: bool = False
    checking_in: asyncio.Future | None = None

    async def send(self, message: Dict[str, Any]) -> None:
        if self.ws.closed:
            return
        async with self.lock:
            await self.ws.send_str(json.dumps(message, ensure_ascii=False))


def same_origin(request: web.Request) -> bool:
    """The page that opens the socket is the console's own (no cross-site WebSocket hijacking)."""
    origin = request.headers.get("Origin", "")
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


async def live_socket(request: web.Request) -> web.StreamResponse:
    console = _console()
    app = request.app
    session = request.get(console.SESSION) or app[console.ACCOUNTS].session(
        request.cookies.get(console.SESSION_COOKIE))
    if session is None:
        raise web.HTTPUnauthorized(text="cần đăng nhập")
    if not same_origin(request):
        raise web.HTTPForbidden(text="Kết nối từ trang khác bị từ chối.")
    centre = _centre(app, request.query.get("centre"))
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=64 * 1024)
    await ws.prepare(request)
    officer = Officer(ws, session.user, centre.id if centre else "")
    hub, queue = app[HUB], app[QUEUE]
    hub.sockets[officer.user.name] = hub.sockets.get(officer.user.name, 0) + 1
    await db(queue.check_in, officer.user.name, officer.centre)
    pump = asyncio.create_task(_pump(app, officer))
    hub.open_sockets.add(ws)
    try:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                await _handle(app, officer, message.data)
    finally:  # shielded: aiohttp cancels the handler when the browser goes away, the check-out must still run
        await asyncio.shield(_leave(app, officer, pump))
    return ws


async def _leave(app: web.Application, officer: Officer, pump: asyncio.Task) -> None:
    """A page closed: stop its polling; the officer is off duty once their last page in this process is closed."""
    pump.cancel()
    await asyncio.gather(pump, return_exceptions=True)
    if officer.checking_in is not None:
        await asyncio.gather(officer.checking_in, return_exceptions=True)
    hub, name = app[HUB], officer.user.name
    hub.open_sockets.discard(officer.ws)
    hub.sockets[name] = hub.sockets.get(name, 1) - 1
    if hub.sockets[name] > 0:
        return
    hub.sockets.pop(name, None)
    try:
        await db(app[QUEUE].check_out, name)
    except Exception:  # noqa: BLE001 - presence runs out by itself after ON_DUTY_S
        logger.warning("live: check-out failed", exc_info=True)


async def _handle(app: web.Application, officer: Officer, data: str) -> None:
    try:
        message = json.loads(data)
        kind, handoff_id = str(message.get("type")), int(message.get("id"))
        action = ACTIONS[kind]
    except (ValueError, TypeError, KeyError, AttributeError):
        await officer.send({"type": "error", "text": "Yêu cầu không hợp lệ."})
        return
    try:
        ok, text = await action(app, officer.user, handoff_id, message)
    except RasaUnavailable as exc:
        logger.warning("live: %s failed, Rasa unavailable: %s", kind, exc)
        ok, text = False, RASA_DOWN
    except Exception:  # noqa: BLE001 - the officer hears about it, the socket stays open
        logger.exception("live: %s failed", kind)
        ok, text = False, "Có lỗi khi xử lý yêu cầu; vui lòng thử lại."
    await officer.send({"type": "result", "action": kind, "id": handoff_id, "ok": ok, "text": text})
    if ok:
        officer.last_snapshot = ""  # push the new queue at once
        await _refresh_queue(app, officer)


async def _pump(app: web.Application, officer: Officer) -> None:
    settings = app[SETTINGS]
    next_snapshot, next_check_in = time.monotonic(), time.monotonic() + settings.check_in_s
    while True:
        now = time.monotonic()
        try:
            if now >= next_check_in:
                # shielded and awaited on disconnect: a check-in still running must not land after the check-out
                officer.checking_in = asyncio.ensure_future(db(app[QUEUE].check_in, officer.user.name,
                                                               officer.centre))
                await asyncio.shield(officer.checking_in)
                next_check_in = now + settings.check_in_s
            if now >= next_snapshot:
                await _refresh_queue(app, officer)
                next_snapshot = now + settings.snapshot_s
            await _refresh_held(app, officer)
        except asyncio.CancelledError:
            raise
        except (ConnectionResetError, RuntimeError):
            if officer.ws.closed:
                return  # the socket closed under us
            # anything else raising these must not leave the page silently frozen
            logger.warning("live: refresh failed, socket still open", exc_info=True)
        except Exception:  # noqa: BLE001 - a database hiccup: try again next round
            logger.warning("live: refresh failed", exc_info=True)
        await asyncio.sleep(settings.poll_s)


async def _refresh_queue(app: web.Application, officer: Officer) -> None:
    queue = app[QUEUE]
    held = await db(_held_by, queue, officer.user.name)
    snapshot = {
        "type": "queue", "centre": officer.centre,
        "waiting": await waiting_view(app, officer.centre) if officer.centre else [],
        "officers": await db(queue.on_duty, officer.centre) if officer.centre else [],
        "held": [{"id": h.id, "channel": h.channel, "ref": conversation_ref(h.conversation_id), "note": h.note,
                  "taken_at": h.taken_at} for h in held],
        "left": len(await db(queue.left_listing, False)),
    }
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    if text != officer.last_snapshot:
        officer.last_snapshot = text
        await officer.send({**snapshot, "now": time.time()})


async def _refresh_held(app: web.Application, officer: Officer) -> None:
    """New messages of the conversations the officer holds; a full transcript for one newly held."""
    held = {h.id: h for h in await db(_held_by, app[QUEUE], officer.user.name)}
    for gone in [hid for hid in officer.seen if hid not in held]:
        del officer.seen[gone]
        await officer.send({"type": "released", "id": gone})
    failed = False
    for hid, handoff in held.items():
        try:
            events = await app[RASA].events(handoff.conversation_id)
        except RasaUnavailable as exc:
            if not officer.rasa_failing:  # once per outage, not once a second
                logger.warning("live: held conversation #%s not refreshed, Rasa unavailable: %s", hid, exc)
            failed = True
            continue
        if hid not in officer.seen:
            officer.seen[hid] = len(events)
            await officer.send({"type": "held", "id": hid, "channel": handoff.channel, "note": handoff.note,
                                "ref": conversation_ref(handoff.conversation_id), "transcript": transcript(events),
                                "lookups": lookups(events), "outcomes": OUTCOMES})
            continue
        seen = officer.seen[hid] if officer.seen[hid] <= len(events) else 0
        officer.seen[hid] = len(events)
        for event in events[seen:]:
            line = line_of(event)
            if line and line["who"] != "officer":  # the officer's own messages are shown when sent
                await officer.send({"type": "message", "id": hid, **line})
    if failed and not officer.rasa_failing:
        await officer.send({"type": "error", "text": RASA_DOWN})
    officer.rasa_failing = failed


# ------------------------------------------------------------------ the background task

async def tell_places(app: web.Application) -> None:
    """Tell each waiting citizen their new place when it changed (not at first sight: they were told on queueing)."""
    queue, hub = app[QUEUE], app[HUB]
    waiting = await db(queue.listing, [WAITING], None)
    by_centre: Dict[str, List[Handoff]] = {}
    for handoff in waiting:
        by_centre.setdefault(handoff.centre, []).append(handoff)
    for centre, queued in by_centre.items():
        officers = len(await db(queue.on_duty, centre))
        handling = await db(queue.handling_time_s, centre)
        for position, handoff in enumerate(queued, 1):
            told = hub.places_told.get(handoff.id)
            if told is None:
                hub.places_told[handoff.id] = position
                continue
            if told == position:
                continue
            try:
                await app[RASA].post(handoff.conversation_id,
                                     [bot(say.queue_update(position, position * handling / max(1, officers)))])
            except RasaUnavailable:
                continue  # told next round
            hub.places_told[handoff.id] = position
    still = {h.id for h in waiting}
    for gone in [hid for hid in hub.places_told if hid not in still]:
        del hub.places_told[gone]


async def deliver_answer(app: web.Application, question: LeftQuestion) -> bool:
    """Send an answer to a question left on Zalo; marked delivered only once Rasa took it. Raises RasaUnavailable."""
    queue = app[QUEUE]
    fresh = await db(queue.left, question.id)
    if fresh is None or fresh.delivered_at is not None or not fresh.answer or fresh.channel != "zalo":
        return False
    await app[RASA].post(fresh.conversation_id, [bot(say.delivered_answer(fresh.code, fresh.answer))],
                         output_channel="zalo")
    return await db(queue.mark_delivered, fresh.id)


async def deliver_zalo_answers(app: web.Application) -> int:
    delivered = 0
    for question in await db(app[QUEUE].undelivered_on, "zalo"):
        try:
            delivered += await deliver_answer(app, question)
        except RasaUnavailable:
            logger.warning("live: Zalo answer #%s not delivered yet, Rasa unavailable", question.id)
            break  # the next round tries again
    return delivered


async def tick(app: web.Application) -> None:
    for step in (tell_places, deliver_zalo_answers):
        try:
            await step(app)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the database or Rasa hiccups: next round
            logger.warning("live: %s failed", step.__name__, exc_info=True)


async def _background(app: web.Application) -> None:
    while True:
        await tick(app)
        await asyncio.sleep(app[SETTINGS].tick_s)


async def _close_sockets(app: web.Application) -> None:
    """On shutdown: close the live pages' sockets (they reconnect to another process), so shutdown does not wait."""
    for ws in list(app[HUB].open_sockets):
        await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"console restarting")


async def _lifecycle(app: web.Application):
    app[HUB].task = asyncio.create_task(_background(app))
    yield
    app[HUB].task.cancel()
    await asyncio.gather(app[HUB].task, return_exceptions=True)
    await app[RASA].close()


# ------------------------------------------------------------------ pages

def _left_view(app: web.Application, questions: List[LeftQuestion]) -> List[Dict[str, Any]]:
    names = {c.id: c.name for c in _centres(app)}
    return [{"id": q.id, "code": q.code, "question": q.question, "contact": q.contact,
             "channel": q.channel or "?", "centre": names.get(q.centre, q.centre),
             "asked": statistics.local_time_text(q.asked_at)} for q in questions]


async def live_page(request: web.Request, notice: str = "", error: str = "", status: int = 200) -> web.Response:
    app, console = request.app, _console()
    user = request[console.SESSION].user
    centre = _centre(app, request.query.get("centre"))
    queue, now = app[QUEUE], time.time()
    waiting = await waiting_view(app, centre.id) if centre else []
    for item in waiting:
        item["waited"] = waited_text(now - item["requested_at"])
    held = []
    for handoff in await db(_held_by, queue, user.name):
        try:
            events = await app[RASA].events(handoff.conversation_id)
            lines, found = transcript(events), lookups(events)
        except RasaUnavailable:
            lines, found = None, []
        held.append({"id": handoff.id, "channel": handoff.channel, "note": handoff.note, "transcript": lines,
                     "lookups": found, "ref": conversation_ref(handoff.conversation_id)})
    if any(item["transcript"] is None for item in waiting + held) and not error:
        error = RASA_DOWN
    return console.page(
        request, "live.html", status=status, title="Gặp cán bộ trực tuyến", centres=_centres(app), centre=centre,
        waiting=waiting, held=held, officers=await db(queue.on_duty, centre.id) if centre else [],
        left=_left_view(app, await db(queue.left_listing, False)), outcomes=OUTCOMES, notice=notice, error=error)


async def answer_left(request: web.Request) -> web.Response:
    """Save an officer's answer to a left question (audited); a Zalo answer goes out at once."""
    app, console = request.app, _console()
    form = await request.post()
    user = request[console.SESSION].user
    question = await db(app[QUEUE].left, int(request.match_info["id"]))
    if question is None:
        raise web.HTTPNotFound(text="Không có câu hỏi này.")
    text = str(form.get("answer", "")).strip()
    if not text:
        return await live_page(request, error="Hãy nhập câu trả lời.", status=422)
    if question.delivered_at is not None:
        return await live_page(request, error=f"Câu trả lời cho {question.code} đã gửi đến người dân, không sửa được.",
                               status=409)
    saved = await db(app[QUEUE].answer, question.id, user.name, text)
    _audit(app, user, "answer", f"Trả lời câu hỏi {question.code} của hội thoại "
                                f"{conversation_ref(question.conversation_id)}:\n{mask_text(saved.answer)}")
    notice = f"Đã lưu câu trả lời cho {question.code}."
    if question.channel == "zalo":
        try:
            await deliver_answer(app, saved)
        except RasaUnavailable:
            return await live_page(request, notice=notice, error=(
                "Đã lưu câu trả lời nhưng chưa gửi được vào Zalo của người dân vì không kết nối được với trợ lý ảo "
                "(máy chủ Rasa). Hệ thống sẽ tự gửi lại khi kết nối trở lại; không cần nhập lại."))
        notice += " Đã gửi vào Zalo của người dân."
    elif question.channel == "socketio":
        notice += " Người dân sẽ thấy câu trả lời khi quay lại khung chat."
    else:
        notice += f" Người dân xem được câu trả lời bằng cách nhắn mã {question.code}."
    return await live_page(request, notice=notice)


# ------------------------------------------------------------------ figures

def handoff_figures() -> List[Dict[str, Any]]:
    """For the figures page (a template global): handoffs per day and centre over the last 30 days."""
    app = _current_app.get()
    if app is None or QUEUE not in app:
        return []
    names = {c.id: c.name for c in _centres(app)}
    rows = []
    for row in app[QUEUE].figures(30):
        wait = row.get("median_wait_s")
        rows.append({**row, "centre_name": names.get(str(row["centre"]), row["centre"]),
                     "median_wait": "—" if wait is None else waited_text(float(wait)),
                     "outcome_text": ", ".join(f"{OUTCOMES.get(k, k or '—')}: {n}"
                                               for k, n in sorted(row["outcomes"].items())) or "—"})
    return rows


@web.middleware
async def _remember_app(request: web.Request, handler):
    token = _current_app.set(request.app)
    try:
        return await handler(request)
    finally:
        _current_app.reset(token)


def setup_live(app: web.Application, settings: LiveSettings | None = None) -> None:
    """Routes, the handoff tables, the per-process state and the background task of the live page."""
    console = _console()
    app[SETTINGS] = settings or LiveSettings.from_env()
    app[RASA] = RasaApi(app[SETTINGS])
    app[QUEUE] = HandoffQueue(app[console.ACCOUNTS].engine)
    app[QUEUE].ensure_schema()
    app[HUB] = Hub()
    app.middlewares.append(_remember_app)
    console.templates.globals["handoff_figures"] = handoff_figures
    app.router.add_get("/live", live_page)
    app.router.add_get("/live/ws", live_socket)
    app.router.add_post("/live/left/{id:\\d+}", answer_left)
    app.cleanup_ctx.append(_lifecycle)
    app.on_shutdown.append(_close_sockets)

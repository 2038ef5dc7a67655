"""Where Rasa keeps conversations and per-conversation locks, configured by URL.

* :class:`MaskingSQLTrackerStore` is Rasa's SQL tracker store (SQLite on disk by
  default, PostgreSQL in production) that masks phone and ID numbers before a
  user's or the bot's words are written. The turn being processed still sees
  the citizen's exact words in memory. A dossier lookup's proof never reaches
  the store: the turn that gives it is stored as "[thông tin xác minh đã ẩn]"
  and its slot as "[đã ẩn]" (the lookup runs in that same turn). The dossier
  code must survive one turn, from the question to the proof; when the lookup
  ends (its slot is emptied), every stored mention of the code in that
  conversation is rewritten with its sequence number masked.
* :class:`RedisURLLockStore` is Rasa's Redis lock store made safe between
  processes (see :class:`AtomicRedisLockStore`) and configured from one URL
  (``redis://:password@host:6379/0``), so the password can stay in the
  environment instead of a file.

Importing this module in the Rasa server also masks that process's log records.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Callable, Dict

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.orm import sessionmaker

from bot.endpoints import redis_settings
from records.database import ensure_sqlite_folder, make_engine
from records.privacy import install_log_masking, mask_phone_and_id, mask_text

install_log_masking()

_TEXT_EVENTS = {"user", "bot"}
CODE_SLOT, PROOF_SLOT = "dossier_code", "dossier_proof"
HIDDEN_PROOF_TURN = "[thông tin xác minh đã ẩn]"
HIDDEN = "[đã ẩn]"


def mask_event_data(data: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of a serialised event with phone and ID numbers masked in what was said."""
    if data.get("event") not in _TEXT_EVENTS:
        return data
    return _replace_text(data, mask_phone_and_id)


def _is_slot(data: Dict[str, Any], name: str) -> bool:
    return data.get("event") == "slot" and data.get("name") == name


def _replace_text(data: Dict[str, Any], mask: Callable[[str], str]) -> Dict[str, Any]:
    masked = copy.deepcopy(data)
    if isinstance(masked.get("text"), str):
        masked["text"] = mask(masked["text"])
    parse_data = masked.get("parse_data")
    if isinstance(parse_data, dict):
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = mask(parse_data["text"])
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict) and isinstance(entity.get("value"), str):
                entity["value"] = mask(entity["value"])
    return masked


def mask_dossier_data(data: Dict[str, Any], proof_turn: bool = False, code_done: bool = False) -> Dict[str, Any]:
    """A serialised event without the lookup's proof, and without the full dossier code once the lookup ended."""
    if _is_slot(data, PROOF_SLOT) and data.get("value") is not None:
        return {**data, "value": HIDDEN}
    if _is_slot(data, CODE_SLOT) and isinstance(data.get("value"), str) and code_done:
        return {**data, "value": mask_text(data["value"])}
    if data.get("event") == "user" and proof_turn:
        return _replace_text(data, lambda _: HIDDEN_PROOF_TURN)
    if data.get("event") in _TEXT_EVENTS and code_done:
        return _replace_text(data, mask_text)
    return data


class MaskingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, minus personal numbers in the stored text."""

    def __init__(self, host: str | None = None, **kwargs: Any) -> None:
        if host and "://" in host:  # a whole URL (ours always is), not Rasa's host + dialect form
            ensure_sqlite_folder(host)
        super().__init__(host=host, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            # Rasa opens a new SQLite connection for every read and write of a conversation, in rollback-journal
            # mode: a third of the Rasa server's time under load. Ours keeps its connections, in WAL mode.
            url = self.engine.url
            self.engine.dispose()
            self.engine = make_engine(str(url))
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (new events only, one transaction), writing masked event data."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new = [event.as_dict() for event in self._additional_events(session, tracker)]
            proof_turn = any(_is_slot(d, PROOF_SLOT) and d.get("value") is not None for d in new)
            code_done = tracker.get_slot(CODE_SLOT) is None and any(_is_slot(d, CODE_SLOT) for d in new)
            if code_done:
                self._mask_stored_codes(session, tracker.sender_id)
            for data in new:
                data = mask_dossier_data(mask_event_data(data), proof_turn, code_done)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=data["event"],
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def _mask_stored_codes(self, session: Any, sender_id: str) -> None:
        """Rewrite the conversation's stored events that still carry a full dossier code."""
        rows = session.query(self.SQLEvent).filter(
            self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name.in_(("user", "bot", "slot"))
        ).all()
        for row in rows:
            data = json.loads(row.data)
            masked = mask_dossier_data(data, code_done=True)
            if masked != data:
                row.data = json.dumps(masked)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with each read-modify-write done as one Redis transaction.

    Rasa's open-source store reads the ticket lock, changes it in Python and
    writes it back. Two replicas receiving messages of one conversation at the
    same moment can both read the empty lock, both get ticket 0 and process the
    conversation at once, and one turn's events are lost (seen in
    tests/test_scale_out.py). Here every change runs under WATCH/MULTI/EXEC and is
    retried if another replica changed the lock in between.
    """

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], TicketLock | None]) -> None:
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> None:
            serialised = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
            changed = change(lock)
            pipe.multi()
            if changed is None or not changed.is_someone_waiting():
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())

        self.red.transaction(attempt, key)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        issued: Dict[str, int] = {}

        def take_ticket(lock: TicketLock | None) -> TicketLock:
            lock = lock or self.create_lock(conversation_id)
            issued["ticket"] = lock.issue_ticket(lock_lifetime)
            return lock

        try:
            self._change(conversation_id, take_ticket)
        except Exception as exc:  # Rasa's contract: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        return issued["ticket"]

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def hand_back(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, hand_back)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving already deletes the lock when nobody else holds a ticket.
        self.finish_serving(conversation_id, ticket_number)


class RedisURLLockStore(AtomicRedisLockStore):
    """The atomic Redis lock store, configured by one URL (Rasa passes the endpoint config)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        settings = redis_settings(endpoint_config.url or "")
        key_prefix = endpoint_config.kwargs.get("key_prefix")
        super().__init__(**settings, key_prefix=key_prefix)

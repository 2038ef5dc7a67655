"""A dossier lookup from code and proof to reply: plain Python the Rasa action calls.

Order matters for privacy: the lock-out is checked before the backend is
asked, an unknown code counts as a failed proof, and both get one answer.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from actions.dossiers.backend import BackendUnavailable, DossierBackend
from actions.dossiers.lockout import ProofLockout, subject_key
from actions.dossiers.replies import backend_down, locked, not_matched, status_reply
from knowledge.base import KnowledgeBase
from knowledge.dossier_codes import mask_code
from knowledge.schema import Procedure
from knowledge.search import resolve
from replies.answers import Reply

logger = logging.getLogger(__name__)


def procedure_for(kb: KnowledgeBase, procedure_name: str) -> Procedure | None:
    """The knowledge-base entry a one-stop procedure name refers to, when it is clear."""
    found = resolve(kb.search(procedure_name))
    return kb.get(found.confident.procedure_id) if found.confident else None


@dataclass
class DossierLookup:
    backend: DossierBackend
    lockout: ProofLockout
    kb: KnowledgeBase
    today: Callable[[], date] = date.today

    async def run(self, conversation_id: str, code: str, proof: str) -> Reply:
        """Check the lock-out, fetch, compare the proof in constant time, and answer."""
        desk = self.kb.service_desk
        keys = [subject_key("conversation", conversation_id), subject_key("code", code)]
        try:
            seconds_left = await self.lockout.alocked_for(keys)
        except SQLAlchemyError as exc:
            logger.error("lock-out store failed: %s", type(exc).__name__)
            return backend_down(desk)
        if seconds_left > 0:
            logger.info("dossier lookup %s refused: locked", mask_code(code))
            return locked(seconds_left, desk)
        try:
            dossier = await self.backend.fetch(code)
        except BackendUnavailable:
            return backend_down(desk)
        expected = dossier.phone_last4 if dossier else "no-such-dossier"
        if dossier is None or not hmac.compare_digest(expected.encode(), proof.encode()):
            try:
                now_locked = await self.lockout.arecord_failure(keys)
            except SQLAlchemyError as exc:
                logger.error("lock-out store failed: %s", type(exc).__name__)
                return backend_down(desk)
            logger.info("dossier lookup %s: not matched%s", mask_code(code), ", now locked" if now_locked else "")
            reply = not_matched(desk)
            if now_locked:
                reply = Reply(locked(self.lockout.policy.cooldown_s, desk).texts)
            return reply
        logger.info("dossier lookup %s: shown (status %d)", mask_code(code), dossier.status)
        return status_reply(dossier, self.today(), desk, procedure_for(self.kb, dossier.procedure_name))

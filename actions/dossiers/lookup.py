"""A dossier lookup from code and proof to reply: plain Python the Rasa action calls.

Order matters for privacy: the attempt is counted (atomically, see
:mod:`actions.dossiers.guard`) before the backend is asked or anything is
compared, an unknown code counts as a failed proof, and both get one answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from actions.dossiers.backend import BackendUnavailable, DossierBackend
from actions.dossiers.guard import Admission, ProofGuard
from actions.dossiers.proofs import PhoneAndBirthYear, ProofMethod
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
    guard: ProofGuard
    kb: KnowledgeBase
    method: ProofMethod = field(default_factory=PhoneAndBirthYear)
    today: Callable[[], date] = date.today

    async def challenge(self, conversation_id: str, code: str, client: str = "") -> None:
        """Before the proof is asked: let the method send a one-time code when the dossier exists."""
        if self.method.name != "otp":
            return  # nothing to send, so the backend is not asked
        try:
            dossier = await self.backend.fetch(code)
        except BackendUnavailable:
            return  # the lookup itself will say the system is down
        await self.method.challenge(conversation_id, client, code, dossier)

    async def run(self, conversation_id: str, code: str, proof: str, client: str = "") -> Reply:
        """Count the attempt, fetch, compare the proof in constant time, and answer.

        ``client`` is who sent it as the channel saw it ("ip:203.0.113.9",
        "zalo:<user id>"); without it the conversation stands for the client.
        """
        desk = self.kb.service_desk
        try:
            admission = await self.guard.aadmit(conversation_id, client, code)
        except SQLAlchemyError as exc:
            logger.error("proof guard store failed: %s", type(exc).__name__)
            return backend_down(desk)  # fail closed: nothing is compared uncounted
        if not admission.admitted:
            logger.info("dossier lookup %s refused: over a limit", mask_code(code))
            return locked(admission.retry_after_s, desk)
        try:
            dossier = await self.backend.fetch(code)
        except BackendUnavailable:
            await self._hand_back(admission)  # nothing was compared
            return backend_down(desk)
        try:
            matched = dossier is not None and await self.method.verify(conversation_id, dossier, proof)
        except SQLAlchemyError as exc:  # a one-time code's store: the attempt stays counted
            logger.error("proof store failed: %s", type(exc).__name__)
            return backend_down(desk)
        if not matched:
            logger.info("dossier lookup %s: not matched", mask_code(code))
            return not_matched(desk)
        await self._hand_back(admission)
        logger.info("dossier lookup %s: shown (status %d)", mask_code(code), dossier.status)
        return status_reply(dossier, self.today(), desk, procedure_for(self.kb, dossier.procedure_name))

    async def _hand_back(self, admission: Admission) -> None:
        try:
            await self.guard.ahand_back(admission)
        except SQLAlchemyError as exc:  # the attempt stays counted: safe, only stricter
            logger.error("proof guard store failed on hand-back: %s", type(exc).__name__)

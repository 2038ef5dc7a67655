"""Rasa glue for the dossier lookup: the form's slot extraction and validation, and the submit action.

``dossier_form`` asks for the code (taken straight from a first message such
as "tra cứu hồ sơ 000.00.07.H29-261101-0042") and then for the proof of link
the province chose (``DOSSIER_PROOF``, see :mod:`actions.dossiers.proofs`):
by default the last four digits of the registered phone and the year of
birth. A question asked in between is not taken as an answer: extraction
declines, Rasa's rules answer it, and the form asks again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.actions import record_turn, send
from actions.dossiers.guard import GuardPolicy, ProofGuard
from actions.dossiers.lookup import DossierLookup
from actions.dossiers.proofs import method_from_env
from actions.dossiers.replies import ASK_CODE, LOOKUP_STOPPED, malformed_code
from actions.dossiers.sources import backend_from_env
from actions.knowledge_store import knowledge_base
from knowledge.dossier_codes import find_code, looks_like_code_attempt
from knowledge.vntext import is_unreadable
from records import events as bot_events
from records.clients import client_of
from records.database import make_engine
from records.privacy import install_log_masking

install_log_masking()

# Intents that mean the citizen asked something else rather than answered the form.
INTERRUPTIONS = frozenset({
    "ask_papers", "ask_fee", "ask_processing_time", "ask_where", "ask_steps", "ask_online",
    "ask_legal_basis", "ask_overview", "inform_procedure", "greet", "thank", "bot_capabilities",
    "human_handoff", "out_of_scope", "goodbye", "stop", "feedback_good", "feedback_bad",
})


@lru_cache(maxsize=1)
def dossier_lookup() -> DossierLookup:
    """One lookup service per action-server process, configured from the environment."""
    engine = make_engine()
    guard = ProofGuard(engine, GuardPolicy.from_env())
    return DossierLookup(backend_from_env(), guard, knowledge_base(), method_from_env(engine, guard))


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "")[:2000]


def _interrupted(tracker: Tracker) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in INTERRUPTIONS or is_unreadable(_text(tracker))


class ValidateDossierForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_form"

    async def extract_dossier_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = _text(tracker)
        code = find_code(text)
        if code:
            return {"dossier_code": code}
        requested = tracker.get_slot("requested_slot")
        if requested == "dossier_code" and not _interrupted(tracker):
            return {"dossier_code": text}
        if requested is None and looks_like_code_attempt(text):
            return {"dossier_code": text}
        return {}

    def validate_dossier_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        code = find_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(text=malformed_code())
        return {"dossier_code": code}

    async def extract_dossier_proof(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.get_slot("requested_slot") != "dossier_proof":
            return {}
        text = _text(tracker)
        if find_code(text):
            return {}  # a corrected code, handled by extract_dossier_code
        proof = dossier_lookup().method.parse(text)
        if proof:
            return {"dossier_proof": proof}
        if _interrupted(tracker):
            return {}
        return {"dossier_proof": text}

    def validate_dossier_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        method = dossier_lookup().method
        proof = method.parse(str(value or "")[:200])
        if proof:
            return {"dossier_proof": proof}
        dispatcher.utter_message(text=method.format_hint)
        return {"dossier_proof": None}


class ActionLookupDossier(Action):
    """Runs when the form is complete; forgets the code and proof whatever the outcome."""

    def name(self) -> str:
        return "action_lookup_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        code = tracker.get_slot("dossier_code") or ""
        proof = tracker.get_slot("dossier_proof") or ""
        client = client_of(tracker.latest_message.get("metadata"))
        reply = await dossier_lookup().run(tracker.sender_id, code, proof, client)
        send(dispatcher, reply)
        record_turn(tracker, bot_events.DOSSIER_LOOKUP, text="")
        return [SlotSet("dossier_code", None), SlotSet("dossier_proof", None)]


class ActionStopLookup(Action):
    """"thôi" during a lookup: say it stopped and forget the code and proof (the store then masks the code)."""

    def name(self) -> str:
        return "action_stop_lookup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=LOOKUP_STOPPED)
        return [SlotSet("dossier_code", None), SlotSet("dossier_proof", None)]


class ActionAskDossierCode(Action):
    def name(self) -> str:
        return "action_ask_dossier_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=ASK_CODE)
        return []


class ActionAskDossierProof(Action):
    """Asks for the proof the province chose, after sending a one-time code when that is the proof."""

    def name(self) -> str:
        return "action_ask_dossier_proof"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        lookup = dossier_lookup()
        code = tracker.get_slot("dossier_code")
        if code and tracker.get_slot("requested_slot") != "dossier_proof":
            # Once when the code is taken, not on every re-ask (sending is limited besides).
            await lookup.challenge(tracker.sender_id, code, client_of(tracker.latest_message.get("metadata")))
        dispatcher.utter_message(text=lookup.method.ask)
        return []

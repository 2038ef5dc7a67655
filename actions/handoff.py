"""Rasa glue for reaching a person: contacts and the way to an officer, the queue, a left question, its answer.

The decisions are plain functions (:func:`way_to_person`); the queue is
:class:`records.handoffs.HandoffQueue` in the console database, which the
console reads too. When an officer takes the conversation the console pauses
it in the tracker store (Rasa's ``pause`` event), so the bot stays silent on
every replica until the officer closes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.actions import ActionHelpfulFallback, send
from actions.knowledge_store import knowledge_base
from actions.resolution import decide
from knowledge.office_hours import is_open, next_working_day
from knowledge.schema import Centre, ServiceDesk
from knowledge.vntext import canonical, fold, has_diacritics
from records.database import make_engine
from records.events import events_db_url
from records.handoffs import HandoffQueue, find_answer_code
from records.privacy import mask_text
from replies import handoffs as say

MIN_QUESTION_CHARS = 10
_CONTACT_NONE = {"không", "khong", "ko", "k", "không cần", "khong can", "thôi", "no"}


@lru_cache(maxsize=1)
def handoff_queue() -> HandoffQueue:
    """One queue client per action-server process, on the console database."""
    return HandoffQueue(make_engine(events_db_url()))


@dataclass(frozen=True)
class Way:
    """How a citizen can reach a person now."""

    centre: Centre | None
    open_now: bool
    officers: List[str]

    @property
    def live(self) -> bool:
        return self.centre is not None and self.open_now and bool(self.officers)


def way_to_person(desk: ServiceDesk, queue: HandoffQueue, now: datetime) -> Way:
    """The first centre open now with officers on duty; else the first centre, closed or unstaffed."""
    if not desk.centres:
        return Way(None, False, [])
    for centre in desk.centres:
        if is_open(centre, now, desk.utc_offset_hours):
            officers = queue.on_duty(centre.id)
            if officers:
                return Way(centre, True, officers)
    first = desk.centres[0]
    return Way(first, is_open(first, now, desk.utc_offset_hours), [])


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _centre(desk: ServiceDesk, centre_id: str) -> Centre | None:
    return next((c for c in desk.centres if c.id == centre_id), desk.centres[0] if desk.centres else None)


# What a citizen asking for a person says: an officer, a phone number, opening hours, someone to talk to.
_PERSON = re.compile(
    r"\b(?:gap|nguoi that|tong dai|hotline|so dien thoai|sdt|dien thoai|duong day nong|nhan vien|truc tiep"
    r"|gio lam viec|may gio|nguoi ho tro|ho tro truc tiep|noi may|chuyen (?:cho|toi|sang|qua)|lien he|goi dien|chat voi"
    r"|noi chuyen|nguoi tu van|tu van vien|co ai)\b")


def asks_for_person(text: str) -> bool:
    """The message asks for a person (or how to reach one), not about a procedure in which someone else acts. An
    officer ("cán bộ") is read with its marks when the text has them: "cần bố tôi đồng ý" folds the same."""
    folded = " ".join(fold(text).lower().split())
    officer = "cán bộ" in canonical(text).lower() if has_diacritics(text) else bool(re.search(r"\bcan bo\b", folded))
    return officer or bool(_PERSON.search(folded))


class ActionHandoff(Action):
    """"Gặp cán bộ": the centre's contacts, and a button to chat now or to leave a question."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        if text and not text.startswith("/") and not asks_for_person(text) \
                and (tracker.active_loop or {}).get("name") != "dossier_form":
            decision = decide(knowledge_base(), text)
            if decision.procedure is not None or decision.candidates:
                # "lltp số 2 nhờ người nhà xin hộ dc ko": read as asking for someone, it asks about a procedure.
                return await ActionHelpfulFallback().run(dispatcher, tracker, domain)
        desk = knowledge_base().service_desk
        try:
            way = way_to_person(desk, handoff_queue(), _now())
        except Exception:  # noqa: BLE001 - the queue's database is down: the contacts still help
            way = Way(None, False, [])
        in_lookup = (tracker.active_loop or {}).get("name") == "dossier_form"
        send(dispatcher, say.contacts(desk, None if in_lookup else way.centre, way.open_now, bool(way.officers)))
        return []


class ActionTalkToOfficer(Action):
    """Join the queue of a centre open now with an officer on duty, or be offered to leave a question."""

    def name(self) -> str:
        return "action_talk_to_officer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        desk = knowledge_base().service_desk
        queue = handoff_queue()
        way = way_to_person(desk, queue, _now())
        if way.centre is None:
            send(dispatcher, say.contacts(desk, None, False, False))
            return []
        if not way.live:
            send(dispatcher, say.nobody_now(way.centre, next_working_day(way.centre, _now(), desk.utc_offset_hours)))
            return []
        reason = "declined" if float(tracker.get_slot("declines") or 0) >= 2 else "asked"
        handoff = queue.request(tracker.sender_id, tracker.get_latest_input_channel() or "", way.centre.id, reason)
        place = queue.place(handoff.id, len(way.officers))
        if place is None:  # already taken by an officer
            dispatcher.utter_message(text=say.officer_joined(""))
            return []
        send(dispatcher, say.queued(way.centre, place.position, place.expected_wait_s))
        return []


class ActionStopWaiting(Action):
    def name(self) -> str:
        return "action_stop_waiting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        queue = handoff_queue()
        handoff = queue.open_for(tracker.sender_id)
        send(dispatcher, say.stopped_waiting(bool(handoff and queue.abandon(handoff.id))))
        return []


class ValidateLeaveQuestionForm(FormValidationAction):
    """The question is the citizen's next message as typed; the contact is a phone, an e-mail or "không"."""

    def name(self) -> str:
        return "validate_leave_question_form"

    async def extract_left_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.get_slot("requested_slot") != "left_question" or _is_stop(tracker):
            return {}
        return {"left_question": (tracker.latest_message.get("text") or "")[:2000]}

    def validate_left_question(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < MIN_QUESTION_CHARS or text.startswith("/"):
            dispatcher.utter_message(text=say.QUESTION_TOO_SHORT)
            return {"left_question": None}
        return {"left_question": text}

    async def extract_left_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.get_slot("requested_slot") != "left_contact":
            return {}
        text = (tracker.latest_message.get("text") or "").strip()
        if text.lower() in _CONTACT_NONE:
            return {"left_contact": "-"}
        if _is_stop(tracker):
            return {}
        return {"left_contact": text[:200]}

    def validate_left_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        contact = read_contact(str(value or ""))
        if contact is None:
            dispatcher.utter_message(text=say.CONTACT_FORMAT)
            return {"left_contact": None}
        return {"left_contact": contact or "-"}


def _is_stop(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") == "stop"


def read_contact(text: str) -> str | None:
    """A phone number or an e-mail address from what was typed; '' for "no contact"; None if unreadable."""
    text = text.strip()
    if text in ("-", "") or text.lower() in _CONTACT_NONE:
        return ""
    email = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
    if email:
        return email.group(0)
    digits = re.sub(r"[\s.\-()]", "", text)
    phone = re.search(r"(?:\+?84|0)\d{8,10}", digits)
    return phone.group(0) if phone else None


class ActionAskLeftQuestion(Action):
    def name(self) -> str:
        return "action_ask_left_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=say.ASK_QUESTION)
        return []


class ActionAskLeftContact(Action):
    def name(self) -> str:
        return "action_ask_left_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=say.ASK_CONTACT)
        return []


class ActionSubmitLeftQuestion(Action):
    """Store the question for the centre's officers and give the citizen its code."""

    def name(self) -> str:
        return "action_submit_left_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        desk = knowledge_base().service_desk
        question = tracker.get_slot("left_question") or ""
        contact = tracker.get_slot("left_contact") or ""
        contact = "" if contact == "-" else contact
        way = way_to_person(desk, handoff_queue(), _now())
        centre = way.centre or Centre(id="mot-cua", name=desk.centre_name)
        channel = tracker.get_latest_input_channel() or ""
        left = handoff_queue().leave(tracker.sender_id, channel, centre.id, mask_text(question), contact)
        send(dispatcher, say.question_left(left.code, centre, next_working_day(centre, _now(), desk.utc_offset_hours),
                                           channel, contact))
        return [SlotSet("left_question", None), SlotSet("left_contact", None)]


class ActionCheckAnswer(Action):
    """A citizen typed the code of a question they left: show the answer (or say it is not ready)."""

    def name(self) -> str:
        return "action_check_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        desk = knowledge_base().service_desk
        text = tracker.latest_message.get("text") or ""
        left = handoff_queue().by_code(find_answer_code(text))
        if left is None:
            send(dispatcher, say.unknown_code(text, desk))
            return []
        centre = _centre(desk, left.centre)
        send(dispatcher, say.answer_by_code(left.code, left.question, left.answer,
                                            centre.name if centre else desk.centre_name))
        if left.answer and left.conversation_id == tracker.sender_id:
            handoff_queue().mark_delivered(left.id)
        return []

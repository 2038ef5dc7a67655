"""Rasa custom actions: thin glue between the tracker and the plain-Python answer logic."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ASPECT_BY_INTENT, Aspect, Reply, ambiguity_question, answer, handoff, not_found
from actions.knowledge_store import knowledge_base
from actions.resolution import Decision, decide
from knowledge.cases import guess_case
from knowledge.vntext import is_unreadable

logger = logging.getLogger(__name__)

UNREADABLE_REPLY = (
    "Mình chưa đọc được nội dung tin nhắn. Bạn gõ câu hỏi bằng chữ giúp mình nhé, "
    "ví dụ: \"làm căn cước cần giấy tờ gì\" hoặc \"đăng ký tạm trú ở đâu\"."
)


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send every message of ``reply``; buttons ride on the last one."""
    for i, text in enumerate(reply.texts):
        last = i == len(reply.texts) - 1
        dispatcher.utter_message(text=text, buttons=reply.buttons if last and reply.buttons else None)


def _entities(tracker: Tracker, name: str) -> List[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]


def _first(values: List[str]) -> str | None:
    return values[0] if values else None


def answer_turn(
    dispatcher: CollectingDispatcher, tracker: Tracker, aspect: Aspect, decision: Decision | None = None
) -> List[EventType]:
    """Resolve the procedure for this turn (unless given) and answer ``aspect`` of it, or ask back."""
    kb = knowledge_base()
    current = tracker.get_slot("procedure_id")
    if decision is None:
        decision = decide(
            kb,
            text=tracker.latest_message.get("text") or "",
            entity_texts=_entities(tracker, "procedure"),
            picked_id=_first(_entities(tracker, "procedure_id")),
            current_id=current,
        )
    events: List[EventType] = [SlotSet("aspect", aspect.value)]
    proc = decision.procedure
    if proc is None:
        if decision.candidates:
            send(dispatcher, ambiguity_question(decision.candidates))
        else:
            send(dispatcher, not_found(kb.service_desk, decision.suggestions))
        return events
    case_id = _first(_entities(tracker, "case_id"))
    if case_id is None and proc.id == current:
        case_id = tracker.get_slot("case_id")
    if case_id is None and aspect == Aspect.papers:
        case_id = guess_case(proc, tracker.latest_message.get("text") or "", kb.shorthand)
    if case_id and proc.case(case_id) is None:
        case_id = None
    send(dispatcher, answer(proc, aspect, case_id))
    return events + [SlotSet("procedure_id", proc.id), SlotSet("case_id", case_id)]


class AspectAction(Action):
    """Answers one aspect; subclasses name the aspect."""

    aspect: Aspect = Aspect.overview

    def name(self) -> str:
        return f"action_answer_{self.aspect.value}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        return answer_turn(dispatcher, tracker, self.aspect)


class ActionAnswerPapers(AspectAction):
    aspect = Aspect.papers


class ActionAnswerFee(AspectAction):
    aspect = Aspect.fee


class ActionAnswerTime(AspectAction):
    aspect = Aspect.time


class ActionAnswerWhere(AspectAction):
    aspect = Aspect.where


class ActionAnswerSteps(AspectAction):
    aspect = Aspect.steps


class ActionAnswerOnline(AspectAction):
    aspect = Aspect.online


class ActionAnswerLegalBasis(AspectAction):
    aspect = Aspect.legal_basis


class ActionAnswerOverview(AspectAction):
    aspect = Aspect.overview


class ActionAnswerFollowup(Action):
    """A procedure named on its own ("còn hộ chiếu thì sao?"): answer the aspect last asked."""

    def name(self) -> str:
        return "action_answer_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        try:
            aspect = Aspect(tracker.get_slot("aspect") or Aspect.overview.value)
        except ValueError:
            aspect = Aspect.overview
        return answer_turn(dispatcher, tracker, aspect)


class ActionHelpfulFallback(Action):
    """Low NLU confidence: still answer when the message clearly names a procedure."""

    def name(self) -> str:
        return "action_helpful_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        kb = knowledge_base()
        text = tracker.latest_message.get("text") or ""
        if is_unreadable(text):
            send(dispatcher, Reply([UNREADABLE_REPLY]))
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        guessed = next((ASPECT_BY_INTENT[r["name"]] for r in ranking if r.get("name") in ASPECT_BY_INTENT), None)
        decision = decide(kb, text=text, entity_texts=_entities(tracker, "procedure"))
        if decision.procedure is not None:
            return answer_turn(dispatcher, tracker, guessed or Aspect.overview, decision)
        current = kb.get(tracker.get_slot("procedure_id"))
        if decision.candidates:
            send(dispatcher, ambiguity_question(decision.candidates))
            return []
        lines = ["Xin lỗi, mình chưa hiểu rõ câu hỏi của bạn."]
        if current:
            lines.append(
                f"Bạn đang hỏi về thủ tục {current.name}: bạn có thể hỏi giấy tờ, lệ phí, thời gian, nơi nộp "
                "hoặc các bước thực hiện."
            )
        else:
            lines.append(
                "Bạn hãy hỏi kèm tên thủ tục, ví dụ: \"làm hộ chiếu cần giấy tờ gì\" hoặc "
                "\"đăng ký tạm trú mất bao lâu\"."
            )
        desk = kb.service_desk
        lines.append(f"Cần hỗ trợ trực tiếp, bạn gọi tổng đài {desk.hotline} hoặc xem {desk.portal_url}.")
        send(dispatcher, not_found(desk, decision.suggestions) if decision.suggestions else Reply([" ".join(lines)]))
        return []


class ActionHandoff(Action):
    """Hotline and opening hours of the centre, from the knowledge base's contact file."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        send(dispatcher, handoff(knowledge_base().service_desk))
        return []

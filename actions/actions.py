"""Rasa custom actions: thin glue between the tracker and the plain-Python answer logic."""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_store import knowledge_base
from actions.resolution import Decision, decide, named_only_as_done
from actions.routing import (
    ANSWERING,
    CONDITIONS,
    ELSEWHERE,
    FORM,
    ONLINE,
    PASSAGE,
    QUESTION,
    UNKNOWN_SITUATION,
    Route,
    asked_aspects,
    fee_yes_no,
    further,
    in_asked_order,
    led,
    plain_beside,
    route,
    says_online,
)
from actions.suggestions import offered
from knowledge.cases import guess_case
from knowledge.facts import cue_text
from knowledge.vntext import fold, is_unreadable, search_words
from records import events as bot_events
from replies.answers import (
    ASPECT_BY_INTENT,
    MAX_ASPECTS,
    Aspect,
    Reply,
    ambiguity_question,
    answer_aspects,
    fee_lead,
    feedback_thanks,
    reduced_rate_lead,
    shared_answer,
    together,
    with_feedback,
    with_lead,
)
from replies.handoffs import offer_person
from replies.situations import (
    conditions_answer,
    elsewhere_among,
    elsewhere_answer,
    form_answer,
    online_answer,
    passage_answer,
    question_answer,
    situation_unknown,
    situation_unknown_among,
    uncovered,
    unsettled_note,
)

logger = logging.getLogger(__name__)

UNREADABLE_REPLY = (
    "Mình chưa đọc được nội dung tin nhắn. Bạn gõ câu hỏi bằng chữ giúp mình nhé, "
    "ví dụ: \"làm căn cước cần giấy tờ gì\" hoặc \"đăng ký tạm trú ở đâu\"."
)


OUT_OF_SCOPE_REPLY = (
    "Xin lỗi, mình chỉ hỗ trợ thông tin về thủ tục hành chính và dịch vụ công. "
    "Bạn có câu hỏi nào về giấy tờ, lệ phí hay nơi nộp hồ sơ không?"
)


# Words of administrative matters: a message with one is a public-service question, covered or not.
_PUBLIC_SERVICE = re.compile(
    r"\b(?:thu tuc|ho so|giay (?:to|phep|chung nhan|xac nhan)|dang ky|cap (?:lai|doi|moi)|chung thuc|ubnd"
    r"|uy ban|cong an (?:xa|phuong)|bao hiem|bhxh|bhyt|thue|le phi|so do|ho khau|can cuoc|cccd|ho chieu"
    r"|khai sinh|ket hon|giay phep|dat dai|tro cap|mot cua)\b"
)


def public_service(text: str) -> bool:
    """The message is about an administrative matter (so it deserves a pointer, not a brush-off)."""
    return bool(_PUBLIC_SERVICE.search(" ".join(fold(text).lower().split())))


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send every message of ``reply``; buttons ride on the last one."""
    for i, text in enumerate(reply.texts):
        last = i == len(reply.texts) - 1
        dispatcher.utter_message(text=text, buttons=reply.buttons if last and reply.buttons else None)


def declined(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> List[EventType]:
    """Send a reply that could not answer; from the second in a conversation it offers a person."""
    count = int(float(tracker.get_slot("declines") or 0)) + 1
    send(dispatcher, offer_person(reply) if count >= 2 else reply)
    return [SlotSet("declines", float(count))]


def _entities(tracker: Tracker, name: str) -> List[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]


def _first(values: List[str]) -> str | None:
    return values[0] if values else None


def record_turn(tracker: Tracker, kind: str, text: str | None = None, **fields: str | None) -> None:
    """Note the turn for the staff console (masked there); never fails the answer. Each conversation has a budget
    of events per hour (``records.events.RATE_BUDGETS``): past it, turns go unrecorded."""
    if text is None:
        text = tracker.latest_message.get("text") or ""
    channel = tracker.get_latest_input_channel() or ""
    bot_events.record_quietly(kind, conversation=tracker.sender_id or "", channel=channel, text=text, **fields)


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
    proc = decision.procedure
    text = tracker.latest_message.get("text") or ""
    aspects = asked(kb, text, aspect)
    events: List[EventType] = [SlotSet("aspect", aspects[0].value)]
    if text and not text.startswith("/"):  # typed, not a button's payload
        situation = situation_turn(dispatcher, tracker, kb, text, proc, decision.candidates)
        if situation is not None:
            return situation
    if proc is not None and aspects[0] == Aspect.overview and proc.id != current and text \
            and not text.startswith("/") and named_only_as_done(kb, text, proc):
        # No fact of it is asked and the message says it done: the question is about something else.
        events += declined(dispatcher, tracker, uncovered(kb.service_desk, search_words(text), [proc]))
        record_turn(tracker, bot_events.UNRESOLVED, aspect=aspects[0].value)
        return events
    if proc is None:
        shared = named_shared_answer(decision, aspects[0])
        if shared is not None:
            send(dispatcher, shared)
        elif len(decision.candidates) == 1 or decision.candidates and not decision.named:
            events += offer_unnamed(dispatcher, tracker, kb, text, decision.candidates)
        elif decision.candidates:
            send(dispatcher, ambiguity_question(decision.candidates))
        else:
            events += declined(dispatcher, tracker, uncovered(kb.service_desk, search_words(text),
                                                              decision.suggestions))
            record_turn(tracker, bot_events.UNRESOLVED, aspect=aspects[0].value)
        return events
    case_id = _first(_entities(tracker, "case_id"))
    if case_id is None and proc.id == current:
        case_id = tracker.get_slot("case_id")
    if case_id is None and Aspect.papers in aspects:
        case_id = guess_case(proc, text, kb.shorthand)
    if case_id and proc.case(case_id) is None:
        case_id = None
    reply = answer_aspects(proc, aspects, case_id)
    if Aspect.fee in aspects[:MAX_ASPECTS] and text and not text.startswith("/"):
        # "có mất phí không": "Không mất phí."; "nhà em thuộc hộ nghèo ... có phải nộp lệ phí không": "Không ..."
        said = cue_text(kb.shorthand, text)
        reply = with_lead(reply, fee_lead(proc, fee_yes_no(kb, text), said.split()) or reduced_rate_lead(proc, said))
    reply = with_feedback(reply, proc)
    send(dispatcher, reply)
    record_turn(tracker, bot_events.ANSWER, procedure_id=proc.id, aspect=aspects[0].value,
                reply="\n".join(reply.texts))
    return events + [SlotSet("procedure_id", proc.id), SlotSet("case_id", case_id)]


def named_shared_answer(decision: Decision, aspect: Aspect) -> Reply | None:
    """The one answer to ``aspect`` all the candidates give, only when the message names them: candidates each found
    in part may all miss the one it means ("giấy chứng nhận đăng ký đầu tư gián tiếp" reads four other investment
    certificates, all free)."""
    return shared_answer(decision.candidates, aspect) if len(decision.candidates) > 1 and decision.named else None


def asked(kb, text: str, aspect: Aspect) -> List[Aspect]:
    """The aspects to answer: the one the NLU read, then any other the typed question asks in so many words
    ("hồ sơ gồm những gì và nộp ở đâu"); a legal-basis or overview reading gives way to the words asked
    ("thời hạn cấp phiếu lý lịch tư pháp được quy định như thế nào" asks the time), and so does a reading the words
    do not ask when they ask as many facts as a reply answers ("... đất đã có sổ đỏ. Xin hỏi xin giấy phép xây dựng
    nộp ở đâu và bao lâu thì có giấy phép" asks where and how long, not the papers)."""
    if not text or text.startswith("/"):  # a button's payload
        return [aspect]
    if aspect == Aspect.online and not says_online(kb, text):
        # The NLU reads "đăng ký kết hôn một mình được không" as "can it be done online"; no word of it says so,
        # and "Có, trực tuyến một phần" would answer another question.
        aspect = Aspect.overview
    cues = [Aspect(a) for a in asked_aspects(kb, text)]
    if cues and aspect in (Aspect.overview, Aspect.legal_basis) or len(cues) >= MAX_ASPECTS and aspect not in cues:
        return cues
    return [aspect, *(c for c in cues if c != aspect)]


def offer_unnamed(dispatcher: CollectingDispatcher, tracker: Tracker, kb, text: str, candidates) -> List[EventType]:
    """One procedure only partly named, or several none of which the message names word for word: no "which
    one?" (a single option, or options the citizen did not ask about: "công ty cũ" is not "đóng công ty"); say
    that no verified answer was found, where to ask, and offer them as buttons."""
    events = declined(dispatcher, tracker, uncovered(kb.service_desk, search_words(text), list(candidates)))
    record_turn(tracker, bot_events.UNRESOLVED)
    return events


def previous_question(events: List[Dict[str, Any]]) -> str:
    """What the citizen typed before this message (button payloads skipped), for reading a follow-up."""
    typed = [str(e.get("text") or "") for e in events if e.get("event") == "user"]
    earlier = [t for t in typed[:-1] if t and not t.startswith("/")]
    return earlier[-1] if earlier else ""


def situation_turn(
    dispatcher: CollectingDispatcher, tracker: Tracker, kb, text: str, proc, candidates=()
) -> List[EventType] | None:
    """Answer a situational question (curated answer, record passage or honest "not known"), if it is one."""
    # A follow-up is read with the message before it only while the conversation stays on one procedure.
    same = proc is None or proc.id == tracker.get_slot("procedure_id")
    way = route(kb, text, proc, candidates, previous_question(tracker.events) if same else "")
    if way.kind == ELSEWHERE and way.procedure is None:
        reply = elsewhere_among(way.candidates, way.elsewhere)
        send(dispatcher, reply)
        record_turn(tracker, bot_events.ANSWER, aspect=way.kind, reply="\n".join(reply.texts))
        return []
    if way.kind in ANSWERING:
        ways = [led(kb, w, text) for w in in_asked_order(kb, text, [way, *further(kb, text, way)])]
        reply = with_feedback(letter_reply(ways, kb.service_desk), way.procedure)
        send(dispatcher, reply)
        record_turn(tracker, bot_events.ANSWER, procedure_id=way.procedure.id, aspect=way.kind,
                    reply="\n".join(reply.texts))
    elif way.kind == UNKNOWN_SITUATION and way.procedure is None:
        reply = situation_unknown_among(way.candidates, kb.service_desk, offered(kb, way.nearby))
        events = declined(dispatcher, tracker, reply)
        record_turn(tracker, bot_events.UNRESOLVED, aspect="situation")
        return events
    elif way.kind == UNKNOWN_SITUATION:
        # What the letter also asks of the record in clauses of its own is answered after the "not known".
        beside = [Aspect(a) for a in plain_beside(kb, text, way.procedure)]
        reply = situation_unknown(way.procedure, kb.service_desk, beside, offered(kb, way.nearby))
        events = declined(dispatcher, tracker, with_feedback(reply, way.procedure) if beside else reply)
        record_turn(tracker, bot_events.UNRESOLVED, procedure_id=way.procedure.id, aspect="situation")
        return events + [SlotSet("procedure_id", way.procedure.id), SlotSet("case_id", None)]
    else:
        return None
    return [SlotSet("procedure_id", way.procedure.id), SlotSet("case_id", None)]


def letter_reply(ways: List[Route], desk) -> Reply:
    """The answers routes give about one procedure, in order: curated questions, record passages, facts of the
    record, then the questions of a letter nothing settles; the procedure's source once, after the last answer."""
    replies = []
    answering = [w for w in ways if w.kind != UNKNOWN_SITUATION]
    for way in ways:
        last = way is answering[-1]
        if way.kind == UNKNOWN_SITUATION:
            replies.append(unsettled_note(way.unsettled, desk))
        elif way.kind == QUESTION:
            replies.append(question_answer(way.procedure, way.question, related=last, lead=way.lead, bare=way.bare))
        elif way.kind == PASSAGE:
            replies.append(passage_answer(way.procedure, way.passage, related=last))
        elif way.kind == ELSEWHERE:
            replies.append(elsewhere_answer(way.procedure, way.elsewhere, related=last))
        elif way.kind == ONLINE:
            replies.append(online_answer(way.procedure, related=last, wholly=way.wholly))
        elif way.kind == FORM:
            replies.append(form_answer(way.procedure, related=last, case_id=way.case_id))
        elif way.kind == CONDITIONS:
            replies.append(conditions_answer(way.procedure, related=last))
        else:
            replies.append(answer_aspects(way.procedure, [Aspect(a) for a in way.aspects]))
    return together(*replies)


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
            record_turn(tracker, bot_events.FALLBACK)
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        guessed = next((ASPECT_BY_INTENT[r["name"]] for r in ranking if r.get("name") in ASPECT_BY_INTENT), None)
        decision = decide(kb, text=text, entity_texts=_entities(tracker, "procedure"))
        if decision.procedure is not None:
            return answer_turn(dispatcher, tracker, guessed or Aspect.overview, decision)
        current = kb.get(tracker.get_slot("procedure_id"))
        if decision.candidates and decision.named and len(decision.candidates) > 1:
            # Several named: what the words ask of them all ("... bao lâu" when they all take 7 days), or which one.
            return answer_turn(dispatcher, tracker, Aspect.overview, decision)
        if decision.candidates:
            situation = situation_turn(dispatcher, tracker, kb, text, None, decision.candidates)
            if situation is not None:
                return situation
            return offer_unnamed(dispatcher, tracker, kb, text, decision.candidates)
        situation = situation_turn(dispatcher, tracker, kb, text, current)
        if situation is not None:
            return situation
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
        if decision.suggestions:
            events = declined(dispatcher, tracker, uncovered(desk, search_words(text), decision.suggestions))
        else:
            events = declined(dispatcher, tracker, Reply([" ".join(lines)]))
        record_turn(tracker, bot_events.FALLBACK, procedure_id=current.id if current else "")
        return events


class ActionOutOfScope(Action):
    """A question outside public services: say so, and let staff see what was asked."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        kb = knowledge_base()
        text = tracker.latest_message.get("text") or ""
        decision = decide(kb, text=text, entity_texts=_entities(tracker, "procedure"))
        cues = asked_aspects(kb, text)
        if decision.procedure is not None or cues and named_shared_answer(decision, Aspect(cues[0])) is not None:
            # "Con 14 tuổi làm căn cước bao lâu?" names three procedures and asks what they all answer alike.
            return answer_turn(dispatcher, tracker, Aspect.overview, decision)
        # "còn nếu cháu đủ 15 tuổi thì sao?" names nothing: it is about the procedure under discussion.
        situation = situation_turn(dispatcher, tracker, kb, text, kb.get(tracker.get_slot("procedure_id")))
        if situation is not None:
            return situation
        if decision.candidates or decision.suggestions or public_service(text):
            # Never the off-topic brush-off for a public-service question we do not cover.
            events = declined(dispatcher, tracker, uncovered(kb.service_desk, search_words(text),
                                                             decision.candidates or decision.suggestions))
            record_turn(tracker, bot_events.UNRESOLVED)
            return events
        events = declined(dispatcher, tracker, Reply([OUT_OF_SCOPE_REPLY]))
        record_turn(tracker, bot_events.FALLBACK)
        return events


FEEDBACK_INTENTS = ("feedback_good", "feedback_bad")
MAX_PROCEDURE_ID = 120  # longer than any procedure id; the event log keeps no more
ANSWER_ACTION_PREFIX = "action_answer_"
ANSWERING_ACTIONS = ("action_helpful_fallback",)


def _answers(action_name: str) -> bool:
    return action_name.startswith(ANSWER_ACTION_PREFIX) or action_name in ANSWERING_ACTIONS


def rated_question(events: List[Dict[str, Any]]) -> tuple[str, bool]:
    """The citizen's question behind the answer being rated, and whether it was rated already.

    Walks back from the newest event: user turns after the last answer action
    are ratings (the newest is this one); the user turn before it is the question.
    """
    ratings = 0
    answered = False
    for event in reversed(events):
        if event.get("event") == "action" and _answers(str(event.get("name", ""))):
            answered = True
        elif event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if not answered:
                ratings += intent in FEEDBACK_INTENTS
            else:
                return str(event.get("text") or ""), ratings > 1
    return "", ratings > 1


def _intent(event: Dict[str, Any]) -> str:
    return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")


def _rated_ids(event: Dict[str, Any]) -> List[str]:
    """The procedure ids of the 👍 / 👎 buttons a bot message offered."""
    ids = []
    for button in (event.get("data") or {}).get("buttons") or []:
        intent, brace, entities = str(button.get("payload") or "").lstrip("/").partition("{")
        if intent not in FEEDBACK_INTENTS or not brace:
            continue
        try:
            value = json.loads(brace + entities).get("procedure_id")
        except (ValueError, AttributeError):
            continue
        if isinstance(value, str) and value:
            ids.append(value)
    return ids


def offered_procedure(events: List[Dict[str, Any]]) -> str:
    """The procedure whose 👍 / 👎 the bot's latest answer offered; "" when it offered none.

    Walks back over this rating (and earlier ratings of the same answer, and the replies to them) to the bot's
    messages; a question the citizen asked in between means the latest reply was not a rated answer.
    """
    for event in reversed(events):
        offered = _rated_ids(event) if event.get("event") == "bot" else []
        if offered:
            return offered[0]
        if event.get("event") == "user" and _intent(event) not in FEEDBACK_INTENTS:
            return ""
    return ""


def rated_procedure(tracker: Tracker, kb) -> str:
    """The procedure a 👍 / 👎 rates, or "" when it must not be recorded.

    Only the procedure the bot's latest answer offered the buttons for counts: a typed
    ``/feedback_bad{"procedure_id": ...}`` naming another one (or a button of an older answer), a rating with
    no answer before it, and ids the knowledge base does not know are not recorded, whatever the payload says.
    """
    offered = offered_procedure(tracker.events)
    claimed = _first(_entities(tracker, "procedure_id"))
    if not offered or len(offered) > MAX_PROCEDURE_ID or claimed not in (None, offered):
        return ""
    return offered if kb.get(offered) is not None else ""


class ActionRecordFeedback(Action):
    """👍 / 👎 after an answer: thank the citizen; a 👎 puts the question before staff."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        good = (tracker.latest_message.get("intent") or {}).get("name") == "feedback_good"
        procedure_id = rated_procedure(tracker, knowledge_base())
        question, repeated = rated_question(tracker.events)
        if procedure_id and not repeated:  # once per answer, and only for the answer shown
            kind = bot_events.FEEDBACK_UP if good else bot_events.FEEDBACK_DOWN
            record_turn(tracker, kind, text=question, procedure_id=procedure_id)
        elif not procedure_id:
            logger.debug("a rating no shown answer offered: not recorded")
        thanks = feedback_thanks(good, knowledge_base().service_desk, repeated)
        send(dispatcher, thanks if good else offer_person(thanks))  # a 👎: a person may help where the bot did not
        return []


# Load every procedure and index every passage when the action server starts (about 5 s), not on a citizen's
# first question.
_WARM = len(knowledge_base().passage_index)

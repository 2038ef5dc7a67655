"""Replies to situational questions: a curated answer, a quoted record passage, or an honest "not known".

"Có." and "Không." open a reply only when a curated answer, resting on a quoted
article of law, opens that way, or when the record says it in so many words: that one
may submit anywhere in the country ("trong cả nước, không phụ thuộc vào nơi cư trú",
quoted), or that there is an online service or channel. Any other passage of the
record is quoted as it stands, never turned into a yes or no.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence
from urllib.parse import urlparse

from knowledge.forms import named_forms
from knowledge.passages import CHANNEL, Passage
from knowledge.questions import Question
from knowledge.residence import HERE, anywhere
from knowledge.schema import Procedure, ServiceDesk
from replies.answers import (
    PORTAL,
    Aspect,
    Reply,
    answer_aspects,
    aspect_button,
    aspect_text,
    lapse_note,
    official,
    online_text,
    procedure_button,
    source_line,
    together,
    with_lapse_note,
)
from replies.chat_format import split_message

# What states a rate: an amount, a share, a fee.
_PRICED = re.compile(r"\d\s*%|\bđồng\b|\bthu\b|\bphí\b", re.IGNORECASE)

# Every reply that does not answer carries this phrase (the QA evaluation reads a reply as a citizen would).
NOT_VERIFIED = "mình chưa có câu trả lời đã được kiểm chứng"


def official_url(url: str) -> bool:
    """A state address (….gov.vn) is shown to citizens; copies of the law elsewhere stay for officers to check."""
    host = urlparse(url).hostname or ""
    return host == "gov.vn" or host.endswith(".gov.vn")


def _record_link(proc: Procedure) -> str:
    record = getattr(proc, "record", proc)
    return record.source.url if official(proc) and record.source.url else ""


def question_answer(
    proc: Procedure, question: Question, related: bool = True, lead: str = "", bare: bool = False,
) -> Reply:
    """The curated answer, the article it rests on in its own words, and the procedure's source (``related``: left
    to the last of several answers about one procedure). ``lead``: the yes or no of one of its ``leads``; ``bare``:
    the question was asked the other way round, so the answer goes without the "Có." or "Không." it opens with."""
    # A curated answer that states a rate's period ("từ 01/7/2025 đến hết 31/12/2026 chỉ thu 50%") says when it
    # ended; not one that states when something stopped holding ("sổ hộ khẩu … có giá trị … đến hết ngày
    # 31/12/2022"), where "ask the office for the rate charged now" would mean nothing.
    said = with_lapse_note(question.answer) if _PRICED.search(question.answer) else question.answer
    if bare:
        said = without_yes_no(said)
    parts = [f"{lead} {said}" if lead else said, f"Căn cứ: {question.basis}."]
    if question.quote:
        parts.append(f"Trích: «{question.quote}»")
    cited = f"Nguồn: {question.basis}"
    if official_url(question.source_url):
        cited += f" ({question.source_url})"
    cited += f"; câu trả lời do cán bộ rà soát ngày {question.reviewed:%d/%m/%Y}."
    parts.append(cited)
    if related:
        parts.append(f"Thủ tục liên quan: {proc.name}. {source_line(proc)}")
    return Reply(split_message("\n\n".join(parts)), [aspect_button(Aspect.papers), aspect_button(Aspect.where)])


# The yes or no a curated answer opens with: "Có.", "Không,", "Có, nếu …".
_YES_NO_OPENING = re.compile(r"^(?:Có|Không)[.,]\s+")


def without_yes_no(answer: str) -> str:
    """``answer`` without its opening "Có." or "Không," (what follows it, capitalised): "Có, nếu chủ sở hữu … đồng ý"
    -> "Nếu chủ sở hữu … đồng ý"."""
    rest = _YES_NO_OPENING.sub("", answer, count=1)
    return rest[:1].upper() + rest[1:] if rest != answer else answer


def passage_answer(proc: Procedure, passage: Passage, related: bool = True) -> Reply:
    """A passage of the record that speaks to the question, quoted, with its source; no yes or no of our own."""
    note = lapse_note(passage.text) if passage.kind == CHANNEL else ""
    text = (f"Về điều bạn hỏi, hồ sơ thủ tục {proc.name} ghi: «{passage.text}»{' ' + note if note else ''}\n"
            "Bạn đối chiếu với trường hợp của mình; chưa rõ thì hỏi Bộ phận Một cửa nơi nộp hồ sơ.")
    if related:
        text += f"\n\n{source_line(proc)}"
    return Reply(split_message(text), [aspect_button(Aspect.papers), aspect_button(Aspect.where)])


# A record that lets one submit anywhere within the province: yes, on that condition, which the citizen's place settles.
PROVINCE_HERE = "Có, nếu nơi bạn nộp cùng tỉnh, thành phố như hồ sơ thủ tục ghi dưới đây."
PROVINCE_HOME = "Không bắt buộc, nếu nơi bạn nộp cùng tỉnh, thành phố như hồ sơ thủ tục ghi dưới đây."


def elsewhere_answer(proc: Procedure, asked: str, related: bool = True) -> Reply:
    """Whether it can be done away from home ("làm ở đây được không", "có phải về quê không"): where to submit,
    opened with "Có."/"Không." when the record lets one submit anywhere in the country, with its condition ("Có, nếu
    … cùng tỉnh") when anywhere within the province, and the record's own words on it quoted."""
    stated = anywhere(proc)
    where = aspect_text(proc, Aspect.where)
    parts = []
    if stated is not None:
        if stated.province_only:
            lead = PROVINCE_HERE if asked == HERE else PROVINCE_HOME
        else:
            lead = "Có." if asked == HERE else "Không."
        if stated.text in where:
            # Where to submit says it itself ("... trong cả nước, không phụ thuộc vào nơi cư trú"): not twice.
            where = f"{lead} {where}".strip()
        else:
            parts.append(f"{lead} Hồ sơ thủ tục ghi ({stated.where}): «{stated.text}».".strip())
    parts.append(where)
    if related:
        parts.append(source_line(proc))
    return Reply(split_message("\n\n".join(parts)), [aspect_button(Aspect.papers), aspect_button(Aspect.fee)])


def form_answer(proc: Procedure, related: bool = True, case_id: str | None = None) -> Reply:
    """Which form ("dùng tờ khai mẫu nào"): the record's papers that name one, in the record's words; only those of
    the record's case ``case_id`` when it names one."""
    return _record_lines(proc, f"Mẫu đơn, tờ khai của thủ tục {proc.name}, theo hồ sơ trên {PORTAL}",
                         named_forms(proc, case_id), related,
                         [aspect_button(Aspect.papers), aspect_button(Aspect.where)])


def conditions_answer(proc: Procedure, related: bool = True) -> Reply:
    """What the conditions are ("cần điều kiện gì để được tách hộ"): the record's conditions, in its words."""
    where = f", theo hồ sơ trên {PORTAL}" if official(proc) else ""
    return _record_lines(proc, f"Điều kiện, yêu cầu để thực hiện thủ tục {proc.name}{where}", proc.conditions,
                         related, [aspect_button(Aspect.papers), aspect_button(Aspect.steps)])


def _record_lines(proc: Procedure, heading: str, lines: Sequence[str], related: bool, buttons) -> Reply:
    """A heading and the record's lines under it, one per bullet; the procedure's source after them when
    ``related``."""
    parts = [f"{heading}:\n" + "\n".join(f"- {line}" for line in lines)]
    if related:
        parts.append(source_line(proc))
    return Reply(split_message("\n\n".join(parts)), buttons)


def online_answer(proc: Procedure, related: bool = True, wholly: bool = False) -> Reply:
    """Whether it can be done online ("làm trên vneid dc ko hay bắt buộc ra công an xã"): what the record and the
    curated service level say of it ("Có." only for a channel or a service level that exists; asked whether it is
    done ``wholly`` online, "Không." for a service level "một phần")."""
    parts = [online_text(proc, wholly)]
    if related:
        parts.append(source_line(proc))
    return Reply(split_message("\n\n".join(parts)), [aspect_button(Aspect.papers), aspect_button(Aspect.where)])


def elsewhere_among(candidates: Sequence[Procedure], asked: str) -> Reply:
    """``elsewhere_answer`` for a few close procedures whose records say the same ("làm căn cước ở nơi tạm trú
    được không" is answered for first issue, renewal and reissue alike), each one's source given."""
    stated = anywhere(candidates[0])
    lead = "Có." if asked == HERE else "Không."
    names = "; ".join(p.name for p in candidates)
    sources = "\n".join(source_line(p) for p in candidates)
    text = f"{lead} Hồ sơ các thủ tục {names} đều ghi ({stated.where}): «{stated.text}».\n\n{sources}"
    return Reply([*split_message(text), "Bạn hỏi thủ tục nào để xem thêm?"],
                 [procedure_button(p) for p in candidates])


# A suggested question's button title is cut at a word within this many characters (Zalo lists the options in
# full, the widget on one or two lines); its payload keeps the whole phrasing.
SUGGESTION_TITLE_MAX = 90


def suggesting(count: int) -> str:
    """The line that introduces ``count`` suggested questions."""
    which = "câu hỏi gần giống" if count == 1 else "các câu hỏi gần giống"
    return f"Mình có câu trả lời đã kiểm chứng cho {which} dưới đây; bạn chọn nếu đúng trường hợp của mình."


def suggestion_button(phrasing: str) -> Dict[str, str]:
    """A button that asks a curated question in one of its own phrasings (capitalised, cut for the title)."""
    title = phrasing[:1].upper() + phrasing[1:]
    if len(title) > SUGGESTION_TITLE_MAX:
        title = title[:SUGGESTION_TITLE_MAX].rsplit(" ", 1)[0] + " …"
    return {"title": title, "payload": phrasing}


def situation_unknown(
    proc: Procedure, desk: ServiceDesk, beside: Sequence[Aspect] = (), suggested: Sequence[str] = (),
) -> Reply:
    """A question about a known procedure that no curated answer or record passage settles. ``beside``: the facts
    of the record the letter also asks in clauses of their own ("… có phải chịu thuế không, thủ tục tách thửa như
    thế nào?"), answered after the "not known", as what the record says for every case, not for theirs.
    ``suggested``: phrasings of the closest curated questions, offered as buttons (``actions.suggestions``)."""
    link = _record_link(proc)
    lines = [
        f"Về trường hợp cụ thể bạn hỏi ({proc.name}), {NOT_VERIFIED}, nên mình không trả lời để tránh sai.",
        f"Bạn hỏi Bộ phận Một cửa nơi nộp hồ sơ hoặc gọi tổng đài {desk.hotline}"
        + (f"; thông tin chính thức của thủ tục: {link}" if link else "") + ".",
    ]
    offers = [suggestion_button(p) for p in suggested]
    if beside:
        lines.append("Những điều bạn hỏi thêm, theo hồ sơ chung của thủ tục (chưa xét trường hợp riêng của bạn):")
        answered = answer_aspects(proc, beside)
        if offers:
            answered = together(answered, Reply([suggesting(len(offers))], offers))
        return together(Reply(["\n".join(lines)]), answered)
    if offers:
        lines.append(suggesting(len(offers)))
        return Reply(["\n".join(lines)], [*offers, aspect_button(Aspect.papers), aspect_button(Aspect.fee)])
    lines.append("Mình có thể cho bạn biết giấy tờ, lệ phí, thời gian hoặc nơi nộp của thủ tục này.")
    return Reply(["\n".join(lines)], [aspect_button(a) for a in (Aspect.papers, Aspect.fee, Aspect.time,
                                                                Aspect.where)])


# A question of a letter quoted in a reply is cut at a word within this many characters.
QUOTED_MAX = 90


def _quoted(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ?")
    return text if len(text) <= QUOTED_MAX else text[:QUOTED_MAX].rsplit(" ", 1)[0] + " …"


def unsettled_note(questions: Sequence[str], desk: ServiceDesk) -> Reply:
    """The questions of a letter left unanswered beside the answer given: said, not passed over in silence."""
    asked = "; ".join(f"«{_quoted(q)}»" for q in questions)
    return Reply([f"Với câu hỏi {asked}: {NOT_VERIFIED}, nên mình không trả lời để tránh sai. Bạn hỏi Bộ phận Một "
                  f"cửa nơi nộp hồ sơ hoặc gọi tổng đài {desk.hotline}."])


def situation_unknown_among(candidates: Sequence[Procedure], desk: ServiceDesk, suggested: Sequence[str] = ()) -> Reply:
    """A question about a situation that none of a few close procedures settles: say so at once rather than ask
    which procedure, since picking one would only lead to the same "not known"; the procedures stay as buttons,
    after the closest curated questions (``suggested``) when there are some."""
    lines = [
        f"Về trường hợp cụ thể bạn hỏi, {NOT_VERIFIED}, nên mình không trả lời để tránh sai.",
        f"Bạn hỏi Bộ phận Một cửa nơi nộp hồ sơ hoặc gọi tổng đài {desk.hotline} ({desk.opening_hours}); "
        "gõ \"gặp cán bộ\" để được hướng dẫn.",
    ]
    if suggested:
        lines.append(suggesting(len(suggested)))
    lines.append("Nếu bạn cần giấy tờ, lệ phí, thời gian hoặc nơi nộp, hãy chọn thủ tục bên dưới.")
    return Reply(["\n".join(lines)], [*(suggestion_button(p) for p in suggested),
                                      *(procedure_button(p) for p in candidates)])


def uncovered(desk: ServiceDesk, words: str, suggestions: List[Procedure]) -> Reply:
    """A public-service question the knowledge base has nothing on: where to look and whom to ask."""
    keywords = f", mục Thủ tục hành chính, với từ khóa «{words}»" if words else ""
    text = (f"Xin lỗi, {NOT_VERIFIED} cho câu hỏi này trong dữ liệu thủ tục của mình.\n"
            f"Bạn có thể tra cứu trên {desk.portal_name} ({desk.portal_url}){keywords}\n"
            f"hoặc gọi tổng đài {desk.hotline} ({desk.opening_hours}); gõ \"gặp cán bộ\" để được hướng dẫn.")
    buttons = [{"title": p.name, "payload": f'/inform_procedure{{"procedure_id":"{p.id}"}}'} for p in suggestions]
    if suggestions:
        text += "\nCó thể bạn muốn hỏi một trong các thủ tục bên dưới."
    return Reply([text], buttons)

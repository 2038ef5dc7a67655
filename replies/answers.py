"""Compose the Vietnamese answer for one aspect of one procedure.

Plain functions from a :class:`~knowledge.schema.Procedure` to text and
buttons, so every wording is unit-tested without Rasa. Every answer ends with
the source and the review date, and says where to check when a fact is
missing instead of filling the gap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Dict, List, Sequence, Tuple

from knowledge.national import CHANNELS_AS_PUBLISHED, OverlaidProcedure
from knowledge.periods import lapsed_ends, period_ends
from knowledge.residence import submitted_at
from knowledge.schema import (
    CHANNEL_LABELS,
    LEVEL_LABELS,
    ONLINE_LABELS,
    Channel,
    ChannelKind,
    NationalProcedure,
    OnlineLevel,
    Procedure,
    ServiceDesk,
)
from knowledge.time_notes import added_limits
from knowledge.variants import folded_words
from knowledge.vntext import fold, name_key
from replies.chat_format import split_message


class Aspect(str, Enum):
    """What the citizen wants to know about a procedure."""

    papers = "papers"
    fee = "fee"
    time = "time"
    where = "where"
    steps = "steps"
    online = "online"
    legal_basis = "legal_basis"
    overview = "overview"


ASPECT_BY_INTENT: Dict[str, Aspect] = {
    "ask_papers": Aspect.papers,
    "ask_fee": Aspect.fee,
    "ask_processing_time": Aspect.time,
    "ask_where": Aspect.where,
    "ask_steps": Aspect.steps,
    "ask_online": Aspect.online,
    "ask_legal_basis": Aspect.legal_basis,
    "ask_overview": Aspect.overview,
}

ASPECT_LABELS: Dict[Aspect, str] = {
    Aspect.papers: "Giấy tờ cần chuẩn bị",
    Aspect.fee: "Lệ phí",
    Aspect.time: "Thời gian giải quyết",
    Aspect.where: "Nộp ở đâu",
    Aspect.steps: "Các bước thực hiện",
    Aspect.online: "Làm trực tuyến",
    Aspect.legal_basis: "Căn cứ pháp lý",
    Aspect.overview: "Tổng quan",
}

_INTENT_BY_ASPECT = {aspect: intent for intent, aspect in ASPECT_BY_INTENT.items()}
MISSING = "chưa có thông tin được kiểm chứng; bạn vui lòng xem tại nguồn bên dưới hoặc hỏi Bộ phận Một cửa"
NOT_PUBLISHED = "Cổng Dịch vụ công quốc gia không công bố; bạn vui lòng hỏi Bộ phận Một cửa nơi nộp hồ sơ"
PORTAL = "Cổng Dịch vụ công quốc gia"


@dataclass
class Reply:
    """Messages to send, in order; buttons go with the last one."""

    texts: List[str]
    buttons: List[Dict[str, str]] = field(default_factory=list)


def payload(intent: str, **entities: str) -> str:
    """A Rasa button payload such as ``/inform_procedure{"procedure_id":"x"}``."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"


def aspect_button(aspect: Aspect) -> Dict[str, str]:
    """A button that asks about ``aspect`` of the current procedure."""
    return {"title": ASPECT_LABELS[aspect], "payload": payload(_INTENT_BY_ASPECT[aspect])}


def procedure_button(proc: Procedure) -> Dict[str, str]:
    """A button that picks ``proc``."""
    return {"title": proc.name, "payload": payload("inform_procedure", procedure_id=proc.id)}


def official(proc: Procedure) -> bool:
    """Its facts come from the national portal's published record."""
    return isinstance(proc, (NationalProcedure, OverlaidProcedure))


def _missing(proc: Procedure) -> str:
    """What to say for an empty fact: the portal does not publish it, or we have not verified it."""
    return NOT_PUBLISHED if official(proc) else MISSING


def source_line(proc: Procedure) -> str:
    """The footer every procedure answer ends with: code, portal link and the date of the facts."""
    if isinstance(proc, (NationalProcedure, OverlaidProcedure)):
        record = proc.record if isinstance(proc, OverlaidProcedure) else proc
        link = f" ({record.source.url})" if record.source.url else ""
        line = f"Nguồn: theo {PORTAL}, mã thủ tục {record.code}{link}, cập nhật {record.last_reviewed:%d/%m/%Y}"
        if proc.codes:
            # The records this entry also stands for (another level, or a part such as children under 14).
            line += "; gồm cả mã " + ", ".join(proc.codes)
        if isinstance(proc, OverlaidProcedure):
            for cited in dict.fromkeys(c.source for c in proc.channels if c.source):
                kinds = ", ".join(CHANNEL_LABELS[c.kind].lower() for c in proc.channels if c.source == cited)
                line += f"; thời hạn, lệ phí ({kinds}) theo {cited}"
            if proc.last_reviewed > record.last_reviewed:
                line += f"; cán bộ bổ sung, rà soát ngày {proc.last_reviewed:%d/%m/%Y}"
        return line + "."
    code = f", mã thủ tục {proc.code}" if proc.code else ""
    link = f": {proc.source.url}" if proc.source.url else ""
    return f"Nguồn: {proc.source.name}{code}{link}. Cập nhật ngày {proc.last_reviewed:%d/%m/%Y}."


def _numbered(items: List[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


# A paper the record already labels ("a) Sổ BHXH", "1.2. Bản sao giấy khai sinh"): numbered again it reads "1. a)".
_LABELLED = re.compile(r"^(?:[a-zđ]|\d+(?:\.\d+)*)[.)]\s")


def _paper_lines(papers) -> List[str]:
    lines = []
    for i, paper in enumerate(papers, 1):
        counts = []
        if paper.originals:
            counts.append(f"{paper.originals} bản chính")
        if paper.copies:
            counts.append(f"{paper.copies} bản sao")
        detail = f" ({', '.join(counts)})" if counts else ""
        form = f"; mẫu: {paper.form_code}" if paper.form_code else ""
        link = f"; tải mẫu: {paper.template_url}" if paper.template_url else ""
        note = f"\n   Lưu ý: {paper.note}" if paper.note else ""
        number = "" if _LABELLED.match(paper.name) else f"{i}. "
        lines.append(f"{number}{paper.name}{detail}{form}{link}{note}")
    return lines


def _unreadable(proc: NationalProcedure, what: str) -> str:
    return (f"{what} {proc.name}: bản dữ liệu của trợ lý chưa đọc được phần này từ {PORTAL}; "
            f"bạn xem tại {proc.source.url or PORTAL} hoặc hỏi Bộ phận Một cửa nơi nộp hồ sơ.")


def _record_papers_text(proc: NationalProcedure) -> str:
    """A record's papers: every group under its heading, as the portal lists them."""
    if "papers" in proc.unread:
        return _unreadable(proc, "Thành phần hồ sơ")
    if not proc.cases:
        return f"Thành phần hồ sơ {proc.name}: {NOT_PUBLISHED}."
    parts = [f"Hồ sơ {proc.name} theo {PORTAL}:"]
    for group in proc.cases:
        if len(proc.cases) > 1 or group.name != "Thành phần hồ sơ":
            parts.append(f"\n{group.name}:")
        parts.extend(_paper_lines(group.papers))
    return "\n".join(parts)


def _papers_text(proc: Procedure, case_id: str | None) -> str:
    if isinstance(proc, NationalProcedure):
        return _record_papers_text(proc)
    case = proc.case(case_id) if case_id else (proc.cases[0] if len(proc.cases) == 1 else None)
    assert case is not None
    lines = _paper_lines(case.papers)
    heading = f"Hồ sơ {proc.name}"
    if len(proc.cases) > 1:
        heading += f" - trường hợp: {case.name}"
    text = f"{heading}. Bạn chuẩn bị:\n" + "\n".join(lines)
    if case.note:
        text += f"\n\nLưu ý: {case.note}"
    return text


def _papers_all_cases(proc: Procedure) -> Reply:
    """Papers when the case is not known yet: what every case needs, then each case's extra papers.

    Nobody has to answer a question before seeing a list; the buttons narrow it down to one case.
    """
    text, buttons = _papers_all_cases_text(proc)
    return Reply(split_message(f"{text}\n\n{source_line(proc)}"), buttons)


def _papers_all_cases_text(proc: Procedure) -> Tuple[str, List[Dict[str, str]]]:
    keys = [{name_key(p.name) for p in case.papers} for case in proc.cases]
    shared = set.intersection(*keys) if keys else set()
    common = [p for p in proc.cases[0].papers if name_key(p.name) in shared]
    parts = [f"Hồ sơ {proc.name} tùy trường hợp."]
    if common:
        parts.append("Trường hợp nào cũng cần:\n" + "\n".join(_paper_lines(common)))
    parts.append("Thêm theo từng trường hợp:" if common else "Giấy tờ theo từng trường hợp:")
    for case in proc.cases:
        extra = [p.name for p in case.papers if name_key(p.name) not in shared]
        parts.append(f"- {case.name}: {'; '.join(extra) if extra else 'không cần thêm giấy tờ'}.")
    parts.append("Bạn chọn trường hợp của mình để xem đủ số bản và lưu ý.")
    buttons = [{"title": c.name, "payload": payload("ask_papers", case_id=c.id)} for c in proc.cases]
    return "\n".join(parts), buttons


def lists_every_case(proc: Procedure, aspect: Aspect, case_id: str | None) -> bool:
    """Papers of a curated entry whose case is not known: the answer lists every case."""
    if isinstance(proc, NationalProcedure):
        return False  # a record's paper groups are parts of one dossier, listed as published
    return aspect == Aspect.papers and len(proc.cases) > 1 and proc.case(case_id or "") is None


def _per_channel(proc: Procedure, attribute: str, title: str) -> str:
    if not proc.channels:
        published = [n for n in proc.notes if n.startswith(CHANNELS_AS_PUBLISHED)]
        if isinstance(proc, NationalProcedure) and published:
            # The portal's table did not read as channels: give it as published.
            return f"{title} {proc.name}, nguyên văn trên {PORTAL}:\n{published[0][len(CHANNELS_AS_PUBLISHED):]}"
        return f"{title} {proc.name}: {NOT_PUBLISHED}."
    lines = []
    for channel in proc.channels:
        value = getattr(channel, attribute) or _missing(proc)
        if attribute == "fee":
            value = with_lapse_note(value)
        # A record's channel note describes the channel (where, how), not the fee or the time.
        note = f" ({channel.note})" if channel.note and not official(proc) else ""
        lines.append((CHANNEL_LABELS[channel.kind], f"{value}{note}"))
    if len(lines) > 1 and len({value for _, value in lines}) == 1:
        # The same for every channel: said once ("Nộp trực tuyến, nộp qua bưu chính, nộp trực tiếp: 7 ngày").
        labels = [lines[0][0], *(label[0].lower() + label[1:] for label, _ in lines[1:])]
        lines = [(", ".join(labels), lines[0][1])]
    lines = [f"- {label}: {value}" for label, value in lines]
    if attribute == "processing_time" and any(_BARE_NUMBER.match(c.processing_time or "") for c in proc.channels):
        lines.append(UNITLESS_TIME)
    if attribute == "processing_time" and official(proc):
        # The record's note may say which case the figure is for and what the others take: quoted as written.
        added = list(dict.fromkeys(s for c in proc.channels for s in added_limits(c.processing_time, c.note)))
        if added:
            lines.append(f"Hồ sơ trên {PORTAL} ghi thêm: {_quoted(added)}.")
        elif not any(c.processing_time for c in proc.channels):
            # The table states no time, the steps often do: a household business "trong thời hạn 03 ngày làm việc kể
            # từ ngày nhận hồ sơ" (60 of the 171 records whose table has none). Quoted as written, never summed.
            stated = added_limits("", "\n".join(proc.steps))
            if stated:
                lines.append(f"Tuy vậy, phần Trình tự thực hiện của hồ sơ ghi: {_quoted(stated)}.")
    return f"{title} {proc.name}:\n" + "\n".join(lines)


def _quoted(statements: Sequence[str]) -> str:
    """The first ``TIME_NOTES_MAX`` statements of a record, each in quotes as written."""
    return "; ".join(f"«{s}»" for s in statements[:TIME_NOTES_MAX])


# Statements of the record's notes quoted beside a time (``knowledge.time_notes``), across its channels.
TIME_NOTES_MAX = 3


# 753 channels of 313 records give their time as a bare number ("1" for a birth registration): the portal's
# table lost the unit, and a citizen cannot tell a day from a working day from it.
_BARE_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")
UNITLESS_TIME = ("Cổng Dịch vụ công quốc gia chỉ ghi con số, không ghi đơn vị (ngày hay ngày làm việc); "
                 "bạn hỏi Bộ phận Một cửa để biết chính xác.")


def _with_unit_note(value: str) -> str:
    """A channel's time; a bare number says that its unit is not published."""
    return f"{value.strip()} (không ghi đơn vị trên {PORTAL})" if _BARE_NUMBER.match(value) else value


def _time_of(value: str) -> str:
    return _sentence(_with_unit_note(value))


def _where_text(proc: Procedure) -> str:
    levels = ", ".join(LEVEL_LABELS[level] for level in proc.levels)
    agency = proc.agency or _missing(proc)
    agency_line = f"Cơ quan giải quyết: {agency}" + (f" ({levels})." if levels else ".")
    if proc.where_to_submit:
        return f"Nơi nộp hồ sơ {proc.name}: {proc.where_to_submit}\n{agency_line}"
    described = [c for c in proc.channels if c.note]
    if official(proc) and described:
        lines = [f"- {CHANNEL_LABELS[c.kind]}: {c.note}" for c in described]
        return f"Nơi nộp hồ sơ {proc.name} theo {PORTAL}:\n" + "\n".join(lines) + f"\n{agency_line}"
    step = submitted_at(proc) if official(proc) else None
    if step is not None:
        # Most records leave "Địa chỉ tiếp nhận" empty while a step names the office: quoted as written.
        return f"Nơi nộp hồ sơ {proc.name}, theo {step.where} trên {PORTAL}: «{step.text}»\n{agency_line}"
    return f"Nơi nộp hồ sơ {proc.name}: {_missing(proc)}.\n{agency_line}"


def _steps_text(proc: Procedure) -> str:
    if isinstance(proc, NationalProcedure) and "steps" in proc.unread:
        return _unreadable(proc, "Các bước thực hiện")
    if not proc.steps:
        return f"Các bước thực hiện {proc.name}: {_missing(proc)}."
    text = f"Các bước thực hiện {proc.name}:\n{_numbered(proc.steps)}"
    if proc.conditions:
        text += "\n\nĐiều kiện, yêu cầu:\n" + "\n".join(f"- {c}" for c in proc.conditions)
    return text


def lapse_note(value: str | None, today: date | None = None) -> str:
    """What to say after a published fee when a period it states has ended ("" when none has).

    "135.000 đồng/lần … Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng"
    quoted in 2026 would offer a rate that ended: the note says which period is over and whom to ask for the
    rate charged now (the record may be updated later than the rate).
    """
    ends = lapsed_ends(value, today)
    if not ends:
        return ""
    days = ", ".join(f"{end.day:02d}/{end.month:02d}/{end.year}" for end in ends)
    if len(ends) < len(period_ends(value)):  # a later period still runs ("… đến hết ngày 31/12/2026"): it says the rate
        return f"(Lưu ý: thời hạn áp dụng đến hết ngày {days} nêu trên đã qua.)"
    return f"(Lưu ý: thời hạn áp dụng đến hết ngày {days} nêu trên đã qua; mức đang thu, bạn hỏi Bộ phận Một cửa.)"


def with_lapse_note(value: str, today: date | None = None) -> str:
    """A published fee (or an answer quoting one) as it stands, followed by :func:`lapse_note` when a period it
    states has ended; a text that states none, such as the "not published" wording, comes back as it is."""
    note = lapse_note(value, today)
    return f"{value.strip()} {note}" if note else value


def _sentence(text: str) -> str:
    """End a knowledge-base phrase with exactly one full stop, whether or not staff typed one."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# A step that says where one goes to submit online: "… truy cập Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh
# quốc gia", "nộp hồ sơ trực tuyến qua …".
_ONLINE_STEP = re.compile(r"\b(?:truy cập|đăng nhập)\b.*\b(?:cổng dịch vụ công|ứng dụng|vneid|trang thông tin điện tử)"
                          r"|\btrực tuyến (?:qua|tại|trên)\b", re.IGNORECASE)
_ONLINE_STEP_MAX = 400


def _how_online(proc: Procedure, online: Channel | None) -> str:
    """How one submits online, as a line: the online channel's note, else the record's step telling where one goes
    ("… truy cập Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh quốc gia"), quoted; "" when neither says it."""
    if online is not None and online.note:
        return f"\nCách nộp: {online.note}"
    step = next((str(s) for s in proc.steps if _ONLINE_STEP.search(str(s)) and len(str(s)) <= _ONLINE_STEP_MAX), "")
    return f"\nCách nộp trên mạng, theo hồ sơ: «{step.strip()}»" if step else ""


def _record_online_text(proc: Procedure, wholly: bool = False) -> str:
    """The record names channels, not the online service level: say what it lists. Asked whether it is done
    ``wholly`` online, no yes or no: a channel online may still need one to come in."""
    online = proc.channel(ChannelKind.truc_tuyen)
    if online is None:
        kinds = ", ".join(CHANNEL_LABELS[c.kind].lower() for c in proc.channels) or "không rõ"
        return (
            f"{PORTAL} không liệt kê cách nộp trực tuyến cho thủ tục {proc.name} "
            f"(các cách nộp được công bố: {kinds}). Bạn hỏi Bộ phận Một cửa để chắc chắn."
        )
    text = (f"Theo {PORTAL}, thủ tục {proc.name} nộp được trực tuyến; hồ sơ không ghi có bước nào phải đến cơ quan "
            "hay không, bạn hỏi Bộ phận Một cửa để chắc chắn." if wholly
            else f"Có. Theo {PORTAL}, thủ tục {proc.name} nộp được trực tuyến.")
    text += _how_online(proc, online)
    text += f"\nThời gian: {_time_of(online.processing_time or _missing(proc))}"
    text += f"\nLệ phí: {_sentence(with_lapse_note(online.fee or _missing(proc)))}"
    return text


def online_text(proc: Procedure, wholly: bool = False) -> str:
    """Whether ``proc`` is done online; ``wholly``: the citizen asks whether without going anywhere."""
    if proc.online is None:
        return _record_online_text(proc, wholly)
    level = proc.online.level
    if level == OnlineLevel.khong:
        text = f"Thủ tục {proc.name} hiện {ONLINE_LABELS[level]}; bạn nộp trực tiếp hoặc qua bưu chính."
    else:
        whole = (
            "làm toàn bộ trên mạng"
            if level == OnlineLevel.toan_trinh
            else "nộp hồ sơ trên mạng, một số bước vẫn cần đến cơ quan"
        )
        text = (f"Không. Thủ tục {proc.name} chỉ có {ONLINE_LABELS[level]} ({whole})."
                if wholly and level == OnlineLevel.mot_phan
                else f"Có. Thủ tục {proc.name} có {ONLINE_LABELS[level]} ({whole}).")
        if proc.online.url:
            text += f"\nĐịa chỉ: {proc.online.url}"
        online = proc.channel(ChannelKind.truc_tuyen)
        text += _how_online(proc, online)
        if online:
            time_text = _time_of(online.processing_time or _missing(proc))
            text += f"\nThời gian: {time_text}\nLệ phí: {_sentence(with_lapse_note(online.fee or _missing(proc)))}"
    return text


def _legal_text(proc: Procedure) -> str:
    if not proc.legal_basis:
        return f"Căn cứ pháp lý của thủ tục {proc.name}: {_missing(proc)}."
    return f"Căn cứ pháp lý của thủ tục {proc.name}:\n" + "\n".join(f"- {d}" for d in proc.legal_basis)


def _overview_text(proc: Procedure) -> str:
    unknown = "không công bố" if official(proc) else "chưa rõ"
    parts = [f"Thủ tục {proc.name} ({proc.field})."]
    if isinstance(proc, NationalProcedure) and proc.applicants:
        parts.append(f"Đối tượng thực hiện: {proc.applicants}.")
    parts.append(f"Cơ quan giải quyết: {proc.agency or unknown}.")
    if proc.where_to_submit:
        parts.append(f"Nơi nộp: {proc.where_to_submit}")
    for channel in proc.channels:
        parts.append(
            f"- {CHANNEL_LABELS[channel.kind]}: thời gian {_with_unit_note(channel.processing_time or unknown)}; "
            f"lệ phí {with_lapse_note(channel.fee or unknown)}"
        )
    parts.append(f"Kết quả: {proc.result or unknown}")
    if proc.online is not None:
        parts.append(f"Trực tuyến: {ONLINE_LABELS[proc.online.level]}.")
    if proc.notes:
        parts.append("Lưu ý:\n" + "\n".join(f"- {n}" for n in proc.notes))
    parts.append("Bạn muốn xem thêm phần nào?")
    return "\n".join(parts)


def _body(proc: Procedure, aspect: Aspect, case_id: str | None = None) -> str:
    if aspect == Aspect.papers:
        return _papers_text(proc, case_id)
    if aspect == Aspect.fee:
        return _per_channel(proc, "fee", "Phí, lệ phí")
    if aspect == Aspect.time:
        return _per_channel(proc, "processing_time", "Thời gian giải quyết")
    if aspect == Aspect.where:
        return _where_text(proc)
    if aspect == Aspect.steps:
        return _steps_text(proc)
    if aspect == Aspect.online:
        return online_text(proc)
    if aspect == Aspect.legal_basis:
        return _legal_text(proc)
    return _overview_text(proc)


def aspect_text(proc: Procedure, aspect: Aspect) -> str:
    """What the record says of one aspect, without the source line (for a reply that quotes more)."""
    return _body(proc, aspect, None)


# How records write that a channel costs nothing (folded, without the final stop): "Miễn phí", "Không có.", "Không thu
# phí.". Not "Không quy định", which may leave the fee to a province.
_NO_FEE = frozenset({"mien phi", "khong co", "khong thu phi", "khong thu le phi"})


def fee_lead(proc: Procedure, asked: str | None, said: Sequence[str] = ()) -> str:
    """The yes or no that opens a fee answer to "có mất phí không" ("costs") or "có được miễn phí không" ("free"):
    only when every channel the record publishes is plainly free, or waives the fee outright ("Miễn phí (Miễn lệ
    phí. ...)"), or waives it for someone ``said`` (the message's folded words) says the citizen is
    (``exemption_said``); a free channel with another note ("Miễn phí (Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh
    ...)") or any priced one leaves the amounts to speak."""
    if asked is None or not proc.channels:
        return ""
    exempt = exemption_said(proc, said)
    if exempt:
        lead = "Không mất lệ phí" if asked == "costs" else "Có, được miễn lệ phí"
        return f"{lead} với trường hợp bạn nêu: Cổng Dịch vụ công quốc gia ghi «{exempt}»."
    fees = [" ".join(fold(c.fee or "").lower().split()).rstrip(".") for c in proc.channels]
    if all(f in _NO_FEE for f in fees):
        return "Không mất phí." if asked == "costs" else "Có, miễn phí."
    # "Miễn phí (Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) ...)": the record says twice that
    # the procedure's fee is waived; what an optional copy costs follows in the amounts quoted.
    if all(f in _NO_FEE or _WAIVED.match(f) for f in fees):
        return "Không mất lệ phí." if asked == "costs" else "Có, miễn lệ phí."
    return ""


# Whom a record's fee note waives it for: "Miễn lệ phí cho người thuộc gia đình có công với cách mạng; người thuộc
# hộ nghèo; người khuyết tật", "Miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn, ...", "Miễn lệ phí đăng ký
# nuôi con nuôi trong nước đối với trường hợp ...; cô, cậu, dì, chú, bác ruột nhận cháu làm con nuôi".
_EXEMPTION = re.compile(r"miễn (?:lệ )?phí(?:\s+[^\s.();:]+){0,8}?\s+(?:cho|đối với)\b\s*:?\s*([^.()]*)",
                        re.IGNORECASE)
_GROUP_BREAKS = re.compile(r"\s*[;,+]\s*|\s+và\s+")
# Words of a group that say no one in particular ("người thuộc", "trường hợp", "những trường hợp sau").
_GROUP_FILLER = frozenset("nguoi thuoc truong hop cho doi voi cua cac nhung la sau lam".split())
EXEMPT_GROUP_WORDS = 2  # "người khuyết tật", "đúng hạn"; not "cô" alone, which folds as "có"
_NEGATION = frozenset({"khong", "ko", "k", "chua", "hok"})


def exemption_said(proc: Procedure, said: Sequence[str]) -> str:
    """The record's fee note that waives the fee for a group the message says the citizen belongs to, word for word
    (the procedure's own name aside where enough is left, at least ``EXEMPT_GROUP_WORDS`` words, not right after a
    "không"): "nhà em thuộc hộ nghèo ... có phải nộp lệ phí không" meets "người thuộc hộ nghèo". "" when none."""
    if not said:
        return ""
    name, words = set(folded_words(proc.name)), set(said)
    notes = {m.group(0).strip(): m.group(1) for c in proc.channels for m in _EXEMPTION.finditer(c.fee or "")}
    for note, whom in notes.items():
        for group in _GROUP_BREAKS.split(whom):
            wanted = {w for w in folded_words(group) if w not in _GROUP_FILLER}
            # "đăng ký khai tử đúng hạn" is said as "khai tử đúng hạn"; "hộ nghèo" keeps the "hộ" of "hộ tịch"
            unnamed = wanted - name
            wanted = unnamed if len(unnamed) >= EXEMPT_GROUP_WORDS else wanted
            if len(wanted) < EXEMPT_GROUP_WORDS or not wanted <= words:
                continue
            first = min(i for i, w in enumerate(said) if w in wanted)
            if not _NEGATION & set(said[max(0, first - 2):first]):
                return note
    return ""


# Whether a reduced rate one heard of holds: "nghe nói đang giảm 50% đúng ko", "được giảm 50% thì giờ còn áp dụng
# ko", "nộp online được giảm còn 115k đúng không" (folded words).
_ASKS_REDUCED = re.compile(r"\b(?:giam|uu dai)\b(?:\s+\S+){0,8}?\s+(?:dung|con ap dung|con|duoc|phai)?\s*"
                           r"(?:khong|ko|k|hok|chua)\b")
_RATE_SENTENCE = re.compile(r"[^.;]*?đến hết(?: ngày)? \d{1,2}/\d{1,2}/\d{4}[^.;]*", re.IGNORECASE)


def reduced_rate_lead(proc: Procedure, said: str, today: date | None = None) -> str:
    """"Có" and the record's sentence, when the message asks whether a reduced rate still holds and the record's fee
    states one whose period ("đến hết ngày 31/12/2026") has not ended: "Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026
    mức thu lệ phí cấp đổi, cấp lại thẻ căn cước bằng 50% mức thu nêu trên". Nothing when every such period has
    ended: the lapse note says so, and a newer rate may exist that the record does not state yet."""
    if not _ASKS_REDUCED.search(said):
        return ""
    running: Dict[str, date] = {}  # each sentence stating a reduced rate whose period runs, with the period's end
    for channel in proc.channels:
        for sentence in _RATE_SENTENCE.findall(channel.fee or ""):
            sentence = " ".join(sentence.strip(" -+").split())
            ends = period_ends(sentence)
            if re.search(r"\d+\s*%|giảm|bằng \d", sentence, re.IGNORECASE) and ends \
                    and not lapsed_ends(sentence, today):
                running[sentence] = ends[-1]
    if len(running) != 1:
        return ""
    (sentence, end), = running.items()
    # "tháng 1/2027 đi đổi thì còn giảm không": a month asked after the period is not answered from it
    asked = [(int(y), int(m)) for m, y in re.findall(r"\b(\d{1,2})\s*/\s*(\d{4})\b", said)]
    asked += [(int(y), 12) for y in re.findall(r"\bnam\s+(\d{4})\b", said)]
    if any((y, m) > (end.year, end.month) for y, m in asked):
        return ""
    return f"Có, đến hết ngày {end.day:02d}/{end.month:02d}/{end.year}: Cổng Dịch vụ công quốc gia ghi «{sentence}»."


# Waived outright: "Miễn lệ phí." / "Miễn lệ phí)" / "Miễn lệ phí (Thông tư ...)"; not "Miễn lệ phí đối với người
# ..." (for some applicants only).
_WAIVED = re.compile(r"^mien phi \(+mien le phi\s*(?:[.)]|\((?:thong tu|nghi dinh|luat)\b)")


def with_lead(reply: Reply, lead: str) -> Reply:
    """``reply`` with ``lead`` before its first message."""
    if not lead or not reply.texts:
        return reply
    return Reply([f"{lead} {reply.texts[0]}", *reply.texts[1:]], reply.buttons)


def answer(proc: Procedure, aspect: Aspect, case_id: str | None = None) -> Reply:
    """The full reply for ``aspect`` of ``proc``, split into chat-sized messages."""
    if lists_every_case(proc, aspect, case_id):
        return _papers_all_cases(proc)
    texts = split_message(f"{_body(proc, aspect, case_id)}\n\n{source_line(proc)}")
    buttons = [aspect_button(a) for a in (Aspect.papers, Aspect.fee, Aspect.time, Aspect.where) if a != aspect]
    return Reply(texts, buttons if aspect == Aspect.overview else [])


# A letter asks two or three things ("hồ sơ gồm những gì, nộp ở đâu, mất bao lâu"); at most this many are
# answered in one reply, so that it stays readable in a chat.
MAX_ASPECTS = 2


def answer_aspects(proc: Procedure, aspects: Sequence[Aspect], case_id: str | None = None) -> Reply:
    """Several aspects of ``proc`` in one reply, the source once at the end.

    Papers whose case is not known keep their own reply (every case, with buttons to narrow down).
    """
    chosen = list(dict.fromkeys(aspects))[:MAX_ASPECTS]
    if len(chosen) == 1:
        return answer(proc, chosen[0], case_id)
    parts: List[str] = []
    buttons: List[Dict[str, str]] = []
    for aspect in chosen:
        if lists_every_case(proc, aspect, case_id):
            text, buttons = _papers_all_cases_text(proc)
            parts.append(text)
        else:
            parts.append(_body(proc, aspect, case_id))
    parts.append(source_line(proc))
    return Reply(split_message("\n\n".join(parts)), buttons)


def together(first: Reply, *more: Reply) -> Reply:
    """Answers to the several questions of one letter, in the order asked; their buttons once each."""
    texts = [t for r in (first, *more) for t in r.texts]
    buttons = list({b["payload"]: b for r in (first, *more) for b in r.buttons}.values())
    return Reply(texts, buttons)


FEEDBACK_QUESTION = "Thông tin này có giúp ích cho bạn không?"
FEEDBACK_GOOD = "👍 Hữu ích"
FEEDBACK_BAD = "👎 Chưa hữu ích"


def feedback_buttons(proc: Procedure) -> List[Dict[str, str]]:
    """👍 / 👎 for an answer about ``proc`` (numbered options on Zalo)."""
    return [
        {"title": FEEDBACK_GOOD, "payload": payload("feedback_good", procedure_id=proc.id)},
        {"title": FEEDBACK_BAD, "payload": payload("feedback_bad", procedure_id=proc.id)},
    ]


def with_feedback(reply: Reply, proc: Procedure) -> Reply:
    """The answer, then a short question whose buttons are the answer's own plus 👍 / 👎.

    One message carries every button so that Zalo's numbered options stay whole.
    """
    return Reply([*reply.texts, FEEDBACK_QUESTION], [*reply.buttons, *feedback_buttons(proc)])


def feedback_thanks(good: bool, desk: ServiceDesk, repeated: bool = False) -> Reply:
    """What the bot says after a 👍 or a 👎."""
    if repeated:
        return Reply(["Bạn đã góp ý cho câu trả lời này rồi. Cảm ơn bạn!"])
    if good:
        return Reply(["Cảm ơn bạn! Bạn cần hỏi thêm thủ tục nào cứ nhắn mình nhé."])
    return Reply([
        "Cảm ơn bạn đã góp ý. Mình đã ghi lại câu hỏi để cán bộ rà soát và bổ sung câu trả lời. "
        f"Cần hỗ trợ ngay, bạn gọi tổng đài {desk.hotline} hoặc xem {desk.portal_url}."
    ])


def shared_answer(candidates: List[Procedure], aspect: Aspect) -> Reply | None:
    """One answer for a few close procedures when the asked fact is the same for all of them.

    "làm căn cước mất bao lâu": first issue, renewal and reissue all take 7 working
    days, so the citizen is told that, with each procedure's source, instead of
    being asked which one. Only for the processing time and the fee, and only when
    every channel of every candidate publishes the one same value.
    """
    attribute = {Aspect.time: "processing_time", Aspect.fee: "fee"}.get(aspect)
    if attribute is None or len(candidates) < 2:
        return None
    values = {getattr(c, attribute) for proc in candidates for c in proc.channels}
    if len(values) != 1 or not all(proc.channels for proc in candidates):
        return None
    (value,) = values
    if not value:
        return None
    title = "Thời gian giải quyết" if aspect == Aspect.time else "Phí, lệ phí"
    names = "; ".join(p.name for p in candidates)
    value = with_lapse_note(value) if aspect == Aspect.fee else value
    text = (f"{title} giống nhau cho các thủ tục: {names}. "
            f"Mọi cách nộp được công bố: {_sentence(value)}")
    sources = "\n".join(source_line(p) for p in candidates)
    return Reply([*split_message(f"{text}\n\n{sources}"), "Bạn hỏi thủ tục nào để xem thêm?"],
                 [procedure_button(p) for p in candidates])


def ambiguity_question(candidates: List[Procedure]) -> Reply:
    """Ask which of a few close procedures the citizen means."""
    options = _numbered([p.name for p in candidates])
    text = f"Bạn muốn hỏi thủ tục nào?\n{options}"
    return Reply([text], [procedure_button(p) for p in candidates])


def not_found(desk: ServiceDesk, suggestions: List[Procedure]) -> Reply:
    """No procedure matched: say so, suggest the closest, point to the portal."""
    text = "Xin lỗi, mình chưa tìm thấy thủ tục bạn hỏi trong dữ liệu của mình."
    if suggestions:
        text += " Có phải bạn muốn hỏi một trong các thủ tục sau?\n" + _numbered([p.name for p in suggestions])
    text += (
        f"\nBạn cũng có thể tra cứu trên {desk.portal_name} ({desk.portal_url}) "
        f"hoặc gọi tổng đài {desk.hotline}."
    )
    return Reply([text], [procedure_button(p) for p in suggestions])

"""Parse the national portal's flattened cells into structure, keeping the text where a cell will not parse.

The portal's procedure pages are tables; the snapshot (``../shared/national-tthc``)
keeps each table as its cells run together without separators ("Trực tiếp7 Ngày
làm việc50,000 Việt Nam Đồng(...)Mô tả..."). Each function here takes one such
field and returns structure plus a flag saying whether it parsed, so the importer
can count what it structured and what it kept as published text.

Rules that matter to citizens:

- An empty or ``0`` fee is *not published*, never free. "Miễn phí" is free only
  when the cell has no note or its note says so too: "Miễn phí(Lệ phí cấp giấy
  phép lái xe: 135.000 đồng)" is the portal's way of showing a fee it stored as 0,
  and then the note is the fee.
- Texts keep the portal's wording and typos; only page furniture is stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Tuple

NO_INFO = "Không có thông tin"

# ---------------------------------------------------------------- channels

CHANNEL_KINDS = {"Trực tiếp": "truc_tiep", "Trực tuyến": "truc_tuyen", "Dịch vụ bưu chính": "buu_chinh"}
_CHANNELS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
# A row starts where a channel's name is glued to its time cell (a number or "Không có thông tin").
_ROW = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|Không có thông tin)")
_TIME = re.compile(
    r"(?:(?P<n>\d+(?:[.,]\d+)?)(?!\d|[.,]\d|\s*(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD))"
    r"\s*(?P<unit>Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Tuần|Phút)?"
    r"|(?P<none>Không có thông tin)"
    r"|(?=\d[\d.,]*\s*(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD)))"
)
_FEE = re.compile(
    r"(?P<free>Miễn phí)"
    r"|(?P<none>Không có thông tin)"
    r"|(?P<amount>\d[\d.,]*)?\s*(?P<cur>Việt Nam Đồng|VNĐ|Đồng|đồng|USD)"
)
_SAYS_FREE = re.compile(r"miễn|không thu|không phải nộp|không mất phí", re.IGNORECASE)
_AMOUNT_IN_TEXT = re.compile(r"\d[\d.,]*\s*(?:đồng|Đồng|VNĐ|USD|%)")
_UNITS = {"Ngày làm việc": "ngày làm việc", "Ngày": "ngày", "Giờ làm việc": "giờ làm việc", "Giờ": "giờ",
          "Tháng": "tháng", "Năm": "năm", "Tuần": "tuần", "Phút": "phút"}


@dataclass(frozen=True)
class ChannelCell:
    """One row of the "Cách thức thực hiện" table."""

    kind: str
    processing_time: str  # "" when the portal publishes none
    fee: str  # "" when the portal publishes none (empty or 0), never "free" by default
    note: str
    time_parsed: bool
    fee_parsed: bool


def _balanced_parenthesis(text: str, start: int) -> int:
    """Index just past the parenthesis group opening at ``start`` (the text's end if it never closes)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _money(amount: str) -> int | None:
    digits = re.sub(r"[.,]", "", amount)
    return int(digits) if digits.isdigit() else None


def _vnd(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đồng"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" -;")


def _fee_text(match: re.Match | None, detail: str) -> Tuple[str, bool]:
    """The fee as a citizen should read it, and whether the cell parsed."""
    detail = _clean(detail)
    if detail.lower() in {"không", "không có", NO_INFO.lower()}:
        detail = ""
    if match is None:
        return detail, False
    if match.group("none"):
        return detail, True
    if match.group("free"):
        if detail and (_AMOUNT_IN_TEXT.search(detail) or not _SAYS_FREE.search(detail)):
            # The portal stored 0 and explained the real fee, or its absence, in the note:
            # "Miễn phí(Lệ phí ...: 135.000 đồng)", "Miễn phí(Thực hiện theo Thông tư 244/2016/TT-BTC)",
            # "Miễn phí(Miễn cho hộ nghèo; trường hợp khác 50.000 đồng)": the note alone, never "free".
            return detail, True
        return "Miễn phí" + (f" ({detail})" if detail else ""), True
    value = _money(match.group("amount") or "")
    currency = match.group("cur")
    if not value:
        return detail, True  # "VNĐ" alone or 0: not published
    if currency in {"USD"}:
        main = f"{value:,} USD".replace(",", ".")
    elif value < 1000 and detail and _AMOUNT_IN_TEXT.search(detail):
        # "150 VNĐ(150.000 đồng/lần/thẻ)": the amount is in thousands; the note is right.
        return detail, True
    elif value < 1000:
        # "120 VNĐ" alone: 120 đồng or 120.000? Keep what the portal published.
        return match.group(0).strip(), False
    else:
        main = _vnd(value)
    if detail.startswith("/"):
        # "10.000 Đồng(/trường hợp)": the unit the amount is per, read as one ("10.000 đồng/trường hợp")
        return main + detail, True
    return main + (f" ({detail})" if detail else ""), True


def parse_channels(text: str) -> Tuple[List[ChannelCell], bool]:
    """Rows of "Cách thức thực hiện"; ``False`` when the cell does not have the table's shape."""
    body = (text or "").strip()
    if body.startswith(_CHANNELS_HEADER):
        body = body[len(_CHANNELS_HEADER):]
    starts = list(_ROW.finditer(body))
    if not starts:
        return [], False
    cells: List[ChannelCell] = []
    seen = set()
    for i, start in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        row = body[start.end():end]
        kind = CHANNEL_KINDS[start.group(1)]
        time_match = _TIME.match(row)
        processing_time, time_parsed = "", False
        pos = 0
        if time_match:
            time_parsed = True
            pos = time_match.end()
            if time_match.group("n"):
                unit = time_match.group("unit")
                processing_time = f"{time_match.group('n')} {_UNITS[unit]}" if unit else time_match.group("n")
        fee_match = _FEE.match(row, pos)
        detail = ""
        if fee_match:
            pos = fee_match.end()
            if pos < len(row) and row[pos] == "(":
                close = _balanced_parenthesis(row, pos)
                detail = row[pos + 1:close - 1] if row[close - 1:close] == ")" else row[pos + 1:close]
                pos = close
        fee, fee_parsed = _fee_text(fee_match, detail)
        note = _clean(row[pos:])
        if kind in seen:
            # The same channel twice: keep the first row, add the other as a note.
            previous = next(c for c in cells if c.kind == kind)
            extra = _clean(f"{processing_time} {fee} {note}")
            cells[cells.index(previous)] = ChannelCell(
                kind, previous.processing_time, previous.fee, _clean(f"{previous.note} {extra}"),
                previous.time_parsed, previous.fee_parsed)
            continue
        seen.add(kind)
        cells.append(ChannelCell(kind, processing_time, fee, note, time_parsed, fee_parsed))
    return cells, all(c.time_parsed and c.fee_parsed for c in cells)


# ------------------------------------------------------------------ papers

_PAPERS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The table's own footnote printed as its first row ("Trường hợp không quy định rõ bản chính thì có thể nộp bản
# sao hợp lệ0 bản chính,1 bản sao"): a rule about copies, not a paper.
_COPIES_FOOTNOTE = re.compile(r"^Trường hợp không quy định (?:rõ |là )*bản chính")
_COUNT = re.compile(r"(\d+) bản (chính|sao)(?:,\s*(\d+) bản (chính|sao))?")
_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|rar|zip)\b", re.IGNORECASE)
_FORM_CODE = re.compile(
    r"(?:[Mm]ẫu(?: số)?|[Tt]ờ khai(?: mẫu)?(?: số)?)\s*:?\s*(?P<code>(?:[A-ZĐ]{1,6}[\s.\-]?)?\d{1,3}[a-z]?"
    r"(?:[/\-.][A-Za-z0-9Đđ]+)*)"
)


_UPPER = "A-ZĐÁÀẢÃẠÂẤẦẨẪẬĂẮẰẲẴẶÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
# A capitalised word glued to the text before it: where a form's file name starts.
_GLUED_CAPITAL = re.compile(rf"(?<=[a-zà-ỹđ0-9).,;:])(?=[{_UPPER}])")


@dataclass(frozen=True)
class PaperCell:
    name: str
    form_code: str
    form_file: str
    originals: int
    copies: int


@dataclass
class PaperGroup:
    heading: str
    papers: List[PaperCell] = field(default_factory=list)


def _split_form_file(text: str) -> Tuple[str, str]:
    """'Tờ khai ... (Mẫu TK01)Mẫu TK01.docx' -> ('Tờ khai ... (Mẫu TK01)', 'Mẫu TK01.docx')."""
    ext = None
    for match in _FILE.finditer(text):
        ext = match
    if ext is None or ext.end() != len(text.rstrip()):
        return text, ""
    # The file name is glued to the paper's name: it starts where a capital letter follows
    # a lower-case letter, a digit or punctuation with no space between.
    glued = [m.start() for m in _GLUED_CAPITAL.finditer(text[: ext.start()])]
    if not glued:
        return "", text.strip()
    # Portal file names are often stripped of diacritics ("MuCT01banhnhkmtheo.doc"): the earliest
    # glued start after which the text is plain ASCII; otherwise the last glued capital.
    ascii_starts = [i for i in glued if text[i: ext.start()].isascii()]
    cut = ascii_starts[0] if ascii_starts else glued[-1]
    name = re.sub(r"\)\.\d+\.$", ").", text[:cut].strip())
    return name, text[cut:].strip()


def _form_code(*texts: str) -> str:
    for text in texts:
        match = _FORM_CODE.search(text or "")
        if match:
            return match.group("code").strip(" .-")
    return ""


def _heading(text: str) -> str:
    text = _clean(text)
    text = re.sub(r"^[*+\-–•\s]+", "", text).strip()
    return "" if not text or set(text) <= {"-"} else text.rstrip(":").strip()


# "b) Đơn đề nghị": the letter a row is labelled with in the decision that lists the papers; "3. Biên bản ...": the
# number.
_LETTER_LABEL = re.compile(r"^([a-zđ])\)\s")
_NUMBER_LABEL = re.compile(r"^(\d{1,2})[.)]\s")
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"


def _in_label_order(group: PaperGroup) -> PaperGroup:
    """Papers labelled a), b), đ) ... or 1., 2., 3. ... in the order of their labels: the page lists them shuffled
    ("d), b), đ), c), e), a)" in 1.001613; "4., 7., 3., 2., 1., 6., 5." in 1.001643), which reads as if "a) Sổ
    BHXH" were an afterthought and sends the citizen hunting for paper 1. Numbers that repeat (two lists run
    together) are left in the page's order."""
    if len(group.papers) < 2:
        return group
    if all(_LETTER_LABEL.match(p.name) for p in group.papers):
        group.papers.sort(key=lambda p: _ALPHABET.index(p.name[0]))  # the label's letter opens the name
        return group
    numbers = [_NUMBER_LABEL.match(p.name) for p in group.papers]
    if all(numbers) and len({int(m.group(1)) for m in numbers}) == len(numbers):
        group.papers.sort(key=lambda p: int(_NUMBER_LABEL.match(p.name).group(1)))
    return group


def _parenthesised(text: str, start: int, at: int) -> bool:
    """The count at ``at`` is one a paper's name states in parentheses: written apart from the word before it
    ("Phụ lục (01 bản chính)", "(01 bản chính hoặc 01 bản sao có chứng thực)"), inside a parenthesis opened after
    ``start`` that closes later in ``text``. The table's count column is glued to its row, even after a parenthesis
    left open ("… thủ tục này.1 bản chínhc) Đối với …", where the next row's label closes it)."""
    if at == 0 or text[at - 1] not in "( ":
        return False
    opened = []
    for i in range(start, at):
        if text[i] == "(":
            opened.append(i)
        elif text[i] == ")" and opened:
            opened.pop()
    return bool(opened) and _balanced_parenthesis(text, opened[-1]) < len(text)


def parse_papers(text: str) -> Tuple[List[PaperGroup], bool]:
    """Groups of papers under the headings the portal gives them; ``False`` when nothing had the table's shape."""
    body = (text or "").strip()
    if not body or body == NO_INFO or _PAPERS_HEADER not in body:
        return [], False
    pieces = body.split(_PAPERS_HEADER)
    groups: List[PaperGroup] = []
    heading = _heading(pieces[0])
    for piece in pieces[1:]:
        group = PaperGroup(heading)
        pos = 0
        last_end = 0
        for count in _COUNT.finditer(piece):
            if _parenthesised(piece, pos, count.start()):
                # "Phiếu yêu cầu theo Mẫu số 01a tại Phụ lục (01 bản chính) (khoản 1 Điều 27 ...)": a count the
                # paper's name states in parentheses is not the table's count column, which ends the row.
                continue
            row = piece[pos:count.start()]
            pos = count.end()
            last_end = pos
            counts = {count.group(2): int(count.group(1))}
            if count.group(3):
                counts[count.group(4)] = int(count.group(3))
            name, form_file = _split_form_file(row)
            name = _clean(name)
            if not name and form_file:
                name, form_file = _clean(form_file), ""
            if not name or _COPIES_FOOTNOTE.match(name):
                continue
            originals, copies = counts.get("chính", 0), counts.get("sao", 0)
            if originals == 0 and copies == 0 and name.endswith(":"):
                # "- Giấy tờ phải xuất trình:0 bản chính": a heading inside the table.
                if group.papers:
                    groups.append(group)
                group = PaperGroup(_heading(name))
                continue
            group.papers.append(PaperCell(name, _form_code(name, form_file), form_file, originals, copies))
        if group.papers:
            groups.append(_in_label_order(group))
        heading = _heading(piece[last_end:])  # text after the last row heads the next table
    parsed = bool(groups) and all(g.papers for g in groups)
    return groups, parsed


# ------------------------------------------------------------- whole page

# The page's headings in the order it prints them, as they stand in the record's ``raw_text``.
_PAGE_HEADINGS = {"steps": "Trình Tự Thực Hiện", "channels": "Cách Thức Thực Hiện", "papers": "Thành phần hồ sơ",
                  "legal_basis": "Căn cứ pháp lý"}


def page_section(raw_text: str, name: str) -> str:
    """One section (steps, channels, papers, legal_basis) cut from the page's whole text; "" when not found.

    The snapshot's cells end a section at the first "Thành phần hồ sơ" they meet, so a step that cites "mục
    9.3 (Thành phần hồ sơ)" cuts the steps there and the rest of them fill the papers cell (28 records, most of
    them social insurance). Found in page order, each heading after the one before it, the sections are whole.
    """
    text = raw_text or ""
    bounds = []
    pos = 0
    for heading in _PAGE_HEADINGS.values():
        start = text.find(heading, pos)
        if start < 0:
            return ""
        pos = start + len(heading)
        bounds.append((start, pos))
    names = list(_PAGE_HEADINGS)
    i = names.index(name)
    end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
    return text[bounds[i][1]:end].strip()


# ------------------------------------------------------------- legal basis

_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_DOC_NUMBER = re.compile(r"\d+[a-z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9]*(?:[\-–][A-ZĐ0-9]+)*")
# Where the next row's title starts, glued to the previous row's number ("...TT-BTCThông tư số ...").
_TITLE_START = re.compile(
    r"(?:Luật|Bộ luật|Nghị|Thông|Quyết|Pháp|Văn|Hiến|Chỉ|Công|Hướng|Điều|Hiệp|Lệnh|Sắc|Kế|Quy|Danh|Chương|Tiêu"
    r"|Biểu|Mẫu|Nội|Chiến|Đề|Chương)"
)


@dataclass(frozen=True)
class LegalCell:
    number: str
    title: str


def parse_legal_basis(text: str) -> Tuple[List[LegalCell], bool]:
    """(number, title) per document; a row ends where its number is followed by the next title or the end."""
    body = (text or "").strip()
    if body.startswith(_LEGAL_HEADER):
        body = body[len(_LEGAL_HEADER):]
    if not body or body == NO_INFO:
        return [], False
    rows: List[LegalCell] = []
    pos = 0
    for match in _DOC_NUMBER.finditer(body):
        number = match.group(0)
        # The number may have swallowed the capital that starts the next title: give letters back.
        end = match.end()
        while end > match.start() and not (end == len(body) or _TITLE_START.match(body, end)):
            if not body[end - 1].isupper():
                end = -1
                break
            end -= 1
        if end <= match.start() or body[end - 1] in "/-–":
            continue
        number = body[match.start():end]
        title = _clean(body[pos:match.start()])
        pos = end
        if title:
            rows.append(LegalCell(number, title))
    rest = _clean(body[pos:])
    if rest:
        rows.append(LegalCell("", rest))
    parsed = bool(rows) and all(r.number for r in rows)
    return rows, parsed


# ----------------------------------------------------- steps, result, misc

_STEP = re.compile(r"^\s*[-*+]?\s*(Bước\s*\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)


# A steps cell that stops mid-sentence: "... theo quy định tại mục", "... tại mục 5.3 (", "... tại tiết 1 mục" (a
# division named without its number).
_CUT_OFF = re.compile(r"(?:\btại mục(?:\s+[\d.]+)?|\b(?:tiết|mục|điểm|khoản|điều|tại)|\()\s*$", re.IGNORECASE)


def cut_off(steps: List[str]) -> bool:
    """The steps as read end in the middle of a sentence: the portal's cell is cut off there."""
    return bool(steps) and bool(_CUT_OFF.search(steps[-1]))


def parse_steps(text: str) -> Tuple[List[str], bool]:
    """One item per "Bước N" with its bullets; every non-empty line otherwise (``False``)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line and line != NO_INFO]
    if not lines:
        return [], False
    steps: List[str] = []
    structured = False
    for line in lines:
        match = _STEP.match(line)
        bullet = _clean(re.sub(r"^[-+•*]\s*", "", line))
        if match:
            structured = True
            steps.append(_clean(match.group(2)))
        elif structured and steps:
            steps[-1] = f"{steps[-1]}\n   - {bullet}" if steps[-1] else bullet
        elif bullet:
            steps.append(bullet)
    return [s.strip() for s in steps if s.strip()], structured


_RESULT_FURNITURE = re.compile(r"Mã: KQ\.|Từ khóa|Chọn cơ quan thực hiện|Mô tảKhông có thông tin")


def parse_result(text: str) -> Tuple[str, bool]:
    """The result without the page furniture after it."""
    body = (text or "").strip()
    match = _RESULT_FURNITURE.search(body)
    result = _clean(body[: match.start()] if match else body)
    if result == NO_INFO:
        return "", False
    return result, bool(result) and match is not None


def parse_conditions(text: str) -> Tuple[List[str], bool]:
    body = (text or "").strip()
    if not body or body == NO_INFO:
        return [], True
    items = [_clean(re.sub(r"^[-+•*]\s*", "", line)) for line in body.splitlines()]
    return [i for i in items if i], True


_LEVELS = {"Cấp bộ": "trung_uong", "Cấp tỉnh": "tinh", "Cấp xã": "xa"}


def parse_levels(text: str) -> Tuple[List[str], bool]:
    """'Cấp bộ, Cấp tỉnh' -> ['trung_uong', 'tinh']; 'Cơ quan khác' has no level of ours."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    levels = [_LEVELS[p] for p in parts if p in _LEVELS]
    return levels, bool(parts) and all(p in _LEVELS or p == "Cơ quan khác" for p in parts)


def plain(text: str) -> str:
    """A one-line field: "" for the portal's "Không có thông tin"."""
    text = _clean(text or "")
    return "" if text == NO_INFO else text

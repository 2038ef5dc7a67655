"""The shape of one procedure entry, mirroring the national TTHC database.

Field names follow the national database's sections (thành phần hồ sơ, cách
thức thực hiện, căn cứ pháp lý ...). Unknown facts stay empty strings rather
than guesses: the bot then points the citizen to the source instead.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Dict, List

from pydantic import BaseModel, Extra, Field, validator

PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s]+$")


class ChannelKind(str, Enum):
    """Ways to submit a dossier (cách thức thực hiện)."""

    truc_tiep = "truc_tiep"
    truc_tuyen = "truc_tuyen"
    buu_chinh = "buu_chinh"


CHANNEL_LABELS: Dict[ChannelKind, str] = {
    ChannelKind.truc_tiep: "Nộp trực tiếp",
    ChannelKind.truc_tuyen: "Nộp trực tuyến",
    ChannelKind.buu_chinh: "Nộp qua bưu chính",
}


class OnlineLevel(str, Enum):
    """How much of the procedure the online public service covers."""

    toan_trinh = "toan_trinh"
    mot_phan = "mot_phan"
    khong = "khong"


ONLINE_LABELS: Dict[OnlineLevel, str] = {
    OnlineLevel.toan_trinh: "dịch vụ công trực tuyến toàn trình",
    OnlineLevel.mot_phan: "dịch vụ công trực tuyến một phần",
    OnlineLevel.khong: "chưa có dịch vụ công trực tuyến",
}


class Level(str, Enum):
    """Implementing level under the two-level local government (from 1 July 2025)."""

    trung_uong = "trung_uong"
    tinh = "tinh"
    xa = "xa"


LEVEL_LABELS: Dict[Level, str] = {
    Level.trung_uong: "cấp trung ương",
    Level.tinh: "cấp tỉnh",
    Level.xa: "cấp xã",
}


class Audience(str, Enum):
    """Who a national record may serve alone, when its name does not say so: "Cấp lại thẻ bảo hiểm y tế (thực hiện tại
    cấp tỉnh)" (1.001294) is the police's, for its staff and their relatives (its record's papers and office say so)."""

    cong_an_nhan_dan = "cong_an_nhan_dan"


class _Entry(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


def _url_or_empty(value: str) -> str:
    if value and not URL.match(value):
        raise ValueError("not_url")
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError("not_slug")
    return value


def _code_or_empty(value: str) -> str:
    if value and not PROCEDURE_CODE.match(value):
        raise ValueError("not_code")
    return value


def _unique_ids(error: str):
    """A list validator refusing two items with one ``id`` (message ``<error>:<id>``)."""
    def check(items: list) -> list:
        seen = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"{error}:{item.id}")
            seen.add(item.id)
        return items
    return check


class Paper(_Entry):
    """One paper of a dossier (thành phần hồ sơ)."""

    name: str = Field(..., min_length=1)
    form_code: str = ""
    template_url: str = ""
    originals: int = Field(1, ge=0)
    copies: int = Field(0, ge=0)
    note: str = ""

    _template_url = validator("template_url", allow_reuse=True)(_url_or_empty)


class Case(_Entry):
    """A situation (trường hợp) with its own list of papers."""

    id: str
    name: str = Field(..., min_length=1)
    papers: List[Paper] = Field(..., min_items=1)
    note: str = ""

    _id = validator("id", allow_reuse=True)(_slug)


class Channel(_Entry):
    """A submission channel with its own processing time and fee.

    A curated channel with a ``source`` (who published its time and fee, with the
    document or address) overrides the official record's channel when the curated
    entry was reviewed after the record: that is how a newer fee published
    elsewhere is kept and cited.
    """

    kind: ChannelKind
    processing_time: str = ""
    fee: str = ""
    note: str = ""
    source: str = ""


class Online(_Entry):
    """Online public-service level and where to use it."""

    level: OnlineLevel
    url: str = ""

    _url = validator("url", allow_reuse=True)(_url_or_empty)


class Source(_Entry):
    """Where the facts were taken from, so the bot can cite it."""

    name: str = Field(..., min_length=1)
    url: str = ""

    _url = validator("url", allow_reuse=True)(_url_or_empty)


class AudienceRecords(_Entry):
    """National records on a curated entry's subject for one audience only (the police's health insurance cards)."""

    audience: Audience
    codes: List[str] = Field(..., min_items=1)

    @validator("codes", each_item=True)
    def _codes(cls, value: str) -> str:
        if not PROCEDURE_CODE.match(value):
            raise ValueError("not_code")
        return value


class Procedure(_Entry):
    """One administrative procedure (thủ tục hành chính)."""

    id: str
    code: str = ""
    # Further national records this entry stands for (the same procedure at another level, or a part of
    # it): they are not offered on their own, and their ids reach this entry.
    codes: List[str] = Field(default_factory=list)
    # National records on the same subject for one audience only: each stays a procedure of its own, with its own
    # facts, offered only when the message names that audience, and then instead of this entry.
    audiences: List[AudienceRecords] = Field(default_factory=list)
    name: str = Field(..., min_length=1)
    aliases: List[str] = Field(default_factory=list)
    # Names citizens use that find the procedure but whose words also tell its situations apart ("nghỉ đẻ": "nghỉ"
    # must still tell the mother's months from the father's days): found by the search, not read as name words.
    search_aliases: List[str] = Field(default_factory=list)
    field: str = Field(..., min_length=1)
    agency: str = Field(..., min_length=1)
    levels: List[Level] = Field(..., min_items=1)
    where_to_submit: str = Field(..., min_length=1)
    channels: List[Channel] = Field(..., min_items=1)
    cases: List[Case] = Field(..., min_items=1)
    steps: List[str] = Field(..., min_items=1)
    conditions: List[str] = Field(default_factory=list)
    result: str = Field(..., min_length=1)
    legal_basis: List[str] = Field(..., min_items=1)
    online: Online
    notes: List[str] = Field(default_factory=list)
    source: Source
    last_reviewed: date

    _id = validator("id", allow_reuse=True)(_slug)
    _code = validator("code", allow_reuse=True)(_code_or_empty)

    @validator("codes", each_item=True)
    def _codes(cls, value: str) -> str:
        if not PROCEDURE_CODE.match(value):
            raise ValueError("not_code")
        return value

    @validator("aliases", "search_aliases", "steps", "conditions", "legal_basis", "notes", each_item=True)
    def _non_empty_items(cls, value: str) -> str:
        if not value:
            raise ValueError("empty_item")
        return value

    _unique_case_ids = validator("cases", allow_reuse=True)(_unique_ids("duplicate_case"))

    @validator("channels")
    def _unique_channels(cls, channels: List[Channel]) -> List[Channel]:
        kinds = [c.kind for c in channels]
        if len(kinds) != len(set(kinds)):
            raise ValueError("duplicate_channel")
        return channels

    def case(self, case_id: str) -> Case | None:
        """The case with this id, if any."""
        return next((c for c in self.cases if c.id == case_id), None)

    def channel(self, kind: ChannelKind) -> Channel | None:
        """The channel of this kind, if the procedure offers it."""
        return next((c for c in self.channels if c.kind == kind), None)


class NationalProcedure(Procedure):
    """A procedure imported from the national portal's published record (``knowledge/national/``).

    Generated by :mod:`knowledge.tthc_import`, never edited by hand. The portal
    leaves sections empty; an empty fact here means "the portal does not publish
    it", and the bot says so. ``online`` is unknown (the record lists channels but
    not the online service level); ``cases`` are the record's paper groups, shown
    together under their headings rather than asked about.
    """

    agency: str = ""
    levels: List[Level] = Field(default_factory=list)
    where_to_submit: str = ""
    channels: List[Channel] = Field(default_factory=list)
    cases: List[Case] = Field(default_factory=list)
    steps: List[str] = Field(default_factory=list)
    result: str = ""
    legal_basis: List[str] = Field(default_factory=list)
    online: Online | None = None  # type: ignore[assignment]
    decision: str = ""
    applicants: str = ""
    ministry: str = ""
    # Sections ("papers", "channels") the portal publishes but whose text in the snapshot could not be read
    # as that section: the bot points to the portal page instead of reading out fragments.
    unread: List[str] = Field(default_factory=list)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


class Centre(_Entry):
    """A one-stop centre whose officers take conversations over: its name, office hours and holidays."""

    id: str = Field(..., regex=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    name: str = Field(..., min_length=1)
    # Opening spans per weekday (mon … sun), local time: {"mon": ["07:30-11:30", "13:30-17:00"], …}.
    hours: Dict[str, List[str]] = Field(default_factory=dict)
    holidays: List[date] = Field(default_factory=list)

    @validator("hours")
    def _hours(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        for day, spans in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"weekday must be one of {', '.join(WEEKDAYS)}, not {day!r}")
            for span in spans:
                if not _SPAN.match(span) or span[:5] >= span[6:]:
                    raise ValueError(f"opening span must look like 07:30-11:30, not {span!r}")
        return value


class ServiceDesk(_Entry):
    """Contact details of the deploying one-stop centre, used for handoff."""

    centre_name: str = Field(..., min_length=1)
    hotline: str = Field(..., min_length=1)
    opening_hours: str = Field(..., min_length=1)
    address: str = ""
    email: str = ""
    portal_name: str = Field(..., min_length=1)
    portal_url: str = Field(..., min_length=1)
    national_hotline: str = ""
    # Centres whose officers answer live (issue: handoff). None: a left question is the only way to a person.
    centres: List[Centre] = Field(default_factory=list)
    utc_offset_hours: int = Field(7, ge=-12, le=14)  # Viet Nam: UTC+7, no daylight saving

    _url = validator("portal_url", allow_reuse=True)(_url_or_empty)

    @validator("centres")
    def _unique_centres(cls, value: List[Centre]) -> List[Centre]:
        ids = [c.id for c in value]
        if len(ids) != len(set(ids)):
            raise ValueError("centre ids must be unique")
        return value

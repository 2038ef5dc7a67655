"""Where a curated entry's facts disagree with its official record.

`make kb-check` lists each disagreement with the file, the line, both values and
the record's address, so an officer can correct the entry or cite a newer source
for it. Compared, because citizens act on them: the channels offered, the fee
amounts and processing times per channel, whether the procedure can be done
online, and the legal documents cited. A fee or time the record states otherwise
is a disagreement; a channel, an online service or a document the record does not
list is only the record's silence (``certain=False``). A curated channel that cites
its own ``source`` is a deliberate override and is reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Set

from knowledge.schema import CHANNEL_LABELS, ChannelKind, NationalProcedure, OnlineLevel, Procedure

_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|đ\b|VNĐ|Việt Nam Đồng)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
_DOC = re.compile(r"\d+[a-z]?/\d{4}/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")
_TIME_UNIT = re.compile(r"ngày|giờ|tháng|tuần|năm", re.IGNORECASE)


@dataclass(frozen=True)
class Difference:
    """One fact on which the curated entry and its record differ."""

    location: tuple  # path of the field in the YAML file, for its line number
    fact: str
    curated: str
    record: str
    overridden: bool = False  # the curated value cites a newer source of its own
    certain: bool = True  # False where the record is only silent (no such channel listed), not contrary


def amounts(text: str) -> Set[int]:
    """Money amounts named in ``text`` ("50.000 đồng", "50,000 Việt Nam Đồng" -> 50000)."""
    return {int(re.sub(r"[.,]", "", m.group(1))) for m in _AMOUNT.finditer(text or "")}


def documents(items: List[str]) -> Set[str]:
    """Legal document numbers ("26/2023/QH15") named in a list of citations."""
    return {m.group(0) for item in items for m in _DOC.finditer(item)}


def _time_numbers(text: str) -> Set[int]:
    return {int(n) for n in _NUMBER.findall(text or "")}


def differences(curated: Procedure, record: NationalProcedure) -> List[Difference]:
    """Every fact the record publishes that the curated entry states otherwise."""
    found: List[Difference] = []
    for i, channel in enumerate(curated.channels):
        label = CHANNEL_LABELS[channel.kind].lower()
        official = record.channel(channel.kind)
        overridden = bool(channel.source)
        if official is None:
            published = ", ".join(CHANNEL_LABELS[c.kind].lower() for c in record.channels) or "không có"
            found.append(Difference(("channels", i, "kind"), f"cách nộp ({label})", label,
                                    f"Cổng chỉ công bố: {published}", overridden, certain=False))
            continue
        ours, theirs = amounts(channel.fee), amounts(official.fee)
        if channel.fee and ours and not ours <= theirs:
            found.append(Difference(("channels", i, "fee"), f"lệ phí ({label})", channel.fee,
                                    official.fee or "không công bố", overridden))
        if channel.processing_time and official.processing_time and _TIME_UNIT.search(official.processing_time):
            if not _time_numbers(official.processing_time) <= _time_numbers(channel.processing_time):
                found.append(Difference(("channels", i, "processing_time"), f"thời hạn giải quyết ({label})",
                                        channel.processing_time, official.processing_time, overridden))
    if curated.online.level != OnlineLevel.khong and record.channels and record.channel(ChannelKind.truc_tuyen) is None:
        found.append(Difference(("online", "level"), "mức độ trực tuyến", curated.online.level.value,
                                "Cổng không công bố cách nộp trực tuyến", certain=False))
    missing = sorted(documents(curated.legal_basis) - documents(record.legal_basis))
    if missing and record.legal_basis:
        found.append(Difference(("legal_basis",), "căn cứ pháp lý", ", ".join(missing),
                                "Cổng không liệt kê văn bản này", certain=False))
    return found

"""What a newer snapshot of the national records changes, procedure by procedure.

An officer confirms an import before it goes live (the console's "Nhập dữ liệu
quốc gia" page): this module says which procedures were added or removed and,
for each changed one, which facts changed, with the old and the new value of the
facts citizens act on (fees and times per channel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from knowledge.schema import CHANNEL_LABELS, NationalProcedure

# Facts compared, with the label an officer reads.
FACTS: Dict[str, str] = {
    "name": "tên",
    "agency": "cơ quan thực hiện",
    "levels": "cấp thực hiện",
    "where_to_submit": "nơi nộp",
    "cases": "thành phần hồ sơ",
    "steps": "trình tự",
    "conditions": "điều kiện",
    "result": "kết quả",
    "legal_basis": "căn cứ pháp lý",
    "decision": "quyết định công bố",
    "applicants": "đối tượng thực hiện",
    "source": "đường dẫn trên Cổng",
}


@dataclass(frozen=True)
class Change:
    """One fact of one procedure: its label, and the old and new value when short enough to show."""

    fact: str
    old: str = ""
    new: str = ""


@dataclass
class SnapshotDiff:
    added: List[NationalProcedure] = field(default_factory=list)
    removed: List[NationalProcedure] = field(default_factory=list)
    changed: Dict[str, List[Change]] = field(default_factory=dict)  # code -> changes

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{len(self.added)} thủ tục mới, {len(self.removed)} thủ tục bị bỏ, {len(self.changed)} thủ tục thay đổi"


def _channel_changes(old: NationalProcedure, new: NationalProcedure) -> List[Change]:
    changes = []
    kinds = list(dict.fromkeys([c.kind for c in old.channels] + [c.kind for c in new.channels]))
    for kind in kinds:
        before, after = old.channel(kind), new.channel(kind)
        label = CHANNEL_LABELS[kind].lower()
        if before is None or after is None:
            changes.append(Change(f"cách nộp: {label}", "có" if before else "không có", "có" if after else "không có"))
            continue
        if before.fee != after.fee:
            changes.append(Change(f"lệ phí ({label})", before.fee, after.fee))
        if before.processing_time != after.processing_time:
            changes.append(Change(f"thời hạn ({label})", before.processing_time, after.processing_time))
    return changes


def compare(old: Dict[str, NationalProcedure], new: Dict[str, NationalProcedure]) -> SnapshotDiff:
    """The changes from the records in ``old`` to those in ``new`` (both keyed by code)."""
    diff = SnapshotDiff(
        added=[new[c] for c in sorted(set(new) - set(old))],
        removed=[old[c] for c in sorted(set(old) - set(new))],
    )
    for code in sorted(set(old) & set(new)):
        before, after = old[code], new[code]
        changes = _channel_changes(before, after)
        for name, label in FACTS.items():
            if getattr(before, name) != getattr(after, name):
                value = getattr(before, name), getattr(after, name)
                shown = [v if isinstance(v, str) else "" for v in value]
                changes.append(Change(label, *shown))
        if changes:
            diff.changed[code] = changes
    return diff

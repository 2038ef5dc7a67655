"""Imported national records in the console.

They are listed and searched beside the curated entries, shown read-only (the
importer owns them), and "Biên tập" starts a curated overlay prefilled from the
record. A newer snapshot staged by ``make kb-import ... --stage`` waits here until
an administrator has seen what it changes and confirms it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Tuple

from knowledge.base import KnowledgeBase
from knowledge.national import load_national
from knowledge.schema import ChannelKind, NationalProcedure
from knowledge.snapshot_diff import SnapshotDiff, compare
from knowledge.tthc_import import staging_dir
from knowledge.vntext import fold

MAX_ROWS = 200


def record_rows(kb: KnowledgeBase, query: str, stale_before: date) -> Tuple[List[Dict[str, Any]], int]:
    """Rows for the imported procedures no curated entry covers that match ``query`` (at most ``MAX_ROWS``),
    and how many imported procedures there are in all. Nothing is listed without a query."""
    records = [p for p in kb.procedures.values() if isinstance(p, NationalProcedure)]
    records = list({p.id: p for p in records}.values())
    wanted = fold(query).lower().split()
    rows = []
    if wanted:
        for proc in records:
            text = fold(" ".join([proc.name, proc.code, *proc.aliases])).lower()
            if all(word in text for word in wanted):
                rows.append({"id": proc.id, "name": proc.name, "code": proc.code, "kind": "imported",
                             "last_reviewed": proc.last_reviewed.strftime("%d/%m/%Y"),
                             "stale": proc.last_reviewed < stale_before})
    rows.sort(key=lambda r: fold(r["name"]).lower())
    return rows[:MAX_ROWS], len(records)


def _slug(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(name).lower())
    if words[:2] == ["thu", "tuc"]:
        words = words[2:]
    slug = "_".join(words)[:60].rstrip("_")
    return slug or "thu_tuc_moi"


def prefill(record: NationalProcedure) -> Dict[str, Any]:
    """Form data for a curated overlay of ``record``: its facts, to be reviewed and completed by the officer."""
    online = record.channel(ChannelKind.truc_tuyen) is not None
    cases = [{"id": c.id, "name": c.name, "papers": [p.dict() for p in c.papers]} for c in record.cases]
    return {
        "id": _slug(record.name), "code": record.code, "codes": [], "name": record.name,
        "aliases": list(record.aliases),
        "field": record.field, "agency": record.agency, "levels": [level.value for level in record.levels] or ["xa"],
        "where_to_submit": record.where_to_submit,
        "channels": [{"kind": c.kind.value, "processing_time": c.processing_time, "fee": c.fee, "note": c.note}
                     for c in record.channels] or [{"kind": "truc_tiep"}],
        "cases": cases or [{"id": "chung", "name": "", "papers": [{}]}],
        "steps": list(record.steps), "conditions": list(record.conditions), "result": record.result,
        "legal_basis": list(record.legal_basis),
        # The record does not state the online level: the officer chooses it.
        "online": {"level": "mot_phan" if online else "khong", "url": ""},
        "notes": list(record.notes),
        "source": {"name": record.source.name, "url": record.source.url},
        "last_reviewed": date.today().isoformat(),
    }


def staged_diff(kb_dir: Path) -> SnapshotDiff | None:
    """What the staged snapshot would change, ``None`` when nothing is staged."""
    staged = staging_dir(kb_dir / "national")
    if not (staged / "index.json").is_file():
        return None
    return compare(load_national(kb_dir / "national").by_code, load_national(staged).by_code)

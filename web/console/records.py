"""Imported national records in the console.

They are listed and searched beside the curated entries, shown read-only (the
importer owns them), and "Biên tập" starts a curated overlay prefilled from the
record. A newer snapshot staged by ``make kb-import ... --stage`` waits here until
an administrator has seen what it changes and confirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Tuple

from knowledge.base import KnowledgeBase
from knowledge.national import NationalRecords, load_national
from knowledge.schema import ChannelKind, NationalProcedure, Procedure
from knowledge.snapshot_diff import SnapshotDiff, compare
from knowledge.tthc_import import staging_dir
from knowledge.vntext import fold
from web.console.publish import plain

MAX_ROWS = 200


def record_rows(kb: KnowledgeBase, query: str, stale_before: date) -> Tuple[List[Dict[str, Any]], int]:
    """Rows for the imported procedures no curated entry covers that match ``query`` (at most ``MAX_ROWS``),
    and how many imported procedures there are in all. Nothing is listed without a query."""
    records = [p for p in kb.procedures.values() if isinstance(p, NationalProcedure)]
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
    data = {key: value for key, value in plain(record).items() if key in Procedure.__fields__}
    data.update(
        id=_slug(record.name),
        levels=data["levels"] or ["xa"],
        channels=data["channels"] or [{"kind": "truc_tiep"}],
        cases=data["cases"] or [{"id": "chung", "name": "", "papers": [{}]}],
        # The record does not state the online level: the officer chooses it.
        online={"level": "mot_phan" if record.channel(ChannelKind.truc_tuyen) else "khong", "url": ""},
        last_reviewed=date.today().isoformat(),
    )
    return data


@dataclass(frozen=True)
class Snapshots:
    """The records in service, the staged ones (``None`` when nothing is staged) and what they would change."""

    live: NationalRecords
    staged: NationalRecords | None = None
    diff: SnapshotDiff | None = None


def snapshots(kb_dir: Path) -> Snapshots:
    """Each set of records read once (about half a second each)."""
    live = load_national(kb_dir / "national")
    folder = staging_dir(kb_dir / "national")
    if not (folder / "index.json").is_file():
        return Snapshots(live)
    staged = load_national(folder)
    return Snapshots(live, staged, compare(live.by_code, staged.by_code))

"""Import the national portal's procedure records into ``knowledge/national/``.

    python -m knowledge.tthc_import ../shared/national-tthc/records     # or: make kb-import SRC=...
    python -m knowledge.tthc_import --stage SRC    # into knowledge/national.next/, for an officer to confirm

Each record (``<ministry>/<mã TTHC>.json``, see the snapshot's README) becomes one
generated, diffable file ``knowledge/national/<code>.json`` in our schema
(:class:`knowledge.schema.NationalProcedure`); ``index.json`` beside them names the
snapshot date and the count, and is written last, so a running bot reloads once.
The product ships these files and never reads the snapshot at run time.

The importer prints, and writes to ``reports/kb-import.md`` (git-ignored), how many
records parsed into structure for each field and how many were kept as the portal's
text, lists the worst records and what changed against the records in service. A
file is rewritten only when its content changes, so running it twice gives the same
tree. With ``--stage`` nothing goes live: the console shows the changes and an
officer confirms them (:func:`promote`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from knowledge import tthc_cells as cells
from knowledge.files import write_if_changed
from knowledge.national import CHANNELS_AS_PUBLISHED, INDEX, load_national, procedure_id
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.schema import NationalProcedure
from knowledge.snapshot_diff import SnapshotDiff, compare

SOURCE_NAME = "Cổng Dịch vụ công quốc gia"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORT = ROOT / "reports" / "kb-import.md"
_SNAPSHOT_DATE = re.compile(r"taken on (\d{4}-\d{2}-\d{2})")
# What each field's outcome is called in the report.
STRUCTURED, TEXT, EMPTY = "structured", "text", "empty"
FIELDS = ("channels", "fees", "papers", "legal_basis", "steps", "conditions", "result", "levels", "agency")


@dataclass
class Outcome:
    """How each field of one record came out."""

    code: str
    name: str
    fields: Dict[str, str] = field(default_factory=dict)

    @property
    def unstructured(self) -> List[str]:
        return [f for f, how in self.fields.items() if how != STRUCTURED]


def _legal_line(row: cells.LegalCell) -> str:
    if not row.number or row.number in row.title:
        return row.title
    return f"{row.title} ({row.number})"


def _fee_outcome(channels: Sequence[cells.ChannelCell]) -> str:
    if not channels:
        return EMPTY
    if not all(c.fee_parsed for c in channels):
        return TEXT
    return STRUCTURED if any(c.fee for c in channels) else EMPTY


def convert(record: dict, ministry: str, snapshot: date) -> Tuple[NationalProcedure, Outcome]:
    """One portal record in our schema, and how each field parsed.

    Text is put in NFC first: some records carry decomposed diacritics ("Câ\u0301p"),
    which would never equal what citizens type.
    """
    record = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in record.items()}
    code = record["ma_thu_tuc"].strip()
    name = cells.plain(record["ten_thu_tuc"])
    outcome = Outcome(code, name)
    notes: List[str] = []
    unread: List[str] = []  # sections the portal publishes whose text in the snapshot does not read as one

    channel_cells, channels_ok = cells.parse_channels(record.get("cach_thuc_thuc_hien", ""))
    channels = [
        {"kind": c.kind, "processing_time": c.processing_time, "fee": c.fee, "note": c.note} for c in channel_cells
    ]
    raw_channels = cells.plain(record.get("cach_thuc_thuc_hien", ""))
    if not channel_cells and raw_channels:
        notes.append(f"{CHANNELS_AS_PUBLISHED}{raw_channels}")
        unread.append("channels")
    outcome.fields["channels"] = STRUCTURED if channels_ok else (TEXT if raw_channels else EMPTY)
    outcome.fields["fees"] = _fee_outcome(channel_cells)

    raw_text = record.get("raw_text", "")
    groups, papers_ok = cells.parse_papers(record.get("thanh_phan_ho_so", ""))
    if not groups:  # the cell holds the end of the steps instead: the page's own section may be whole
        groups, papers_ok = cells.parse_papers(cells.page_section(raw_text, "papers"))
    cases = []
    for i, group in enumerate(groups, 1):
        papers = []
        for paper in group.papers:
            papers.append({"name": paper.name, "form_code": paper.form_code, "originals": paper.originals,
                           "copies": paper.copies})
        cases.append({"id": f"nhom_{i}", "name": group.heading or "Thành phần hồ sơ", "papers": papers})
    raw_papers = cells.plain(record.get("thanh_phan_ho_so", ""))
    if not cases and raw_papers:
        # A fragment of another section ("); nộp hồ sơ cho cơ quan BHXH ... Bước 2 ...") whose page has no
        # table of papers either: not something to read out as a list of papers.
        unread.append("papers")
    outcome.fields["papers"] = STRUCTURED if papers_ok else (TEXT if raw_papers else EMPTY)

    legal, legal_ok = cells.parse_legal_basis(record.get("can_cu_phap_ly", ""))
    outcome.fields["legal_basis"] = STRUCTURED if legal_ok else (TEXT if legal else EMPTY)

    steps, steps_ok = cells.parse_steps(record.get("trinh_tu_thuc_hien", ""))
    if cells.cut_off(steps):
        # "Lập hồ sơ theo quy định tại mục 9.3 (": the portal's cell stops there (22 social insurance records);
        # the rest of the steps ran into the papers cell. The page's whole text has them; a cut-off is not read out.
        steps, steps_ok = cells.parse_steps(cells.page_section(raw_text, "steps"))
        if not steps or cells.cut_off(steps):
            steps = []
            unread.append("steps")
    outcome.fields["steps"] = STRUCTURED if steps_ok else (TEXT if steps else EMPTY)

    conditions, _ = cells.parse_conditions(record.get("yeu_cau_dieu_kien", ""))
    outcome.fields["conditions"] = STRUCTURED if conditions else EMPTY

    result, result_ok = cells.parse_result(record.get("ket_qua_xu_ly", ""))
    outcome.fields["result"] = STRUCTURED if result_ok else (TEXT if result else EMPTY)

    levels, levels_ok = cells.parse_levels(record.get("cap_thuc_hien", ""))
    outcome.fields["levels"] = STRUCTURED if levels_ok else TEXT

    agency = cells.plain(record.get("co_quan_thuc_hien", "")) or cells.plain(record.get("co_quan_co_tham_quyen", ""))
    outcome.fields["agency"] = STRUCTURED if agency else EMPTY

    proc = NationalProcedure(
        id=procedure_id(code),
        code=code,
        name=name,
        field=cells.plain(record.get("linh_vuc", "")) or "Chưa phân loại",
        agency=agency,
        levels=levels,
        where_to_submit=cells.plain(record.get("dia_chi_tiep_nhan", "")),
        channels=channels,
        cases=cases,
        steps=steps,
        conditions=conditions,
        result=result,
        legal_basis=[_legal_line(row) for row in legal],
        notes=notes,
        source={"name": SOURCE_NAME, "url": record.get("detail_url", "")},
        last_reviewed=snapshot,
        decision=cells.plain(record.get("so_quyet_dinh", "")),
        applicants=cells.plain(record.get("doi_tuong_thuc_hien", "")),
        ministry=ministry,
        unread=unread,
    )
    return proc, outcome


def render(proc: NationalProcedure) -> str:
    """The generated file's text: stable key order, one value per line, UTF-8 as written."""
    data = json.loads(proc.json(exclude_defaults=True))
    # Empty lists are the schema's defaults too; leaving them out keeps files lean and a new optional field
    # from touching every file.
    data = {key: value for key, value in data.items() if value != []}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_records(src: Path) -> Iterable[Tuple[str, Path]]:
    """(ministry, path) of every record under ``src``, in a stable order."""
    for path in sorted(src.glob("*/*.json")):
        yield path.parent.name, path


def snapshot_date(src: Path) -> date | None:
    """The snapshot's date, from its README ("taken on 2026-07-20")."""
    for readme in (src / "README.md", src.parent / "README.md"):
        if readme.is_file():
            match = _SNAPSHOT_DATE.search(readme.read_text(encoding="utf-8"))
            if match:
                return date.fromisoformat(match.group(1))
    return None


def report(outcomes: Sequence[Outcome], snapshot: date, written: int, removed: int, worst: int = 15) -> str:
    """The parse report: per field, how many records came out structured, as text, or empty."""
    lines = [
        f"# Import of the national TTHC records (snapshot {snapshot.isoformat()})",
        "",
        f"{len(outcomes)} records; {written} files written, {removed} removed.",
        "",
        "| field | structured | kept as text | empty |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in FIELDS:
        counts = Counter(o.fields.get(name, EMPTY) for o in outcomes)
        lines.append(f"| {name} | {counts[STRUCTURED]} | {counts[TEXT]} | {counts[EMPTY]} |")
    ranked = sorted(outcomes, key=lambda o: (-len(o.unstructured), o.code))[:worst]
    lines += ["", f"Worst {len(ranked)} records (fields not structured):", ""]
    for o in ranked:
        lines.append(f"- {o.code} {o.name[:80]}: {', '.join(f'{f} ({o.fields[f]})' for f in o.unstructured)}")
    return "\n".join(lines) + "\n"


def run(src: Path, out: Path, snapshot: date) -> Tuple[List[Outcome], int, int]:
    """Convert every record under ``src`` into ``out``; returns outcomes, files written and files removed."""
    out.mkdir(parents=True, exist_ok=True)
    outcomes: List[Outcome] = []
    wanted = set()
    written = 0
    for ministry, path in read_records(src):
        record = json.loads(path.read_text(encoding="utf-8"))
        proc, outcome = convert(record, ministry, snapshot)
        outcomes.append(outcome)
        target = out / f"{proc.code}.json"
        if target.name in wanted:
            raise ValueError(f"two records with code {proc.code}")
        wanted.add(target.name)
        written += write_if_changed(target, render(proc))
    removed = 0
    for stale in sorted(out.glob("*.json")):
        if stale.name not in wanted and stale.name != INDEX:
            stale.unlink()
            removed += 1
    index = {"source": SOURCE_NAME, "snapshot": snapshot.isoformat(), "count": len(outcomes)}
    written += write_if_changed(out / INDEX, json.dumps(index, ensure_ascii=False, indent=1) + "\n")
    return outcomes, written, removed


def staging_dir(live: Path) -> Path:
    """Where ``--stage`` puts a snapshot until an officer confirms it: ``national.next`` beside ``national``."""
    return live.with_name(live.name + ".next")


def promote(staged: Path, live: Path) -> Tuple[int, int]:
    """Put a confirmed snapshot in service: changed files replaced, vanished ones removed, the index last."""
    live.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in staged.glob("*.json")}
    written = 0
    for path in sorted(staged.glob("*.json")):
        if path.name != INDEX:
            written += write_if_changed(live / path.name, path.read_text(encoding="utf-8"))
    removed = 0
    for stale in sorted(live.glob("*.json")):
        if stale.name not in wanted:
            stale.unlink()
            removed += 1
    written += write_if_changed(live / INDEX, (staged / INDEX).read_text(encoding="utf-8"))
    for path in staged.glob("*"):
        path.unlink()
    staged.rmdir()
    return written, removed


def describe(diff: SnapshotDiff, limit: int = 20) -> str:
    """The changes against the records in service, for the terminal and the report."""
    lines = [f"Against the records in service: {diff.summary()}."]
    for proc in diff.added[:limit]:
        lines.append(f"+ {proc.code} {proc.name[:80]}")
    for proc in diff.removed[:limit]:
        lines.append(f"- {proc.code} {proc.name[:80]}")
    for code, changes in list(diff.changed.items())[:limit]:
        lines.append(f"~ {code}: {', '.join(c.fact for c in changes)}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.tthc_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="folder of <ministry>/<code>.json records")
    parser.add_argument("--out", type=Path, default=KNOWLEDGE_DIR / "national")
    parser.add_argument("--snapshot", type=date.fromisoformat, help="snapshot date (default: from the README)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--stage", action="store_true", help="write beside the live records, for the console")
    args = parser.parse_args(argv)
    snapshot = args.snapshot or snapshot_date(args.src)
    if snapshot is None:
        print("kb-import: no snapshot date in the records' README; pass --snapshot YYYY-MM-DD", file=sys.stderr)
        return 2
    if not any(args.src.glob("*/*.json")):
        print(f"kb-import: no records in {args.src}", file=sys.stderr)
        return 2
    in_service = load_national(args.out).by_code
    target = staging_dir(args.out) if args.stage else args.out
    outcomes, written, removed = run(args.src, target, snapshot)
    changes = compare(in_service, load_national(target).by_code)
    text = report(outcomes, snapshot, written, removed) + "\n" + describe(changes)
    if args.stage:
        text += f"\nStaged in {target}: an officer confirms it on the console's import page.\n"
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(text, end="")
    print(f"(report: {args.report})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

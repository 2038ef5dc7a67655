"""Editors propose, an admin publishes: changes to knowledge files wait for review.

An editor's save (a procedure, an alias, a situational question) runs the
same code as an admin's, with a writer that collects the files it would write
instead of writing them. The proposal keeps each file's new text and the hash
of the text it was made from. An admin sees the diff and approves (the files
are written, if nobody changed them in between) or rejects. The audit log
records who proposed and who approved.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Tuple

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, and_, select, update
from sqlalchemy.engine import Engine

from knowledge.files import write_atomically
from records.database import SchemaOnce

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
KIND_LABELS = {"publish": "Sửa thủ tục", "new": "Thủ tục mới", "alias": "Tên gọi mới", "question": "Câu hỏi tình huống"}

metadata = MetaData()
proposals = Table(
    "console_proposals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("procedure_id", String(120), nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("files", Text, nullable=False),  # JSON: [{"path", "content", "base"}]
    Column("diff", Text, nullable=False, default=""),
    Column("proposed_by", String(80), nullable=False),
    Column("proposed_at", Float, nullable=False),
    Column("state", String(12), nullable=False, default=PENDING),
    Column("decided_by", String(80), nullable=False, default=""),
    Column("decided_at", Float),
)


def sha256_of(path: Path) -> str:
    """The hash of a file's text, '' when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


@dataclass
class Collector:
    """A writer that keeps what would be written, with the hash of what is there now."""

    kb_dir: Path
    files: List[dict] = field(default_factory=list)

    def __call__(self, path: Path, content: str) -> None:
        self.files.append({"path": str(path.resolve().relative_to(self.kb_dir.resolve())), "content": content,
                           "base": sha256_of(path)})


@dataclass(frozen=True)
class Proposal:
    id: int
    kind: str
    procedure_id: str
    summary: str
    files: str
    diff: str
    proposed_by: str
    proposed_at: float
    state: str
    decided_by: str
    decided_at: float | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class ProposalConflict(Exception):
    """A file changed after the proposal was made; the editor must make it again."""


class Proposals:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock
        self._schema = SchemaOnce(engine, metadata)

    def ensure_schema(self) -> None:
        self._schema.ensure()

    def propose(self, user_name: str, kind: str, procedure_id: str, summary: str, collector: Collector,
                diff: str) -> Proposal:
        self.ensure_schema()
        with self.engine.begin() as conn:
            new_id = conn.execute(proposals.insert().values(
                kind=kind, procedure_id=procedure_id, summary=summary[:500], files=json.dumps(collector.files),
                diff=diff, proposed_by=user_name, proposed_at=self.clock(), state=PENDING,
                decided_by="")).inserted_primary_key[0]
        return self.get(new_id)

    def get(self, proposal_id: int) -> Proposal | None:
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).first()
        return Proposal(**row._mapping) if row else None

    def pending(self) -> List[Proposal]:
        self.ensure_schema()
        with self.engine.connect() as conn:
            rows = conn.execute(select(proposals).where(proposals.c.state == PENDING)
                                .order_by(proposals.c.proposed_at)).all()
        return [Proposal(**r._mapping) for r in rows]

    def _decide(self, proposal_id: int, admin_name: str, state: str) -> bool:
        with self.engine.begin() as conn:
            changed = conn.execute(update(proposals).where(and_(
                proposals.c.id == proposal_id, proposals.c.state == PENDING))
                .values(state=state, decided_by=admin_name, decided_at=self.clock())).rowcount
        return changed == 1

    def approve(self, proposal_id: int, admin_name: str, kb_dir: Path) -> Tuple[Proposal, List[Path]]:
        """Write the proposed files (all, or none if one changed since) and mark the proposal approved."""
        proposal = self.get(proposal_id)
        if proposal is None or proposal.state != PENDING:
            raise ProposalConflict("Đề xuất này đã được duyệt hoặc từ chối.")
        files = json.loads(proposal.files)
        root = kb_dir.resolve()
        targets = []
        for item in files:
            path = (root / item["path"]).resolve()
            if root not in path.parents:
                raise ProposalConflict("Đề xuất trỏ ra ngoài thư mục dữ liệu; không áp dụng.")
            if sha256_of(path) != item["base"]:
                raise ProposalConflict(f"Tệp {item['path']} đã thay đổi sau khi đề xuất; người đề xuất cần làm lại.")
            targets.append((path, item["content"]))
        if not self._decide(proposal_id, admin_name, APPROVED):
            raise ProposalConflict("Đề xuất này đã được duyệt hoặc từ chối.")
        for path, content in targets:
            write_atomically(path, content)
        return self.get(proposal_id), [p for p, _ in targets]

    def reject(self, proposal_id: int, admin_name: str) -> bool:
        self.ensure_schema()
        return self._decide(proposal_id, admin_name, REJECTED)

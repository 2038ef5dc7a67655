"""The embedded dossier backend: a table filled from one-stop exports.

Only what a lookup needs is stored: the masked name, the last four digits of
the phone, the year of birth and a digest of the receipt's lookup secret.
Full names, phone and ID numbers from an export are checked and then dropped,
so the database cannot leak them.

The demo dossiers are loaded only when ``DOSSIER_DEMO=1``, which ``make run``
sets for a local trial; a deployment never has them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, Text, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from actions.dossiers.backend import BackendUnavailable
from actions.dossiers.model import Dossier, Status
from actions.dossiers.proofs import secret_digest
from knowledge.dossier_codes import mask_code
from records.database import make_engine
from records.privacy import mask_name

logger = logging.getLogger(__name__)

metadata = MetaData()
dossiers = Table(
    "dossiers",
    metadata,
    Column("ma_ho_so", String(64), primary_key=True),
    Column("ten_thu_tuc", Text, nullable=False),
    Column("chu_ho_so_an", String(200), nullable=False),
    Column("sdt_4_so_cuoi", String(4), nullable=False),
    Column("trang_thai", Integer, nullable=False),
    Column("ngay_tiep_nhan", Date),
    Column("ngay_hen_tra", Date),
    Column("ngay_co_ket_qua", Date),
    Column("ghi_chu", Text, nullable=False, default=""),
    Column("cap_nhat_luc", DateTime(timezone=True), nullable=False),
    Column("nam_sinh", Integer),
    Column("ma_tra_cuu_bam", String(64)),
)
# Columns added after the first release: an existing table gets them on first use.
ADDED_COLUMNS = {"nam_sinh": "INTEGER", "ma_tra_cuu_bam": "VARCHAR(64)"}

# Clearly fictional dossiers for a local trial (listed in the README with their proofs).
DEMO_DOSSIERS = (
    Dossier(
        "000.00.00.DEMO-261120-0001", "Cấp Phiếu lý lịch tư pháp", mask_name("Công Dân Mẫu Một"), "0001",
        Status.DANG_XU_LY, date(2026, 11, 20), date(2026, 12, 4),
        birth_year=1990, secret_digest=secret_digest("000.00.00.DEMO-261120-0001", "DEMO0001"),
    ),
    Dossier(
        "000.00.00.DEMO-261110-0002", "Đăng ký thường trú", mask_name("Công Dân Mẫu Hai"), "0002",
        Status.YEU_CAU_BO_SUNG, date(2026, 11, 10), date(2026, 11, 17),
        note="Bổ sung giấy tờ chứng minh chỗ ở hợp pháp (bản sao hợp đồng thuê nhà có công chứng).",
        birth_year=1985, secret_digest=secret_digest("000.00.00.DEMO-261110-0002", "DEMO0002"),
    ),
    Dossier(
        "000.00.00.DEMO-261102-0003", "Cấp đổi thẻ căn cước", mask_name("Công Dân Mẫu Ba"), "0003",
        Status.DA_TRA_KET_QUA, date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 6),
        note="Đã gửi thẻ qua bưu chính theo địa chỉ đăng ký.",
        birth_year=2000, secret_digest=secret_digest("000.00.00.DEMO-261102-0003", "DEMO0003"),
    ),
    Dossier(
        "000.00.00.DEMO-261020-0004", "Đăng ký tạm trú", mask_name("Công Dân Mẫu Bốn"), "0004",
        Status.DANG_XU_LY, date(2026, 10, 20), date(2026, 10, 23),
        birth_year=1978, secret_digest=secret_digest("000.00.00.DEMO-261020-0004", "DEMO0004"),
    ),
)


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int


def _row(dossier: Dossier) -> dict:
    return {
        "ma_ho_so": dossier.code,
        "ten_thu_tuc": dossier.procedure_name,
        "chu_ho_so_an": dossier.masked_name,
        "sdt_4_so_cuoi": dossier.phone_last4,
        "trang_thai": int(dossier.status),
        "ngay_tiep_nhan": dossier.received,
        "ngay_hen_tra": dossier.appointment,
        "ngay_co_ket_qua": dossier.result_date,
        "ghi_chu": dossier.note,
        "cap_nhat_luc": datetime.now(timezone.utc),
        "nam_sinh": dossier.birth_year,
        "ma_tra_cuu_bam": dossier.secret_digest or None,
    }


def _dossier(row) -> Dossier:
    return Dossier(
        code=row.ma_ho_so,
        procedure_name=row.ten_thu_tuc,
        masked_name=row.chu_ho_so_an,
        phone_last4=row.sdt_4_so_cuoi,
        status=Status(row.trang_thai),
        received=row.ngay_tiep_nhan,
        appointment=row.ngay_hen_tra,
        result_date=row.ngay_co_ket_qua,
        note=row.ghi_chu or "",
        birth_year=row.nam_sinh,
        secret_digest=row.ma_tra_cuu_bam or "",
    )


class DossierStore:
    """Dossiers in a SQL database (SQLite file by default)."""

    def __init__(self, engine: Engine, seed_demo: bool = False):
        self.engine = engine
        self._seed_demo = seed_demo
        self._ready = False

    @classmethod
    def from_env(cls) -> DossierStore:
        # Unpooled: a replaced or broken dossiers file is seen at the next lookup, not hidden by an open connection.
        return cls(make_engine(pooled=False), seed_demo=os.environ.get("DOSSIER_DEMO", "0") == "1")

    def ensure_schema(self) -> None:
        """Create the table on first use; a brand-new table gets the demo dossiers."""
        if self._ready:
            return
        with self.engine.begin() as conn:
            fresh = not self.engine.dialect.has_table(conn, "dossiers")
            metadata.create_all(conn, tables=[dossiers])
            present = {column["name"] for column in inspect(conn).get_columns("dossiers")}
            for name, kind in ADDED_COLUMNS.items():
                if name not in present:
                    conn.execute(text(f"ALTER TABLE dossiers ADD COLUMN {name} {kind}"))
            if fresh and self._seed_demo:
                conn.execute(dossiers.insert(), [_row(d) for d in DEMO_DOSSIERS])
        self._ready = True

    def upsert(self, items: Iterable[Dossier]) -> UpsertResult:
        """Insert or replace by code, all in one transaction."""
        self.ensure_schema()
        inserted = updated = 0
        with self.engine.begin() as conn:
            for dossier in items:
                row = _row(dossier)
                result = conn.execute(
                    dossiers.update().where(dossiers.c.ma_ho_so == dossier.code).values(**row)
                )
                if result.rowcount:
                    updated += 1
                else:
                    conn.execute(dossiers.insert().values(**row))
                    inserted += 1
        return UpsertResult(inserted, updated)

    def get(self, code: str) -> Dossier | None:
        self.ensure_schema()
        with self.engine.connect() as conn:
            row = conn.execute(select(dossiers).where(dossiers.c.ma_ho_so == code)).first()
        return _dossier(row) if row else None

    def count(self) -> int:
        self.ensure_schema()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(dossiers)).scalar_one())

    async def fetch(self, code: str) -> Dossier | None:
        try:
            return await asyncio.to_thread(self.get, code)
        except (SQLAlchemyError, ValueError) as exc:
            logger.error("dossier database failed for %s: %s", mask_code(code), type(exc).__name__)
            raise BackendUnavailable("dossier database unavailable") from exc

    async def close(self) -> None:
        self.engine.dispose()

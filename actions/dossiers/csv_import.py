"""Import a one-stop system's nightly CSV export into the embedded backend.

All or nothing: a file with any bad row imports nothing, and every bad row is
reported with its line number and the reason, in Vietnamese, for the officer
who runs the import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import List

from actions.dossiers.model import Dossier, birth_year, last4, parse_status
from actions.dossiers.proofs import normalise_secret, secret_digest
from actions.dossiers.store import DossierStore, UpsertResult
from knowledge.dossier_codes import EXAMPLE_CODE, find_code
from records.privacy import mask_name, mask_text

HEADER = (
    "ma_ho_so", "ten_thu_tuc", "chu_ho_so", "so_dien_thoai", "so_giay_to_tuy_than",
    "ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua", "trang_thai", "ghi_chu",
)
# Columns for the stronger proofs (actions.dossiers.proofs), after the required ones, in any order.
OPTIONAL = ("nam_sinh", "ma_tra_cuu")
_PHONE = re.compile(r"(?:\+?84|0)\d{9,10}")
_ID_NUMBER = re.compile(r"\d{9}|\d{12}|[A-Z]\d{7,8}")  # CMND, căn cước, hộ chiếu


@dataclass
class ImportReport:
    dossiers: List[Dossier] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value: str, column: str, required: bool) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise ValueError(f"thiếu {column}")
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} '{value}' không phải ngày dạng YYYY-MM-DD") from None


def _row_to_dossier(row: dict) -> Dossier:
    """Check one row; the first problem found is raised as ``ValueError`` with a Vietnamese reason."""
    raw_code = row["ma_ho_so"].strip()
    code = find_code(raw_code)
    if code is None or len(raw_code.replace(" ", "")) != len(code):
        raise ValueError(f"ma_ho_so '{raw_code}' sai định dạng (ví dụ đúng: {EXAMPLE_CODE})")
    if not row["ten_thu_tuc"].strip():
        raise ValueError("thiếu ten_thu_tuc")
    if not row["chu_ho_so"].strip():
        raise ValueError("thiếu chu_ho_so")
    phone = re.sub(r"[\s.\-]", "", row["so_dien_thoai"])
    if not _PHONE.fullmatch(phone):
        raise ValueError("so_dien_thoai không hợp lệ (cần số điện thoại Việt Nam, ví dụ 09xxxxxxxx)")
    id_number = row["so_giay_to_tuy_than"].strip().upper()
    if id_number and not _ID_NUMBER.fullmatch(id_number):
        raise ValueError("so_giay_to_tuy_than không hợp lệ (9 hoặc 12 chữ số, hoặc số hộ chiếu)")
    received = _date(row["ngay_tiep_nhan"], "ngay_tiep_nhan", required=True)
    appointment = _date(row["ngay_hen_tra"], "ngay_hen_tra", required=False)
    result_date = _date(row["ngay_co_ket_qua"], "ngay_co_ket_qua", required=False)
    if appointment and received and appointment < received:
        raise ValueError("ngay_hen_tra trước ngay_tiep_nhan")
    if result_date and received and result_date < received:
        raise ValueError("ngay_co_ket_qua trước ngay_tiep_nhan")
    status = parse_status(row["trang_thai"])
    secret = row.get("ma_tra_cuu", "").strip()
    if secret and not re.fullmatch(r"[A-Z0-9]{6,32}", normalise_secret(secret)):
        raise ValueError("ma_tra_cuu không hợp lệ (6–32 chữ cái và chữ số)")
    return Dossier(
        code=code,
        procedure_name=row["ten_thu_tuc"].strip(),
        masked_name=mask_name(row["chu_ho_so"]),
        phone_last4=last4(phone),
        status=status,
        received=received,
        appointment=appointment,
        result_date=result_date,
        note=mask_text(row["ghi_chu"].strip(), names=[row["chu_ho_so"]]),
        birth_year=birth_year(row.get("nam_sinh", "")),
        secret_digest=secret_digest(code, secret) if secret else "",
    )


def read_csv(text: str) -> ImportReport:
    """Parse and check a whole export; nothing is written here."""
    report = ImportReport()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None:
        report.errors.append("Dòng 1: tệp rỗng, không có dòng tiêu đề")
        return report
    header = [h.strip() for h in header]
    extra = header[len(HEADER):]
    if tuple(header[:len(HEADER)]) != HEADER or len(set(extra)) != len(extra) or not set(extra) <= set(OPTIONAL):
        report.errors.append(f"Dòng 1: tiêu đề phải đúng là: {','.join(HEADER)} "
                             f"(có thể thêm sau đó các cột {', '.join(OPTIONAL)})")
        return report
    seen: dict[str, int] = {}
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            report.errors.append(f"Dòng {line}: có {len(cells)} cột, cần {len(header)}")
            continue
        try:
            dossier = _row_to_dossier(dict(zip(header, cells, strict=True)))
        except ValueError as exc:
            report.errors.append(f"Dòng {line}: {exc}")
            continue
        if dossier.code in seen:
            report.errors.append(f"Dòng {line}: ma_ho_so {dossier.code} trùng với dòng {seen[dossier.code]}")
            continue
        seen[dossier.code] = line
        report.dossiers.append(dossier)
    return report


def import_file(path: Path, store: DossierStore) -> tuple[ImportReport, UpsertResult | None]:
    """Check ``path`` and, only if every row is good, upsert all of it in one transaction."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return ImportReport(errors=["Tệp không phải UTF-8; hãy xuất lại tệp CSV với mã hóa UTF-8"]), None
    except OSError as exc:
        return ImportReport(errors=[f"Không đọc được tệp: {exc.strerror}"]), None
    report = read_csv(text)
    if not report.ok:
        return report, None
    return report, store.upsert(report.dossiers)

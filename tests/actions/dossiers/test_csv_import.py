import subprocess
import sys
from pathlib import Path

import pytest

from actions.dossiers.csv_import import HEADER, import_file, read_csv
from actions.dossiers.model import Status
from actions.dossiers.store import DossierStore
from records.database import make_engine

ROOT = Path(__file__).resolve().parents[3]
GOOD_ROWS = [
    "000.00.07.H29-261101-0042,Đăng ký khai sinh,Nguyễn Văn An,0912345678,079201001234,"
    "2026-11-01,2026-11-03,,4,",
    '000.00.07.h29-261102-0007,"Cấp Phiếu lý lịch tư pháp",Trần Thị Bình,0987 654 321,,'
    '2026-11-02,2026-11-12,2026-11-10,10,"Đã trả kết quả qua bưu chính, gọi 0987654321"',
]


def csv_text(*rows: str) -> str:
    return "\n".join([",".join(HEADER), *rows]) + "\n"


@pytest.fixture
def store(tmp_path) -> DossierStore:
    return DossierStore(make_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}"), seed_demo=False)


def test_good_file_is_parsed_minimised_and_masked():
    report = read_csv(csv_text(*GOOD_ROWS))
    assert report.ok, report.errors
    first, second = report.dossiers
    assert first.masked_name == "N***** V** A*" and first.phone_last4 == "5678"
    assert first.status == Status.DANG_XU_LY and first.result_date is None
    assert second.code == "000.00.07.H29-261102-0007"  # normalised
    assert second.phone_last4 == "4321"
    assert "0987654321" not in second.note


def test_import_and_reimport_upsert_by_code(tmp_path, store):
    path = tmp_path / "export.csv"
    path.write_text(csv_text(*GOOD_ROWS), encoding="utf-8")
    report, result = import_file(path, store)
    assert (result.inserted, result.updated) == (2, 0)
    path.write_text(csv_text(GOOD_ROWS[0].replace(",,4,", ",2026-11-03,10,")), encoding="utf-8")
    report, result = import_file(path, store)
    assert (result.inserted, result.updated) == (0, 1)
    assert store.count() == 2
    assert store.get("000.00.07.H29-261101-0042").status == Status.DA_TRA_KET_QUA


def test_a_file_with_any_bad_row_imports_nothing_and_lists_every_bad_row(tmp_path, store):
    bad = [
        GOOD_ROWS[0],
        "H29-2611-42,Đăng ký khai sinh,An,0912345678,,2026-11-01,,,4,",
        "000.00.07.H29-261101-0043,Đăng ký khai sinh,An,12345,,2026-11-01,,,4,",
        "000.00.07.H29-261101-0044,Đăng ký khai sinh,An,0912345678,,01/11/2026,,,4,",
        "000.00.07.H29-261101-0045,Đăng ký khai sinh,An,0912345678,,2026-11-01,,,11,",
        "000.00.07.H29-261101-0046,,An,0912345678,,2026-11-01,,,4,",
        "000.00.07.H29-261101-0047,Đăng ký khai sinh,An,0912345678,,2026-11-05,2026-11-01,,4,",
        "000.00.07.H29-261101-0042,Đăng ký khai sinh,An,0912345678,,2026-11-01,,,4,",
        "000.00.07.H29-261101-0048,Đăng ký khai sinh,An,0912345678",
        "000.00.07.H29-261101-0049,Đăng ký khai sinh,An,0912345678,12AB,2026-11-01,,,4,",
    ]
    path = tmp_path / "export.csv"
    path.write_text(csv_text(*bad), encoding="utf-8")
    report, result = import_file(path, store)
    assert result is None and store.count() == 0
    lines = [int(e.split(":")[0].removeprefix("Dòng ")) for e in report.errors]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    text = "\n".join(report.errors)
    for reason in ("sai định dạng", "so_dien_thoai", "YYYY-MM-DD", "từ 1 đến 10", "thiếu ten_thu_tuc",
                   "ngay_hen_tra trước", "trùng với dòng 2", "có 4 cột", "so_giay_to_tuy_than"):
        assert reason in text


def test_line_numbers_count_quoted_newlines():
    row = GOOD_ROWS[0].replace(",4,", ',4,"ghi chú\nhai dòng"')
    bad = "000.00.07.H29-261101-0099,Đăng ký khai sinh,An,0912345678,,2026-11-01,,,0,"
    report = read_csv(csv_text(row, bad))
    assert report.errors == ["Dòng 4: trạng thái phải là số từ 1 đến 10, nhận được 0"]


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "tệp rỗng"), (b"a,b,c\n", "tiêu đề"), ("ma_ho_so\n".encode("utf-16"), "UTF-8")],
)
def test_unusable_files_are_refused(tmp_path, store, content, reason):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    report, result = import_file(path, store)
    assert result is None and reason in report.errors[0]


def test_byte_order_mark_from_excel_is_accepted():
    assert read_csv("\ufeff" + csv_text(GOOD_ROWS[0])).ok


def test_command_line_import(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(csv_text(*GOOD_ROWS), encoding="utf-8")
    env = {"DOSSIER_DB_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "actions.dossiers", "import", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "2 hồ sơ mới" in done.stdout
    path.write_text(csv_text("bad,row"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "actions.dossiers", "import", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "Dòng 2" in done.stderr


def test_optional_proof_columns_keep_the_year_and_only_a_digest_of_the_secret():
    from actions.dossiers.proofs import secret_digest

    text = "\n".join([",".join(HEADER) + ",nam_sinh,ma_tra_cuu", GOOD_ROWS[0] + ",1990-05-12,k7qx-3m9p",
                      GOOD_ROWS[1] + ",,"]) + "\n"
    report = read_csv(text)
    assert report.ok, report.errors
    first, second = report.dossiers
    assert first.birth_year == 1990 and first.secret_digest == secret_digest(first.code, "K7QX3M9P")
    assert "K7QX" not in repr(first)
    assert second.birth_year is None and second.secret_digest == ""


@pytest.mark.parametrize("header_extra, cells, reason", [
    (",nam_sinh", ",1890", "năm sinh"),
    (",ma_tra_cuu", ",ab", "ma_tra_cuu"),
    (",ghi_chu_khac", ",x", "tiêu đề"),
    (",nam_sinh,nam_sinh", ",1990,1990", "tiêu đề"),
])
def test_bad_proof_columns_are_reported(header_extra, cells, reason):
    report = read_csv("\n".join([",".join(HEADER) + header_extra, GOOD_ROWS[0] + cells]) + "\n")
    assert not report.ok and reason in report.errors[0]


def test_the_note_loses_the_applicants_name_and_other_names():
    row = GOOD_ROWS[0] + '"Nguyễn Văn An ủy quyền cho chị Trần Thị Bình nhận"'
    [dossier] = read_csv(csv_text(row)).dossiers
    assert "Nguyễn" not in dossier.note and "Trần" not in dossier.note and "ủy quyền" in dossier.note

"""The importer on fixture records: our schema out, a parse report, and the same tree on a second run."""

import json
from datetime import date
from pathlib import Path

import pytest

from knowledge import tthc_import
from knowledge.national import load_national
from knowledge.schema import ChannelKind, Level, NationalProcedure

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tthc"
COUNT = len(list(FIXTURES.glob("*/*.json")))


@pytest.fixture
def imported(tmp_path):
    out = tmp_path / "national"
    report = tmp_path / "report.md"
    assert tthc_import.main([str(FIXTURES), "--out", str(out), "--report", str(report)]) == 0
    return out, report


def test_every_record_becomes_one_file_in_our_schema(imported):
    out, _ = imported
    national = load_national(out)
    assert national.snapshot == date(2026, 7, 20)
    assert len(national.by_code) == COUNT
    proc = national.by_code["1.014063"]
    assert isinstance(proc, NationalProcedure)
    assert proc.id == "tthc_1_014063" and proc.name == "Cấp đổi thẻ căn cước"
    assert proc.decision == "5710/QĐ-BCA-C06" and proc.applicants == "Công dân Việt Nam"
    assert proc.ministry == "bo-cong-an"
    assert proc.levels == [Level.xa] and proc.agency == "Công an cấp Xã" and proc.field == "Cấp, quản lý căn cước"
    assert proc.source.url.startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")
    assert proc.last_reviewed == date(2026, 7, 20)
    assert proc.channel(ChannelKind.truc_tiep).processing_time == "7 ngày làm việc"
    assert proc.result == "Thẻ căn cước" and proc.steps and proc.legal_basis


def test_empty_fee_stays_empty_not_free(imported):
    out, _ = imported
    complaint = load_national(out).by_code["1.000178"]
    assert complaint.channels and all(c.fee == "" for c in complaint.channels)


def test_paper_groups_become_cases_with_headings(imported):
    out, _ = imported
    birth = load_national(out).by_code["1.001193"]
    assert [c.id for c in birth.cases][:2] == ["nhom_1", "nhom_2"]
    assert birth.cases[0].name == "Giấy tờ phải nộp"


def test_cells_that_do_not_parse_are_kept_as_text(imported):
    out, report = imported
    national = load_national(out).by_code
    tax = national["1.007689"]
    assert not tax.channels and tax.notes[0].startswith("Cách thức thực hiện (theo Cổng): Hình thức nộp")
    text = report.read_text(encoding="utf-8")
    assert f"{COUNT} records" in text
    assert "| channels |" in text and "| fees |" in text and "| papers |" in text
    assert "Worst" in text and "1.007689" in text


def test_report_counts_add_up(imported):
    _, report = imported
    for line in report.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| field") and "---" not in line:
            counts = [int(x) for x in line.strip("|").split("|")[1:]]
            assert sum(counts) == COUNT, line


def test_a_second_run_writes_nothing_and_a_vanished_record_is_removed(imported, tmp_path):
    out, _ = imported
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    outcomes, written, removed = tthc_import.run(FIXTURES, out, date(2026, 7, 20))
    assert (written, removed) == (0, 0)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    (out / "9.999999.json").write_text("{}", encoding="utf-8")
    _, _, removed = tthc_import.run(FIXTURES, out, date(2026, 7, 20))
    assert removed == 1 and not (out / "9.999999.json").exists()


def test_generated_files_are_plain_utf8_json(imported):
    out, _ = imported
    text = (out / "1.014063.json").read_text(encoding="utf-8")
    assert "Cấp đổi thẻ căn cước" in text  # not \\u escapes: diffs stay readable
    assert json.loads((out / "index.json").read_text(encoding="utf-8")) == {
        "source": "Cổng Dịch vụ công quốc gia", "snapshot": "2026-07-20", "count": COUNT}


def test_without_a_snapshot_date_it_refuses(tmp_path):
    src = tmp_path / "records" / "bo-x"
    src.mkdir(parents=True)
    (src / "1.000001.json").write_text((FIXTURES / "bo-cong-an" / "1.014063.json").read_text(encoding="utf-8"))
    assert tthc_import.main([str(tmp_path / "records"), "--out", str(tmp_path / "out")]) == 2


def test_the_shipped_import_is_complete():
    national = load_national(Path(tthc_import.KNOWLEDGE_DIR) / "national")
    assert len(national.by_code) >= 2600 and national.snapshot == date(2026, 7, 20)


def test_a_staged_import_waits_beside_the_live_records_until_promoted(imported, tmp_path):
    out, _ = imported
    staged = tthc_import.staging_dir(out)
    assert staged.name == "national.next"
    assert tthc_import.main([str(FIXTURES), "--out", str(out), "--stage", "--report", str(tmp_path / "r.md")]) == 0
    assert (staged / "index.json").is_file()
    assert "Against the records in service: 0 thủ tục mới, 0 thủ tục bị bỏ, 0 thủ tục thay đổi" in (
        tmp_path / "r.md").read_text(encoding="utf-8")
    (out / "1.014063.json").unlink()  # what the live folder lacks comes back, the index last
    written, removed = tthc_import.promote(staged, out)
    assert (written, removed) == (1, 0) and (out / "1.014063.json").is_file() and not staged.exists()


def test_steps_the_portal_cuts_off_mid_sentence_are_unread_not_read_out():
    record = {"ma_thu_tuc": "2.000693", "ten_thu_tuc": "Giải quyết hưởng chế độ thai sản",
              "trinh_tu_thuc_hien": "Bước 1. Lập, nộp hồ sơ a) Cá nhân: - a1) NLĐ lập hồ sơ theo quy định tại "
                                    "Mục 2.3 ("}
    proc, _ = tthc_import.convert(record, "bo-tai-chinh", date(2026, 7, 20))
    assert proc.steps == [] and "steps" in proc.unread
    whole = {**record, "trinh_tu_thuc_hien": "Bước 1. Lập hồ sơ theo quy định.\nBước 2. Nộp hồ sơ."}
    proc, _ = tthc_import.convert(whole, "bo-tai-chinh", date(2026, 7, 20))
    assert proc.steps and "steps" not in proc.unread


def test_a_division_named_without_its_number_is_cut_off_too():
    from knowledge.tthc_cells import cut_off

    assert cut_off(["Lập, nộp hồ sơ 1. Người tham gia lập hồ sơ theo quy định tại tiết 1 mục"])
    assert cut_off(["Lập hồ sơ theo quy định tại tiết 1.1 điểm 1 Mục"])
    assert not cut_off(["Lập hồ sơ theo quy định tại Điều 5"])
    assert not cut_off(["Nộp hồ sơ tại Bộ phận Một cửa cấp xã"])


# 1.001613 as the snapshot has it (papers shortened): the steps cell stops at "mục 9.3 (" and the papers cell holds
# the rest of the steps; the page's whole text has both sections.
_CUT_RECORD = {
    "ma_thu_tuc": "1.001613", "ten_thu_tuc": "Giải quyết hưởng bảo hiểm xã hội một lần",
    "trinh_tu_thuc_hien": "Bước 1. Lập, nộp hồ sơ NLĐ lập hồ sơ theo quy định tại mục 9.3 (",
    "thanh_phan_ho_so": ") và nộp cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải quyết theo quy định.",
    "raw_text": "Giải quyết hưởng bảo hiểm xã hội một lầnTên thủ tục...Trình Tự Thực HiệnBước 1. Lập, nộp hồ sơ NLĐ "
                "lập hồ sơ theo quy định tại mục 9.3 (Thành phần hồ sơ) và nộp cho cơ quan BHXH.\nBước 2. Cơ quan "
                "BHXH tiếp nhận hồ sơ và giải quyết theo quy định.\nCách Thức Thực HiệnHình thức nộpThời gianPhí, "
                "lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phíThành phần hồ sơ(Trường hợp không quy định là bản "
                "chính thì có thể nộp bản sao hợp lệ).Tên giấy tờMẫu đơn, tờ khaiSố lượngTrường hợp không quy định "
                "rõ bản chính thì có thể nộp bản sao hợp lệ0 bản chính,1 bản sao1. Trường hợp hưởng BHXH một lần"
                "Tên giấy tờMẫu đơn, tờ khaiSố lượngb) Đơn đề nghị (Mẫu số 14-HSB)1 bản chínha) Sổ BHXH1 bản chính"
                "Căn cứ pháp lýTên văn bản pháp lýMã văn bảnLUẬT Bảo hiểm xã hội58/2014/QH13Cơ quan thực hiện...",
}


def test_a_cut_cell_is_read_from_the_page_s_whole_text():
    proc, outcome = tthc_import.convert(_CUT_RECORD, "bo-tai-chinh", date(2026, 7, 20))
    assert proc.steps == ["Lập, nộp hồ sơ NLĐ lập hồ sơ theo quy định tại mục 9.3 (Thành phần hồ sơ) và nộp cho "
                          "cơ quan BHXH.", "Cơ quan BHXH tiếp nhận hồ sơ và giải quyết theo quy định."]
    # the table's footnote on copies is not a paper
    assert [(c.name, [p.name for p in c.papers]) for c in proc.cases] == [
        ("1. Trường hợp hưởng BHXH một lần", ["a) Sổ BHXH", "b) Đơn đề nghị (Mẫu số 14-HSB)"])]
    assert proc.unread == [] and outcome.fields["steps"] == tthc_import.STRUCTURED


def test_without_the_page_s_text_a_cut_cell_stays_unread():
    record = {k: v for k, v in _CUT_RECORD.items() if k != "raw_text"}
    proc, _ = tthc_import.convert(record, "bo-tai-chinh", date(2026, 7, 20))
    assert proc.steps == [] and proc.cases == [] and proc.unread == ["papers", "steps"]

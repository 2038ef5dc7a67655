"""The portal's flattened cells: structure where the shape is known, the published text where it is not."""

import json
from pathlib import Path

import pytest

from knowledge import tthc_cells as cells

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tthc"


def record(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def by_kind(rows):
    return {row.kind: row for row in rows}


def test_several_channels_each_with_its_time_fee_and_description():
    rows, parsed = cells.parse_channels(record("bo-cong-an/1.014063")["cach_thuc_thuc_hien"])
    assert parsed and set(by_kind(rows)) == {"truc_tiep", "truc_tuyen", "buu_chinh"}
    direct = by_kind(rows)["truc_tiep"]
    assert direct.processing_time == "7 ngày làm việc"
    # The amount, then the conditions the portal attaches to it, as published.
    assert direct.fee.startswith("50.000 đồng (") and "64/2025/TT-BTC" in direct.fee and "31/12/2026" in direct.fee
    assert direct.note.startswith("Trực tiếp tại trụ sở Công an cấp xã")
    # "Miễn phí" with a note that is not about being free: the note is the fee.
    assert by_kind(rows)["buu_chinh"].fee == "Trả phí cho đơn vị cung cấp dịch vụ."


def test_different_fees_per_channel():
    rows, _ = cells.parse_channels(record("bo-cong-an/1.001456")["cach_thuc_thuc_hien"])
    fees = {row.kind: row.fee for row in rows}
    assert fees["truc_tiep"].startswith("200.000 đồng") and fees["truc_tuyen"].startswith("160.000 đồng")


@pytest.mark.parametrize(
    ("text", "fee"),
    [
        # The portal stored 0 ("Miễn phí") and wrote the real fee in the note.
        ("Trực tiếp5 Ngày làm việcMiễn phí(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)",
         "Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần."),
        ("Trực tuyến7 Ngày làm việcMiễn phí(Chưa quy định.)", "Chưa quy định."),
        # Free, said twice.
        ("Trực tiếp3 NgàyMiễn phí(Miễn lệ phí đăng ký doanh nghiệp)", "Miễn phí (Miễn lệ phí đăng ký doanh nghiệp)"),
        # Free for some, an amount for others: the note alone, not "Miễn phí".
        ("Trực tiếp3 NgàyMiễn phí(Miễn cho hộ nghèo; trường hợp khác 50.000 đồng/lần)",
         "Miễn cho hộ nghèo; trường hợp khác 50.000 đồng/lần"),
        ("Trực tiếp3 NgàyMiễn phí", "Miễn phí"),
        ("Trực tiếp3 NgàyMiễn phí(Không)", "Miễn phí"),
        # Empty, 0 or "Không có thông tin": not published, never free.
        ("Trực tiếp3 NgàyKhông có thông tin", ""),
        ("Trực tiếp3 NgàyVNĐ", ""),
        ("Trực tiếp3 Ngày0 VNĐ", ""),
        # An amount in thousands with the right figure in its note.
        ("Trực tuyến7 Ngày làm việc150 VNĐ(150.000 đồng/lần/thẻ.)", "150.000 đồng/lần/thẻ."),
        ("Trực tiếp21 Ngày1,200,000 Việt Nam Đồng", "1.200.000 đồng"),
        # What the amount is per, read with it.
        ("Trực tiếp1 Ngày làm việc10.000 Đồng(/trường hợp)", "10.000 đồng/trường hợp"),
    ],
)
def test_fee_cells(text, fee):
    [row], _ = cells.parse_channels("Hình thức nộpThời gianPhí, lệ phíMô tả" + text)
    assert row.fee == fee


def test_an_implausible_amount_alone_is_kept_as_published_and_counted_as_text():
    rows, parsed = cells.parse_channels(record("bo-tai-chinh/1.007642")["cach_thuc_thuc_hien"])
    assert not parsed
    assert all(row.fee == "120 VNĐ" and row.processing_time == "" for row in rows)


def test_time_without_a_unit_or_without_information():
    [row], _ = cells.parse_channels("Trực tuyến1Miễn phí")
    assert row.processing_time == "1"
    [row], _ = cells.parse_channels("Trực tiếpKhông có thông tin50,000 Việt Nam Đồng(/di chúc)")
    assert row.processing_time == "" and row.fee == "50.000 đồng/di chúc"


def test_a_channels_cell_without_the_table_shape_does_not_parse():
    rows, parsed = cells.parse_channels(record("bo-tai-chinh/1.007689")["cach_thuc_thuc_hien"])
    assert not parsed and not rows


def test_a_channel_name_inside_a_description_does_not_start_a_row():
    rows, _ = cells.parse_channels("Trực tiếp7 Ngày làm việcMiễn phíNộp Trực tiếp tại Công an xã.")
    assert len(rows) == 1 and rows[0].note == "Nộp Trực tiếp tại Công an xã."


def test_papers_with_form_codes_files_and_counts():
    groups, parsed = cells.parse_papers(record("bo-cong-an/1.014063")["thanh_phan_ho_so"])
    assert parsed and len(groups) == 1
    first = groups[0].papers[0]
    assert first.name.startswith("Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02")
    assert first.form_code == "DC02" and first.form_file.endswith(".doc") and first.originals == 1


def test_papers_grouped_under_the_portals_headings():
    groups, _ = cells.parse_papers(record("bo-tu-phap/1.001193")["thanh_phan_ho_so"])
    headings = [g.heading for g in groups]
    assert headings[:2] == ["Giấy tờ phải nộp", "Giấy tờ phải xuất trình"]
    assert any(p.name.startswith("Giấy chứng sinh") for p in groups[0].papers)


def test_copies_and_originals():
    groups, _ = cells.parse_papers("--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản xác nhận0 bản chính,1 bản sao")
    [paper] = groups[0].papers
    assert (paper.originals, paper.copies) == (0, 1)


def test_papers_labelled_with_letters_come_in_the_letters_order():
    head = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    groups, _ = cells.parse_papers(f"{head}d) Giấy chứng tử1 bản saob) Đơn đề nghị (Mẫu số 14-HSB)1 bản chính"
                                   f"đ) Hóa đơn phí giám định1 bản chínha) Sổ BHXH1 bản chính")
    assert [p.name[:2] for p in groups[0].papers] == ["a)", "b)", "d)", "đ)"]
    groups, _ = cells.parse_papers(f"{head}d) Giấy chứng tử1 bản saoSổ BHXH1 bản chính")  # one unlabelled: as published
    assert [p.name[:2] for p in groups[0].papers] == ["d)", "Sổ"]



def test_papers_numbered_come_in_their_numbers_order_unless_a_number_repeats():
    head = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    groups, _ = cells.parse_papers(f"{head}3. Biên bản điều tra1 bản chính10. Hóa đơn phí giám định1 bản chính"
                                   f"1. Văn bản đề nghị (mẫu số 05A-HSB)1 bản chính2. Giấy ra viện1 bản sao")
    assert [p.name.split(".")[0] for p in groups[0].papers] == ["1", "2", "3", "10"]
    groups, _ = cells.parse_papers(f"{head}2. Giấy ra viện1 bản sao1. Tờ khai1 bản chính"
                                   f"1. Giấy ủy quyền1 bản chính")  # two lists run together: as published
    assert [p.name.split(".")[0] for p in groups[0].papers] == ["2", "1", "1"]

def test_a_count_the_papers_name_states_in_parentheses_does_not_end_its_row():
    head = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    groups, _ = cells.parse_papers(f"{head}Phiếu yêu cầu tại Phụ lục (01 bản chính) (khoản 1 Điều 27).1 bản chính"
                                   f"Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)."
                                   f"0 bản chính,1 bản sao")
    assert [p.name for p in groups[0].papers] == [
        "Phiếu yêu cầu tại Phụ lục (01 bản chính) (khoản 1 Điều 27).",
        "Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)."]
    assert (groups[0].papers[1].originals, groups[0].papers[1].copies) == (0, 1)
    # The column's count glued to a row left open is the column's, though the next row's label closes it.
    groups, _ = cells.parse_papers(f"{head}a) Ủy nhiệm chi (trừ điểm c mục 4.1.1 bản chínhc) Bảng kê1 bản chính")
    assert [p.name for p in groups[0].papers] == ["a) Ủy nhiệm chi (trừ điểm c mục 4.1.", "c) Bảng kê"]


def test_a_papers_cell_without_the_table_is_not_structured():
    groups, parsed = cells.parse_papers(record("bo-nong-nghiep-mt/1.014951")["thanh_phan_ho_so"])
    assert not parsed and not groups


def test_legal_basis_rows_split_where_a_number_meets_the_next_title():
    rows, parsed = cells.parse_legal_basis(record("bo-cong-an/1.014063")["can_cu_phap_ly"])
    assert parsed
    numbers = [r.number for r in rows]
    assert numbers[:3] == ["64/2025/TT-BTC", "53/2025/TT-BCA", "26/2023/QH15"]
    assert rows[2].title == "Luật Căn cước" and "70/2024/NĐ-CP" in numbers


def test_steps_by_bước_with_their_bullets():
    steps, structured = cells.parse_steps("- Bước 1: \n+ Đến Công an xã.\n+ Nộp tờ khai.\n- Bước 2: Nhận kết quả.")
    assert structured and steps == ["Đến Công an xã.\n   - Nộp tờ khai.", "Nhận kết quả."]
    lines, structured = cells.parse_steps("- Nộp hồ sơ.\n- Nhận kết quả.")
    assert not structured and lines == ["Nộp hồ sơ.", "Nhận kết quả."]


def test_result_without_page_furniture_and_levels():
    assert cells.parse_result(record("bo-cong-an/1.014063")["ket_qua_xu_ly"]) == ("Thẻ căn cước", True)
    assert cells.parse_result("Không có thông tin") == ("", False)
    assert cells.parse_levels("Cấp bộ, Cấp tỉnh, Cơ quan khác") == (["trung_uong", "tinh"], True)
    assert cells.plain("Không có thông tin") == ""

from types import SimpleNamespace

from knowledge.forms import FORMS_MAX, form_case, named_forms
from knowledge.schema import Case, Paper


def _proc(*papers: Paper) -> SimpleNamespace:
    """Only what ``named_forms`` reads of a procedure: its cases."""
    return SimpleNamespace(cases=[Case(id="chung", name="Chung", papers=list(papers))])


def test_a_form_named_in_a_curated_entry_is_read_from_its_record(real_kb):
    # The curated paper says "(theo mẫu)"; the record names the decree's form.
    forms = named_forms(real_kb.get("cap_giay_phep_xay_dung_nha_o"))
    assert forms == ["Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II Nghị định số 175/2024/NĐ-CP "
                     "ngày 30/12/2024 của Chính phủ"]
    passport = named_forms(real_kb.get("cap_ho_chieu_pho_thong"))
    assert len(passport) == 1 and "mẫu TK01a dành cho người chưa đủ 14 tuổi" in passport[0]
    # Who signs for a child is kept; the form's file name glued after it ("ký thay.Mau TK01a to khai ...") is not.
    assert passport[0].endswith("người chưa đủ 14 tuổi thì người đại diện hợp pháp khai và ký thay")


def test_a_paper_that_names_no_form_is_left_out():
    assert named_forms(_proc(Paper(name="Đơn đề nghị (theo mẫu)"), Paper(name="Bản sao giấy khai sinh"))) == []
    assert named_forms(_proc(Paper(name="Tờ khai", form_code="1"))) == []  # a count, not a code


def test_a_form_code_the_portal_lists_is_given_beside_the_paper():
    assert named_forms(_proc(Paper(name="Tờ khai thay đổi thông tin cư trú", form_code="CT01"))) == [
        "Tờ khai thay đổi thông tin cư trú (mẫu CT01)"]


def test_one_line_per_form_the_forms_to_fill_first_and_the_table_residue_cut():
    papers = [
        Paper(name="Giấy xác nhận của xã, có ghi theo mẫu số 05/XN ở cuối"),
        Paper(name="Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA);1"),
        Paper(name="Tờ khai thay đổi thông tin cư trú của từng người (Mẫu CT01 ban hành kèm theo Thông tư 53)."),
    ]
    assert named_forms(_proc(*papers)) == [
        "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)",
        "Giấy xác nhận của xã, có ghi theo mẫu số 05/XN ở cuối"]


def test_at_most_a_few_forms():
    papers = [Paper(name=f"Tờ khai số {i} (mẫu TK0{i})") for i in range(1, 8)]
    assert len(named_forms(_proc(*papers))) == FORMS_MAX


def test_only_the_forms_of_the_case_the_message_describes_are_given(real_kb):
    # Record 1.008498 has five cases; the dependant's registration made directly with the tax office is the fifth,
    # its form 20-ĐK-TCT, which the record's order would put after the four allowed.
    tax = real_kb.get("dang_ky_ma_so_thue_ca_nhan")
    assert not any("20-ĐK-TCT" in line for line in named_forms(tax))
    text = "e muon dang ky nguoi phu thuoc la me e de giam tru gia canh, tu nop thang cho co quan thue thi dung mau nao"
    case = form_case(tax, text, real_kb.shorthand)
    assert case is not None
    assert named_forms(tax, case) and all("20-ĐK-TCT" in line for line in named_forms(tax, case))
    # No case described: the record's order.
    assert form_case(tax, "mã số thuế cá nhân dùng mẫu nào", real_kb.shorthand) is None

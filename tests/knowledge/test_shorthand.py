"""Chat shorthand written out."""

from __future__ import annotations

from knowledge.shorthand import Shorthand, load_shorthand


def test_table_entries_are_written_out_in_folded_and_accented_form():
    table = Shorthand({"ko": "không", "đk": "đăng ký"})
    assert table.expand_folded(["dk", "ko", "duoc"]) == ["dang", "ky", "khong", "duoc"]
    assert table.full_form("ĐK") == "đăng ký"
    assert table.full("xyz") is None


def test_an_age_glued_to_its_unit_is_written_out_but_a_weekday_is_left_alone():
    table = Shorthand({})
    assert table.expand_folded(["e", "24t", "moi", "lam"]) == ["e", "24", "tuoi", "moi", "lam"]
    assert table.full("6t") == "6 tuổi"
    assert table.full_form("15T") is None  # the NLU's lemma stays as typed
    # "t7" is Saturday as often as July: it stays as typed.
    assert table.expand_folded(["t7", "2t3"]) == ["t7", "2t3"]


def test_the_shipped_table_expands_what_citizens_type():
    table = load_shorthand()
    assert table.expand_folded(["ko", "dc"]) == ["khong", "duoc"]
    # registration and exit-entry abbreviations, with "đ" or without
    assert table.expand_folded(["dki", "ket", "hon"]) == ["dang", "ky", "ket", "hon"]
    assert table.expand_folded(["phong", "dkkd"]) == ["phong", "dang", "ky", "kinh", "doanh"]
    assert table.expand_folded(["xnc"]) == ["xuat", "nhap", "canh"]
    # a tax settlement
    assert table.expand_folded(["tu", "qtt", "tncn"]) == ["tu", "quyet", "toan", "thue", "tncn"]

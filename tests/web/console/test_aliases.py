"""Adding a citizen's wording as an alias: cleaned, checked, published."""

import pytest

from knowledge.base import KnowledgeBase
from knowledge.loader import load_procedure
from web.console.aliases import AliasRefused, add_alias, clean_alias


def test_alias_is_published_to_the_yaml_file(kb_dir):
    added = add_alias(kb_dir, "cap_ho_chieu_pho_thong", "  làm   pát-xpo đi Hàn?  ")
    assert added.alias == "làm pát-xpo đi Hàn"
    path = kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml"
    assert "làm pát-xpo đi Hàn" in load_procedure(path).aliases
    assert "+- làm pát-xpo đi Hàn" in added.diff.replace("+  - ", "+- ")
    kb = KnowledgeBase(kb_dir)
    assert kb.search("cho hỏi làm pat xpo di han")[0].procedure_id == "cap_ho_chieu_pho_thong"


def test_existing_names_and_aliases_are_refused_ignoring_diacritics(kb_dir):
    with pytest.raises(AliasRefused, match="đã là tên gọi"):
        add_alias(kb_dir, "cap_ho_chieu_pho_thong", "HO CHIEU")


def test_junk_and_unknown_procedures_are_refused(kb_dir):
    for text in ("", "   ", "???", "😀", "x" * 101):
        with pytest.raises(AliasRefused):
            clean_alias(text)
    with pytest.raises(AliasRefused, match="Không có thủ tục"):
        add_alias(kb_dir, "khong_co", "abc")


def test_an_alias_shared_with_another_procedure_is_reported(kb_dir):
    added = add_alias(kb_dir, "cap_ho_chieu_pho_thong", "căn cước")
    assert added.shared_with  # the bot will ask which one


def test_search_aliases_count_as_names_already_given(kb_dir):
    with pytest.raises(AliasRefused, match="đã là tên gọi"):
        add_alias(kb_dir, "huong_che_do_thai_san", "nghi de")  # one of its search aliases
    added = add_alias(kb_dir, "cap_ho_chieu_pho_thong", "nghỉ đẻ")
    assert "Giải quyết hưởng chế độ thai sản" in " ".join(added.shared_with)


def test_an_imported_procedure_gets_its_new_name_in_the_folk_names_file(kb_dir):
    path = kb_dir / "folk_names.yml"
    before = path.read_text(encoding="utf-8")
    added = add_alias(kb_dir, "tthc_1_000178", "khiếu nại công an xã")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before.split("\n", 1)[0])  # its top comments are kept
    assert '"1.000178"' in text or "1.000178:" in text
    assert "+" in added.diff and "khiếu nại công an xã" in added.diff and "folk_names.yml" in added.diff
    kb = KnowledgeBase(kb_dir, min_interval=0)
    assert "khiếu nại công an xã" in kb.get("tthc_1_000178").aliases
    with pytest.raises(AliasRefused):
        add_alias(kb_dir, "tthc_1_000178", "Khiếu nại công an xã")
    with pytest.raises(AliasRefused):
        add_alias(kb_dir, "tthc_9_999999", "không có thủ tục này")

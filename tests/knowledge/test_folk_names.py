"""Folk names of imported procedures live in one file officers can edit; no retraining."""

import pytest

from knowledge.base import KnowledgeBase
from knowledge.folk_names import load_folk_names
from knowledge.loader import KnowledgeFileError
from knowledge.search import resolve


def test_shipped_folk_names_reach_their_procedures(real_kb):
    for text, wanted in [("rút bảo hiểm xã hội một lần", "tthc_1_001613"), ("tách thửa đất", "tthc_1_012784"),
                         ("cắt khẩu cho con", "tthc_1_003197"), ("nhận con nuôi", "tthc_2_001263")]:
        found = resolve(real_kb.search(text))
        assert found.confident and found.confident.procedure_id == wanted, (text, real_kb.search(text))


def test_a_new_folk_name_works_after_reload(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    assert not resolve(kb.search("báo phương án nuôi heo")).confident
    path = kb_dir / "folk_names.yml"
    assert "1.014951" not in load_folk_names(path)
    path.write_text(path.read_text(encoding="utf-8") + '"1.014951":\n  - báo phương án nuôi heo\n', encoding="utf-8")
    assert resolve(kb.search("báo phương án nuôi heo")).confident.procedure_id == "tthc_1_014951"


@pytest.mark.parametrize("text", ["- a list\n", '"abc":\n  - x\n', '"1.001613": just text\n', '"1.001613":\n  - ""\n'])
def test_malformed_files_are_refused(tmp_path, text):
    path = tmp_path / "folk_names.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeFileError):
        load_folk_names(path)


def test_a_broken_file_keeps_the_last_good_names(kb_dir):
    kb = KnowledgeBase(kb_dir, min_interval=0)
    (kb_dir / "folk_names.yml").write_text("- broken\n", encoding="utf-8")
    kb.refresh()
    assert resolve(kb.search("rút bảo hiểm xã hội một lần")).confident.procedure_id == "tthc_1_001613"

"""Phrases that mean one thing, read as one."""

from __future__ import annotations

from knowledge.passages import words_of
from knowledge.shorthand import Shorthand
from knowledge.synonyms import Synonyms, load_synonyms, problems_of

SHORTHAND = Shorthand({"bh": "bảo hiểm", "bhxh": "bảo hiểm xã hội"})


def read(groups, text):
    tokenize = lambda t: words_of(t, SHORTHAND)  # noqa: E731
    return Synonyms(groups).reader(tokenize).fold_in(tokenize(text))


def test_every_phrase_of_a_group_is_read_as_its_first():
    groups = [["đóng bảo hiểm", "tham gia bảo hiểm"], ["mang thai", "có bầu", "có thai"]]
    said = read(groups, "tham gia BHXH 8 tháng, đang có bầu")
    assert said == read(groups, "đóng bảo hiểm xã hội 8 tháng, đang mang thai")
    assert read(groups, "tham gia giao thông") == ["tham", "gia", "giao", "thong"]


def test_the_longest_phrase_is_read_first():
    groups = [["giấy phép lái xe", "bằng lái", "bằng lái xe"]]
    assert read(groups, "mất bằng lái xe máy") == ["mat", "giay", "phep", "lai", "xe", "may"]


def test_a_phrase_without_marks_still_reads_but_one_syllable_alone_does_not():
    groups = [["sổ đỏ", "bìa đỏ"], ["sinh", "đẻ"]]
    assert read(groups, "bia do mat roi") == ["so", "do_", "mat", "roi"]
    assert read(groups, "đẻ con") == read(groups, "sinh con ạ")[:2]
    assert read(groups, "de lam gi") == ["de", "lam", "gi"]  # "để làm gì", not "đẻ"


def test_the_first_phrase_written_without_marks_reads_as_written_with_them():
    # Unmarked "thi" folds like "thì", a function word; "thi lai" as a phrase is still the test taken again.
    groups = [["thi lại", "sát hạch lại"]]
    assert read(groups, "co phai thi lai khong") == read(groups, "có phải thi lại không")
    assert read(groups, "phải sát hạch lại") == read(groups, "phải thi lại")


def test_the_shipped_groups_load_and_a_broken_file_reads_words_as_written(tmp_path, caplog):
    assert len(load_synonyms()) >= 10
    broken = tmp_path / "synonyms.yml"
    broken.write_text("- [a, b\n", encoding="utf-8")
    assert len(load_synonyms(broken)) == 0
    assert "unreadable" in caplog.text
    broken.write_text("a: b\n", encoding="utf-8")
    assert len(load_synonyms(broken)) == 0


def test_a_photocopy_is_a_copy(real_kb):
    words = real_kb.question_index.words
    assert words("có cần nộp bản photo cccd ko") == words("có cần nộp bản sao cccd ko")


def test_kb_check_says_what_is_wrong_with_a_group(tmp_path):
    path = tmp_path / "synonyms.yml"
    path.write_text("- [ly hôn, ly dị]\n- [một mình]\n- ly dị\n- [li dị, Ly dị]\n", encoding="utf-8")
    problems, warnings = problems_of(path)
    assert problems == ["nhóm thứ 2 phải có ít nhất hai cách nói, viết trong ngoặc vuông",
                        "nhóm thứ 3 phải có ít nhất hai cách nói, viết trong ngoặc vuông"]
    assert len(warnings) == 1 and "nhóm thứ 1 và nhóm thứ 4" in warnings[0]
    path.write_text("a: [b, c\n", encoding="utf-8")
    assert "sai cú pháp" in problems_of(path)[0][0]
    assert problems_of(tmp_path / "missing.yml") == ([], [])
    assert problems_of() == ([], [])  # the shipped file

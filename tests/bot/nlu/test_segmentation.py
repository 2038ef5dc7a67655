import unicodedata

import pytest

from bot.nlu.segmentation import MAX_CHARS, Segmenter
from knowledge.shorthand import load_shorthand


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(load_shorthand())


def _check_offsets(text, pieces):
    for piece in pieces:
        assert text[piece.start : piece.end] == piece.text
    starts = [p.start for p in pieces]
    assert starts == sorted(starts)


def test_accented_text_keeps_compounds_as_one_word(segmenter):
    text = "Làm căn cước công dân mất bao lâu?"
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert [p.lemma for p in pieces] == ["lam", "can_cuoc", "cong_dan", "mat", "bao_lau"]


def test_nfd_input_offsets_point_into_typed_text(segmenter):
    text = unicodedata.normalize("NFD", "Nhập hộ khẩu cho vợ cần giấy tờ gì?")
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert "ho_khau" in [p.lemma for p in pieces]
    khau = next(p for p in pieces if p.lemma == "ho_khau")
    assert unicodedata.normalize("NFC", khau.text) == "hộ khẩu"


def test_old_style_tone_placement_gives_same_lemmas(segmenter):
    old = segmenter.segment("thuỷ sản hoà giải")
    new = segmenter.segment("thủy sản hòa giải")
    assert [p.lemma for p in old] == [p.lemma for p in new]


def test_diacritic_free_text_meets_accented_lemmas(segmenter):
    plain = [p.lemma for p in segmenter.segment("lam can cuoc mat bao lau")]
    assert plain[:2] == ["lam", "can_cuoc"]
    assert "mat" in plain


def test_multiple_spaces_and_punctuation(segmenter):
    text = "đăng ký  tạm trú ở   đâu!!! (gấp)"
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert [p.lemma for p in pieces] == ["dang_ky", "tam_tru", "o", "dau", "gap"]


def test_shorthand_is_its_own_token_with_expanded_lemma(segmenter):
    text = "lm lai cccd ntn z"
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert [p.lemma for p in pieces] == ["lam", "lai", "can_cuoc_cong_dan", "nhu_the_nao", "vay"]


def test_dossier_code_stays_one_token(segmenter):
    text = "tra cứu hồ sơ 000.00.07.H29-261101-0042 giúp mình"
    code = next(p for p in segmenter.segment(text) if "-" in p.text)
    assert code.text == "000.00.07.H29-261101-0042"


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "!!!", "\u200b"])
def test_nothing_to_read_gives_no_tokens(segmenter, text):
    assert segmenter.segment(text) == []


def test_markup_is_split_into_words_without_brackets(segmenter):
    text = "<b>xin chào</b>"
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert all("<" not in p.text and ">" not in p.text for p in pieces)


def test_very_long_message_is_fully_covered(segmenter):
    text = "làm hộ chiếu ở đâu " * (MAX_CHARS // 10)
    pieces = segmenter.segment(text)
    _check_offsets(text, pieces)
    assert pieces[-1].end == len(text.rstrip())


def test_every_dossier_code_has_the_same_lemma(segmenter):
    from bot.nlu.segmentation import DOSSIER_CODE_LEMMA

    for code in ("000.00.07.H29-261101-0042", "000.23.15.h10-261015-0107", "000.00.07.h29 - 261101 - 0042"):
        pieces = segmenter.segment(f"hồ sơ {code}")
        assert [p.lemma for p in pieces][-1] == DOSSIER_CODE_LEMMA
        assert pieces[-1].text == code


def test_a_mistyped_code_looks_like_a_code_but_dates_and_amounts_stay_numbers(segmenter):
    from bot.nlu.segmentation import DOSSIER_CODE_LEMMA

    assert segmenter.segment("tra cứu hồ sơ H29-2611-42")[-1].lemma == DOSSIER_CODE_LEMMA
    for text in ("nộp ngày 23/11/2026", "lệ phí 1.500.000 đồng", "mẫu ct07", "mã 12345"):
        assert DOSSIER_CODE_LEMMA not in [p.lemma for p in segmenter.segment(text)], text

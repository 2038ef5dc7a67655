import unicodedata

import pytest

from knowledge.vntext import canonical, fold, has_diacritics, normalize, question_part, syllables, without_residence


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hoà bình", "hòa bình"),
        ("HOÀ", "HÒA"),
        ("thuỷ sản", "thủy sản"),
        ("khoẻ", "khỏe"),
        ("uỷ ban", "ủy ban"),
        ("hoạ sĩ", "họa sĩ"),
        ("quý", "quý"),  # "qu" + y: the mark is already on y
        ("hoàn thành", "hoàn thành"),  # closed syllable: nothing to move
        ("hoặc thuỷ", "hoặc thủy"),  # o + ă is no open "oa": its dot below stays where it is
        ("thuyết", "thuyết"),
    ],
)
def test_canonical_moves_old_style_tone_marks(typed, expected):
    assert canonical(typed) == expected


def test_normalize_maps_nfd_back_to_typed_offsets():
    typed = unicodedata.normalize("NFD", "Căn cước hoà")
    norm = normalize(typed)
    assert norm.text == "Căn cước hòa"
    assert len(typed) > len(norm.text)
    start, end = norm.original_span(9, 12)
    assert unicodedata.normalize("NFC", typed[start:end]) == "hoà"
    assert norm.original_span(0, 3) == (0, 4)  # "Că" + combining breve + "n"


def test_normalize_keeps_nfc_text_one_to_one():
    typed = "Đăng ký  tạm trú!"
    norm = normalize(typed)
    assert norm.text == typed
    assert [norm.original_span(i, i + 1) for i in range(len(typed))] == [(i, i + 1) for i in range(len(typed))]


def test_normalize_rejects_empty_range():
    with pytest.raises(ValueError):
        normalize("abc").original_span(1, 1)


def test_fold_removes_marks_and_keeps_length():
    text = "Đăng ký thường trú ở Hà Nội"
    assert fold(text) == "Dang ky thuong tru o Ha Noi"
    assert len(fold(text)) == len(text)


def test_fold_is_fold_char_for_every_character_whatever_the_script():
    from knowledge.vntext import fold_char

    text = "Đăng ký – 한국어 😀 ǅ ﬁ Ώ ñ ỷ"
    assert fold(text) == "".join(fold_char(ch) for ch in text)
    assert fold(text) == fold(text)  # the second time from the table it filled


def test_has_diacritics():
    assert has_diacritics("làm căn cước")
    assert has_diacritics("đi")
    assert not has_diacritics("lam can cuoc")


def test_syllables_are_folded_lower_case_words():
    assert syllables("Làm CCCD mất bao lâu?") == ["lam", "cccd", "mat", "bao", "lau"]
    assert syllables("  ") == []


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Năm ngoái tôi đã làm căn cước. Cho tôi hỏi đăng ký thường trú cho con cần giấy tờ gì?",
         "đăng ký thường trú cho con cần giấy tờ gì"),
        ("Chào chị, xin hỏi: làm hộ chiếu ở đâu", "làm hộ chiếu ở đâu"),
        ("e muon hoi lam so do", "lam so do"),
        ("tôi muốn hỏi về hộ chiếu, cho em hỏi thêm là mất bao lâu", "thêm là mất bao lâu"),
        ("lam cccd mat bao lau", "lam cccd mat bao lau"),
        ("cho tôi hỏi", "cho tôi hỏi"),
        ("", ""),
        # A letter's courtesies ask nothing.
        ("Mất sổ đỏ có làm lại được không, thủ tục như thế nào ạ Xin chân thành cảm ơn Luật sư",
         "Mất sổ đỏ có làm lại được không, thủ tục như thế nào ạ"),
        ("Cho tôi hỏi có được cấp lại không? Rất mong được Ban biên tập giải đáp, tôi cảm ơn",
         "có được cấp lại không?"),
        ("Chào luật sư, làm căn cước ở đâu ạ, em cảm ơn ạ", "làm căn cước ở đâu ạ"),
        ("Em xin chân thành cảm ơn!", "Em xin chân thành cảm ơn!"),  # only thanks: left as it is
        ("Làm giấy khai sinh quá hạn bị phạt bao nhiêu? Tôi xin chân thành cảm ơn luật sư rất nhiều vì đã trả lời "
         "câu hỏi của tôi.", "Làm giấy khai sinh quá hạn bị phạt bao nhiêu?"),
        # A turn that closes the letter asks what comes before it.
        ("Tôi viết giấy ủy quyền cho em gái đi xin giúp có được không, xin hỏi ạ?",
         "Tôi viết giấy ủy quyền cho em gái đi xin giúp có được không"),
        ("Mẹ tôi ốm. Cho tôi hỏi làm thẻ ở đâu? Cho em hỏi với ạ", "làm thẻ ở đâu"),
        ("cho em hỏi cccd", "cccd"),
        # "cho tôi biết" asks; someone else's "cho biết" in the context does not.
        ("Luật sư có thể cho tôi biết khai sinh quá hạn bị phạt bao nhiêu?", "khai sinh quá hạn bị phạt bao nhiêu"),
        ("Đề nghị Tòa soạn cho biết, việc cấp hộ chiếu cho trẻ em quy định thế nào?",
         "việc cấp hộ chiếu cho trẻ em quy định thế nào"),
        ("Cán bộ hộ tịch cho biết là không tìm thấy sổ. Tôi phải làm sao?",
         "Cán bộ hộ tịch cho biết là không tìm thấy sổ. Tôi phải làm sao?"),
        # "nhờ ... tư vấn giúp" asks too; closing the letter, it asks what comes before
        ("Bé đã có mã định danh. Nhờ tư vấn giúp làm hộ chiếu cho bé thì cần những giấy tờ gì?",
         "làm hộ chiếu cho bé thì cần những giấy tờ gì"),
        ("Mất căn cước thì làm lại ở đâu? Nhờ mọi người tư vấn giúp ạ", "Mất căn cước thì làm lại ở đâu"),
        # a Q&A column's attribution: the reader's name and province are no part of the question
        ("Hà Thị Vân (tỉnh Quảng Bình) hỏi: Nếu tôi nghỉ việc thì có được hưởng thai sản không?",
         "Nếu tôi nghỉ việc thì có được hưởng thai sản không"),
        ("Ông bà tôi hồi: xưa ở đây", "Ông bà tôi hồi: xưa ở đây"),
    ],
)
def test_the_question_of_a_letter_is_what_follows_its_last_cho_toi_hoi(text, question):
    assert question_part(text) == question


@pytest.mark.parametrize("text, kept", [
    ("em hộ khẩu tại Quận 8 - Tphcm .", "em                            ."),
    ("tôi thường trú ở Nghệ An nhưng đang ở Bình Dương", "tôi                      nhưng đang ở Bình Dương"),
    ("toi ho khau o que muon lam ho chieu", "toi               muon lam ho chieu"),
    ("e ho khau thuong tru o thai binh nhung lam o vinh", "e                                nhung lam o vinh"),
    # whose residence, between the words: "hộ khẩu cả nhà ở Nghệ An", "hộ khẩu gốc ở Thanh Hóa"
    ("ho khau ca nha o Nghe An nhung dang o tro", "                         nhung dang o tro"),
    ("hộ khẩu gốc ở Thanh Hóa, muốn làm căn cước", "                       , muốn làm căn cước"),
    ("đăng ký tạm trú ở đâu", "đăng ký tạm trú ở đâu"),
    ("muốn chuyển hộ khẩu tại Hà Nội về quê", "muốn chuyển hộ khẩu tại Hà Nội về quê"),
    ("sổ hộ khẩu ở nhà bị mất", "sổ hộ khẩu ở nhà bị mất"),
    # a place where something is done, not the registration; only those words
    ("làm căn cước ở nơi tạm trú được không", "làm căn cước ở             được không"),
    ("xác nhận nơi thường trú cần gì", "xác nhận nơi thường trú cần gì"),
])
def test_a_statement_of_where_one_lives_is_blanked_and_a_registration_is_kept(text, kept):
    assert without_residence(text) == kept and len(without_residence(text)) == len(text)


def test_a_letter_asks_its_question_part_or_else_its_last_question():
    from knowledge.vntext import asking_part

    assert asking_part("Mẹ tôi ốm. Cho tôi hỏi làm thẻ bảo hiểm y tế ở đâu?") == "làm thẻ bảo hiểm y tế ở đâu"
    letter = "Tôi đã đăng ký khai sinh cho con. Nay muốn nhập hộ khẩu cho cháu thì làm gì? Cảm ơn."
    assert asking_part(letter) == "Nay muốn nhập hộ khẩu cho cháu thì làm gì?"
    assert asking_part("Đăng ký khai sinh ở đâu? Mất bao lâu?") == "Mất bao lâu?"
    assert asking_part("làm sổ đỏ") == "làm sổ đỏ"


def test_the_portal_is_searched_for_what_a_letter_asks_not_its_opening():
    from knowledge.vntext import search_words

    letter = ("Vợ chồng tôi đã có hơn 10 năm chung sống và có 2 con chung. Chồng tôi bỏ nhà đi biệt tích hơn 2 năm "
              "nay. Tôi muốn ly hôn thì thủ tục như thế nào?")
    assert search_words(letter) == "Tôi muốn ly hôn thì thủ tục như thế nào"
    assert search_words("Mẹ tôi ốm. Cho tôi hỏi làm thẻ bảo hiểm y tế ở đâu?") == "làm thẻ bảo hiểm y tế ở đâu"
    assert search_words("làm sổ đỏ") == "làm sổ đỏ"
    long = search_words("xin " * 60)
    assert len(long) <= 80 and not long.endswith(" ")


def test_a_word_that_folds_like_hoi_does_not_open_the_question():
    # "e xin hồi tháng 1" (asked for it back in January) is not "xin hỏi".
    letter = "giấy xác nhận tthn e xin hồi tháng 1 để vay ngân hàng, giờ hết hạn. xin cấp lại có phải nộp tờ cũ ko"
    assert question_part(letter) == letter
    assert question_part("Tôi ở Hà Nội. Xin hỏi làm hộ chiếu ở đâu") == "làm hộ chiếu ở đâu"
    assert question_part("toi o ha noi. xin hoi lam ho chieu o dau") == "lam ho chieu o dau"

from replies.chat_format import MAX_MESSAGE_CHARS, split_message


def test_short_text_is_one_message():
    assert split_message("Xin chào") == ["Xin chào"]
    assert split_message("   ") == []


def test_long_text_splits_between_paragraphs():
    paragraphs = [f"Đoạn {i}: " + "giấy tờ " * 40 for i in range(8)]
    messages = split_message("\n\n".join(paragraphs))
    assert len(messages) > 1
    assert all(len(m) <= MAX_MESSAGE_CHARS for m in messages)
    assert all(m.startswith("Đoạn") for m in messages)
    assert " ".join(messages).count("Đoạn") == 8


def test_single_huge_line_is_cut_at_words():
    text = "lệ phí " * 600
    messages = split_message(text)
    assert all(len(m) <= MAX_MESSAGE_CHARS for m in messages)
    assert sum(m.count("lệ phí") for m in messages) == 600


def test_unbreakable_text_is_cut_hard():
    messages = split_message("x" * 2500, limit=1000)
    assert [len(m) for m in messages] == [1000, 1000, 500]

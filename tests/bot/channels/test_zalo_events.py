import pytest

from bot.channels.zalo_events import (
    IGNORED,
    OTHER_CONTENT,
    TEXT,
    ExpiringSet,
    NumberedOptions,
    classify,
    split_text,
)


def event(name, text="xin chào", sender="u1", msg_id="m1"):
    return {"event_name": name, "sender": {"id": sender}, "recipient": {"id": "oa"},
            "message": {"text": text, "msg_id": msg_id}}


def test_user_text_goes_to_rasa():
    assert classify(event("user_send_text")) == classify(event("user_send_text"))
    assert classify(event("user_send_text")).kind == TEXT
    assert classify(event("user_send_text")).text == "xin chào"


@pytest.mark.parametrize("name", ["user_send_sticker", "user_send_image", "user_send_file", "user_send_audio",
                                  "user_send_location", "user_send_link"])
def test_other_user_content_gets_the_polite_reply(name):
    assert classify(event(name)).kind == OTHER_CONTENT


@pytest.mark.parametrize("name", ["oa_send_text", "oa_send_image", "user_seen_message", "user_received_message",
                                  "follow", "", "anything"])
def test_echoes_and_receipts_are_ignored(name):
    assert classify(event(name)).kind == IGNORED


@pytest.mark.parametrize("payload", [{}, {"event_name": "user_send_text"}, {"event_name": "user_send_text",
                                     "sender": "not a dict"}, {"event_name": "user_send_text", "sender": {"id": ""}}])
def test_malformed_events_are_ignored(payload):
    assert classify(payload).kind == IGNORED


def test_expiring_set_drops_duplicates_and_forgets_old_and_excess_keys():
    now = [0.0]
    seen = ExpiringSet(max_items=3, ttl_s=10, clock=lambda: now[0])
    assert seen.add("a") and not seen.add("a")
    for key in "bcd":
        seen.add(key)
    assert len(seen) == 3 and seen.add("a")  # "a" was pushed out by the bound
    now[0] = 11
    assert seen.add("b") and len(seen) == 1


def test_buttons_become_numbers_and_a_number_picks_the_payload():
    options = NumberedOptions()
    buttons = [{"title": "Cấp đổi thẻ căn cước", "payload": "/inform_procedure{\"procedure_id\":\"a\"}"},
               {"title": "Cấp lại thẻ căn cước", "payload": "/inform_procedure{\"procedure_id\":\"b\"}"}]
    text = options.render("u1", "Bạn muốn hỏi thủ tục nào?", buttons)
    assert "1. Cấp đổi thẻ căn cước\n2. Cấp lại thẻ căn cước" in text
    assert options.resolve("u1", " 2 ") == buttons[1]["payload"]
    assert options.resolve("u1", "2.") == buttons[1]["payload"]
    assert options.resolve("u1", "3") == "3"
    assert options.resolve("u2", "1") == "1"  # another user's options are not shared
    assert options.resolve("u1", "1 cái") == "1 cái"


def test_options_expire():
    now = [0.0]
    options = NumberedOptions(ttl_s=60, clock=lambda: now[0])
    options.render("u1", "?", [{"title": "A", "payload": "/a"}])
    now[0] = 61
    assert options.resolve("u1", "1") == "1"


def test_split_text_respects_the_limit_and_keeps_everything():
    text = "\n\n".join(f"Đoạn {i}: " + "giấy tờ " * 60 for i in range(10))
    pieces = split_text(text, 2000)
    assert len(pieces) > 1 and all(len(p) <= 2000 for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert split_text("x" * 4500, 2000) == ["x" * 2000, "x" * 2000, "x" * 500]

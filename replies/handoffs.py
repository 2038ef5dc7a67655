"""What the bot says when a citizen wants a person: the queue, a question left for later, its answer.

Plain functions over the service desk and the queue's figures, so that every
message is tested without a model.
"""

from __future__ import annotations

import math
from datetime import date

from knowledge.office_hours import vietnamese_day
from knowledge.schema import Centre, ServiceDesk
from replies.answers import Reply

TALK = {"title": "Chat với cán bộ", "payload": "/talk_to_officer"}
LEAVE = {"title": "Để lại câu hỏi cho cán bộ", "payload": "/leave_question"}
STOP_WAITING = {"title": "Thôi chờ", "payload": "/stop_waiting"}
ASK_FOR_PERSON = {"title": "Gặp cán bộ", "payload": "/human_handoff"}


def minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def contacts(desk: ServiceDesk, centre: Centre | None, open_now: bool, staffed: bool) -> Reply:
    """Where to reach a person, and the way to one from here: chat now, or leave a question."""
    lines = [f"Bạn có thể liên hệ trực tiếp cán bộ {desk.centre_name}:", f"- Tổng đài: {desk.hotline}",
             f"- Giờ làm việc: {desk.opening_hours}"]
    if desk.address:
        lines.append(f"- Địa chỉ: {desk.address}")
    if desk.email:
        lines.append(f"- Thư điện tử: {desk.email}")
    if desk.national_hotline and desk.national_hotline != desk.hotline:
        lines.append(f"- Tổng đài {desk.portal_name}: {desk.national_hotline}")
    lines.append(f"- Tra cứu, nộp hồ sơ trực tuyến: {desk.portal_url}")
    if centre is None:
        return Reply(["\n".join(lines)])
    if open_now and staffed:
        lines.append(f"Bạn cũng có thể chat ngay tại đây với cán bộ {centre.name}.")
        return Reply(["\n".join(lines)], [TALK, LEAVE])
    lines.append("Hiện không có cán bộ trực tuyến. Bạn có thể để lại câu hỏi, cán bộ sẽ trả lời bạn "
                 "trong ngày làm việc tiếp theo.")
    return Reply(["\n".join(lines)], [LEAVE])


def queued(centre: Centre, position: int, expected_wait_s: float) -> Reply:
    return Reply([
        f"Mình đã chuyển bạn đến cán bộ {centre.name}. Bạn đang ở vị trí số {position} trong hàng chờ, "
        f"thời gian chờ dự kiến khoảng {minutes(expected_wait_s)} phút. Mình sẽ báo khi vị trí thay đổi. "
        "Trong lúc chờ, bạn vẫn có thể hỏi mình; cán bộ sẽ đọc được cuộc trò chuyện này."
    ], [STOP_WAITING])


def queue_update(position: int, expected_wait_s: float) -> str:
    return (f"Bạn đang ở vị trí số {position} trong hàng chờ gặp cán bộ, "
            f"thời gian chờ dự kiến khoảng {minutes(expected_wait_s)} phút.")


def nobody_now(centre: Centre, next_day: date | None) -> Reply:
    when = f" trước khi hết {vietnamese_day(next_day)}" if next_day else " khi trung tâm làm việc trở lại"
    return Reply([
        f"Hiện ngoài giờ làm việc hoặc chưa có cán bộ {centre.name} trực tuyến. Bạn có thể để lại câu hỏi, "
        f"cán bộ sẽ trả lời{when}."
    ], [LEAVE])


def stopped_waiting(was_waiting: bool) -> Reply:
    if was_waiting:
        return Reply(["Mình đã rời bạn khỏi hàng chờ gặp cán bộ. Bạn cần hỏi gì thêm cứ nhắn mình nhé."])
    return Reply(["Bạn hiện không ở trong hàng chờ gặp cán bộ. Bạn cần hỏi gì cứ nhắn mình nhé."])


ASK_QUESTION = ("Bạn nhập câu hỏi muốn gửi cán bộ trong một tin nhắn, càng rõ hoàn cảnh càng tốt "
                "(không cần ghi số căn cước). Muốn thôi, bạn nhắn \"thôi\".")
ASK_CONTACT = ("Bạn muốn cán bộ liên hệ lại qua số điện thoại hay thư điện tử nào? Nếu chỉ cần nhận trả lời "
               "ngay trong cuộc trò chuyện này, bạn nhắn \"không\".")
CONTACT_FORMAT = ("Mình chưa đọc được số điện thoại hoặc thư điện tử. Bạn nhập lại (ví dụ 0912 345 678 hoặc "
                  "ten@example.com), hoặc nhắn \"không\" để nhận trả lời trong cuộc trò chuyện này.")
QUESTION_TOO_SHORT = "Câu hỏi hơi ngắn, bạn viết rõ hơn giúp mình để cán bộ trả lời đúng nhé."


def question_left(code: str, centre: Centre, next_day: date | None, channel: str, contact: str) -> Reply:
    when = f"trước khi hết {vietnamese_day(next_day)}" if next_day else "khi trung tâm làm việc trở lại"
    where = {
        "zalo": "Câu trả lời sẽ được gửi vào Zalo này",
        "socketio": "Câu trả lời sẽ hiện trong khung chat này khi bạn quay lại trang",
    }.get(channel, "Bạn xem câu trả lời bằng cách nhắn mã này cho mình")
    contact_line = f" Cán bộ có thể liên hệ bạn qua {contact}." if contact else ""
    return Reply([
        f"Mình đã chuyển câu hỏi của bạn đến cán bộ {centre.name}, mã câu hỏi: {code}. "
        f"Cán bộ sẽ trả lời {when}. {where}; trên bất kỳ kênh nào (Zalo, trang web), bạn nhắn "
        f"mã {code} để xem câu trả lời.{contact_line}"
    ])


def answer_by_code(code: str, question: str, answer: str, officer_centre: str) -> Reply:
    if not answer:
        return Reply([f"Câu hỏi {code} đang chờ cán bộ {officer_centre} trả lời. Bạn vui lòng quay lại sau nhé."])
    return Reply([f"Trả lời của cán bộ {officer_centre} cho câu hỏi {code}:\n{answer}"])


def unknown_code(code_text: str, desk: ServiceDesk) -> Reply:
    return Reply([
        "Mình không tìm thấy câu hỏi nào với mã này. Bạn kiểm tra lại mã (dạng HD-XXXXXX) hoặc gọi tổng đài "
        f"{desk.hotline}."
    ])


def delivered_answer(code: str, answer: str) -> str:
    """The officer's answer as it reaches the citizen on their channel."""
    return f"Cán bộ đã trả lời câu hỏi {code} của bạn:\n{answer}"


def officer_joined(officer_label: str) -> str:
    return f"Cán bộ {officer_label} đã tiếp nhận cuộc trò chuyện. Bạn cứ nhắn, cán bộ đang đọc."


def transferred() -> str:
    return "Cuộc trò chuyện của bạn được chuyển sang một cán bộ khác, bạn vui lòng chờ trong giây lát."


def officer_left() -> str:
    return ("Cán bộ đã kết thúc cuộc trò chuyện. Trợ lý ảo tiếp tục hỗ trợ bạn: bạn cần hỏi gì về thủ tục "
            "hay tra cứu hồ sơ cứ nhắn mình nhé.")


def offer_person(reply: Reply) -> Reply:
    """A reply with the "Gặp cán bộ" button added (after two declines, or a 👎)."""
    if any(b.get("payload") == ASK_FOR_PERSON["payload"] for b in reply.buttons):
        return reply
    return Reply(reply.texts, [*reply.buttons, ASK_FOR_PERSON])

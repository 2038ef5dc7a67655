"""What the bot says during a dossier lookup, in plain Vietnamese.

Kept apart from the Rasa glue so every message can be tested without a model.
An unknown code and a wrong proof share one message on purpose: the answer
must not tell anyone which codes exist.
"""

from __future__ import annotations

import math
from datetime import date

from actions.dossiers.model import Dossier, Status
from knowledge.dossier_codes import EXAMPLE_CODE, FORMAT_HINT
from knowledge.schema import Procedure, ServiceDesk
from replies.answers import Reply, payload

ASK_CODE = (
    "Bạn cho mình mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả nhé, "
    f"ví dụ: {EXAMPLE_CODE}. Muốn dừng tra cứu, bạn nhắn \"thôi\"."
)
LOOKUP_STOPPED = "Mình đã dừng tra cứu hồ sơ. Bạn cần hỏi gì thêm về thủ tục cứ nhắn mình nhé."


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "chưa có"


def malformed_code() -> str:
    return (
        "Mã hồ sơ bạn gửi chưa đúng định dạng. Mã hồ sơ có dạng "
        f"{FORMAT_HINT}, ví dụ: {EXAMPLE_CODE}. Bạn kiểm tra lại trên giấy tiếp nhận và gửi lại giúp mình."
    )


def not_matched(desk: ServiceDesk) -> Reply:
    """Unknown code or wrong proof: one answer for both."""
    return Reply([
        "Mình không tìm thấy hồ sơ khớp với mã hồ sơ và thông tin xác minh bạn cung cấp. "
        "Bạn kiểm tra lại mã hồ sơ và thông tin xác minh trên giấy tiếp nhận, rồi nhắn "
        f"\"tra cứu hồ sơ\" để thử lại. Cần hỗ trợ, bạn gọi tổng đài {desk.hotline}."
    ])


def locked(seconds_left: float, desk: ServiceDesk) -> Reply:
    minutes = max(1, math.ceil(seconds_left / 60))
    return Reply([
        "Hồ sơ này hoặc kết nối của bạn đã có quá nhiều lần nhập thông tin xác minh. Để bảo vệ hồ sơ của người dân, "
        f"việc tra cứu tạm khóa trong khoảng {minutes} phút. Bạn vui lòng thử lại sau, hoặc mang giấy "
        f"tiếp nhận hồ sơ đến Bộ phận Một cửa, hoặc gọi tổng đài {desk.hotline}."
    ])


def backend_down(desk: ServiceDesk) -> Reply:
    return Reply([
        "Xin lỗi, hệ thống tra cứu hồ sơ đang tạm gián đoạn nên mình chưa xem được tình trạng hồ sơ. "
        f"Bạn vui lòng thử lại sau ít phút, hoặc gọi tổng đài {desk.hotline} ({desk.opening_hours}). "
        "Trong lúc chờ, bạn vẫn có thể hỏi mình về thủ tục hành chính."
    ])


def status_reply(dossier: Dossier, today: date, desk: ServiceDesk, procedure: Procedure | None) -> Reply:
    """The dossier's status for its owner, with what to do next."""
    lines = [
        f"Hồ sơ {dossier.code}",
        f"- Thủ tục: {dossier.procedure_name}",
    ]
    if dossier.masked_name:
        lines.append(f"- Người nộp: {dossier.masked_name}")
    lines += [
        f"- Tình trạng: {dossier.status_label}",
        f"- Ngày tiếp nhận: {_d(dossier.received)}",
        f"- Ngày hẹn trả kết quả: {_d(dossier.appointment)}",
        f"- Ngày có kết quả: {_d(dossier.result_date)}",
    ]
    if dossier.note:
        lines.append(f"- Ghi chú của cán bộ: {dossier.note}")
    texts = ["\n".join(lines)]
    buttons = []
    if dossier.is_overdue(today):
        days = (today - dossier.appointment).days if dossier.appointment else 0
        texts.append(
            f"Hồ sơ đã quá ngày hẹn trả {days} ngày mà chưa có kết quả. Chúng tôi thành thật xin lỗi bạn. "
            "Theo quy định, cơ quan giải quyết phải gửi bạn phiếu xin lỗi và hẹn lại ngày trả kết quả. "
            f"Bạn có thể liên hệ Bộ phận Một cửa nơi nộp hồ sơ hoặc gọi tổng đài {desk.hotline} để biết lý do "
            "và ngày hẹn mới, hoặc gửi phản ánh, kiến nghị trên Cổng Dịch vụ công."
        )
    elif dossier.status == Status.YEU_CAU_BO_SUNG:
        advice = "Hồ sơ cần bổ sung giấy tờ theo ghi chú của cán bộ."
        if procedure is not None:
            advice += f" Bạn có muốn xem danh sách giấy tờ của thủ tục {procedure.name} không?"
            buttons.append({
                "title": "Xem giấy tờ cần chuẩn bị",
                "payload": payload("ask_papers", procedure_id=procedure.id),
            })
        else:
            advice += " Bạn liên hệ Bộ phận Một cửa nơi nộp hồ sơ để được hướng dẫn."
        texts.append(advice)
    elif dossier.status == Status.YEU_CAU_NGHIA_VU_TAI_CHINH:
        texts.append("Bạn cần nộp các khoản phí, lệ phí hoặc thuế theo thông báo để hồ sơ được tiếp tục giải quyết.")
    elif dossier.status == Status.DA_XU_LY_XONG:
        texts.append(
            "Kết quả đã sẵn sàng. Bạn mang giấy tiếp nhận hồ sơ đến nhận, trừ khi đã đăng ký nhận qua bưu chính."
        )
    return Reply(texts, buttons)

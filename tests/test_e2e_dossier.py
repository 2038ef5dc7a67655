"""Dossier lookup end to end: trained model, REST channel, action server, imported CSV."""

from __future__ import annotations

import shutil
from datetime import timedelta

import aiohttp
import pytest

from tests.conftest import E2E_ID_NUMBER, E2E_PHONES, e2e_code, e2e_proof
from tests.test_e2e_rest import Citizen

pytestmark = pytest.mark.slow


@pytest.fixture
def codes(e2e_dossier_db):
    """The codes as of the day the dossier database was filled (the suite may run past midnight)."""
    return e2e_dossier_db["codes"]


@pytest.fixture
async def citizen(stack):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        yield Citizen(stack, session)


async def test_lookup_from_first_message_to_status(citizen, codes, e2e_dossier_db):
    asked = await citizen.text(f"tra cứu hồ sơ {codes['on_time'].lower().replace('-', ' - ')}")
    assert "4 chữ số cuối" in asked
    shown = await citizen.text(e2e_proof("on_time"))
    for part in ("Cấp Phiếu lý lịch tư pháp", "Đang xử lý", "Đã chuyển Công an tỉnh xác minh", "N***** V** A*",
                 (e2e_dossier_db['today'] - timedelta(days=3)).strftime("%d/%m/%Y")):
        assert part in shown, shown
    assert "Nguyễn" not in shown and E2E_PHONES["on_time"] not in shown and E2E_ID_NUMBER not in shown
    slots = await citizen.slots()
    assert slots["dossier_code"] is None and slots["dossier_proof"] is None


async def test_overdue_dossier_is_called_overdue(citizen, codes):
    await citizen.text("hồ sơ của tôi đến đâu rồi")
    await citizen.text(codes["overdue"])
    shown = await citizen.text(f"4 số cuối là {E2E_PHONES['overdue'][-4:]}, năm sinh 1985")
    assert "quá ngày hẹn trả 2 ngày" in shown and "xin lỗi" in shown


async def test_supplement_offers_the_papers_checklist(citizen, codes):
    await citizen.text(f"kiem tra ho so {codes['supplement']}")
    replies = await citizen.say(f"{E2E_PHONES['supplement']} sinh năm 2000")
    button = replies[-1]["buttons"][0]
    assert button["payload"] == '/ask_papers{"procedure_id":"dang_ky_thuong_tru"}'
    papers = await citizen.text(button["payload"])
    assert "Đăng ký thường trú" in papers


async def test_wrong_proof_reveals_nothing_and_equals_unknown_code(citizen, stack, codes, e2e_dossier_db):
    await citizen.text(f"tra cứu hồ sơ {codes['on_time']}")
    wrong = await citizen.text("0000 1990")
    assert "không tìm thấy" in wrong and "Lý lịch" not in wrong and "Đang xử lý" not in wrong
    async with aiohttp.ClientSession() as session:
        other = Citizen(stack, session)
        await other.text(f"tra cứu hồ sơ {e2e_code(e2e_dossier_db['today'], -3, '9999')}")
        unknown = await other.text(e2e_proof("on_time"))
    assert unknown == wrong


async def test_lockout_after_five_failed_proofs(citizen, codes):
    for _ in range(5):
        await citizen.text(f"tra cứu hồ sơ {codes['locked']}")
        assert "không tìm thấy" in await citizen.text("1111 1978")
    await citizen.text(f"tra cứu hồ sơ {codes['locked']}")
    refused = await citizen.text(e2e_proof("locked"))
    assert "tạm khóa" in refused and "Đăng ký khai sinh" not in refused


async def test_malformed_code_shows_the_format_then_accepts_a_good_one(citizen, codes):
    reply = await citizen.text("tra cứu hồ sơ H29-2611-42")
    assert "chưa đúng định dạng" in reply and "000.00.07.H29-261101-0042" in reply
    assert "4 chữ số cuối" in await citizen.text(codes["on_time"])


async def test_a_question_in_the_middle_is_answered_and_the_lookup_goes_on(citizen, codes):
    await citizen.text(f"tra cứu hồ sơ {codes['on_time']}")
    fee = await citizen.text("làm hộ chiếu hết bao nhiêu tiền")
    assert "Phí, lệ phí" in fee and "4 chữ số cuối" in fee
    assert "Đang xử lý" in await citizen.text(e2e_proof("on_time"))


async def test_stop_ends_the_lookup(citizen):
    await citizen.text("tra cứu hồ sơ")
    assert "dừng tra cứu" in await citizen.text("thôi không tra nữa")
    assert (await citizen.slots())["requested_slot"] is None


async def test_backend_down_gives_the_hotline_and_the_conversation_goes_on(citizen, e2e_dossier_db, codes):
    db = e2e_dossier_db["path"]
    saved = db.with_suffix(".saved")
    shutil.move(db, saved)
    try:
        db.write_bytes(b"not a database" * 512)
        await citizen.text(f"tra cứu hồ sơ {codes['on_time']}")
        down = await citizen.text(e2e_proof("on_time"))
    finally:
        db.unlink()
        shutil.move(saved, db)
    assert "tạm gián đoạn" in down and "1800 1096" in down
    assert "Trường hợp nào cũng cần" in await citizen.text("làm hộ chiếu cần giấy tờ gì")


async def test_logs_hold_no_phone_id_or_full_code(citizen, stack, codes):
    await citizen.text(f"tra cứu hồ sơ {codes['on_time']}, sđt {E2E_PHONES['on_time']}, căn cước {E2E_ID_NUMBER}")
    await citizen.text(f"{E2E_PHONES['on_time']} 1990")
    log = stack.log_path.read_text(encoding="utf-8")
    for secret in (*E2E_PHONES.values(), E2E_ID_NUMBER, codes["on_time"], codes["overdue"]):
        assert secret not in log

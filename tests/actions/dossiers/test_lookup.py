from datetime import date

import pytest

from actions.dossiers.backend import BackendUnavailable
from actions.dossiers.guard import ProofGuard
from actions.dossiers.lookup import DossierLookup, procedure_for
from actions.dossiers.model import Dossier, Status
from actions.dossiers.proofs import PhoneAndBirthYear
from records.database import make_engine

CODE = "000.00.07.H29-261101-0042"


class Backend:
    """In-memory dossiers; ``down`` makes every call fail like a dead one-stop system."""

    def __init__(self, *dossiers: Dossier):
        self.dossiers = {d.code: d for d in dossiers}
        self.down = False
        self.calls = 0

    async def fetch(self, code):
        self.calls += 1
        if self.down:
            raise BackendUnavailable("down")
        return self.dossiers.get(code)

    async def close(self):
        pass


def make(status=Status.DANG_XU_LY, appointment=date(2026, 11, 30), result=None, note="", name="Đăng ký khai sinh"):
    return Dossier(CODE, name, "N***** V** A*", "5678", status, date(2026, 11, 1), appointment, result, note,
                   birth_year=1990)


RIGHT, WRONG = "5678:1990", "5678:1991"


@pytest.fixture
def service(tmp_path, real_kb):
    def build(*dossiers):
        return DossierLookup(Backend(*dossiers), ProofGuard(make_engine(f"sqlite:///{tmp_path / 'l.sqlite3'}")),
                             real_kb, PhoneAndBirthYear(today=lambda: date(2026, 11, 23)),
                             today=lambda: date(2026, 11, 23))
    return build


def joined(reply):
    return "\n".join(reply.texts)


async def test_match_shows_status_dates_and_note(service):
    text = joined(await service(make(note="Trả qua bưu chính")).run("c1", CODE, RIGHT))
    for part in ("Đăng ký khai sinh", "Đang xử lý", "01/11/2026", "30/11/2026", "Ngày có kết quả: chưa có",
                 "Trả qua bưu chính", "N***** V** A*"):
        assert part in text
    assert "quá ngày hẹn" not in text


async def test_overdue_is_said_plainly_with_an_apology_and_what_to_do(service):
    text = joined(await service(make(appointment=date(2026, 11, 20))).run("c1", CODE, RIGHT))
    assert "quá ngày hẹn trả 3 ngày" in text and "xin lỗi" in text and "1800 1096" in text


async def test_status_5_offers_the_papers_of_the_procedure(service):
    reply = await service(make(Status.YEU_CAU_BO_SUNG, name="Đăng ký thường trú")).run("c1", CODE, RIGHT)
    assert reply.buttons == [{"title": "Xem giấy tờ cần chuẩn bị",
                              "payload": '/ask_papers{"procedure_id":"dang_ky_thuong_tru"}'}]


async def test_status_5_of_an_unknown_procedure_points_to_the_desk(service):
    unknown = make(Status.YEU_CAU_BO_SUNG, name="Thủ tục không có trong dữ liệu xyz")
    reply = await service(unknown).run("c", CODE, RIGHT)
    assert reply.buttons == [] and "Bộ phận Một cửa" in joined(reply)


async def test_wrong_proof_and_unknown_code_get_the_same_answer(service):
    svc = service(make())
    wrong = await svc.run("c1", CODE, WRONG)
    unknown = await svc.run("c2", "000.00.07.H29-261101-0043", RIGHT)
    assert wrong == unknown
    assert "Đăng ký khai sinh" not in joined(wrong) and "N***" not in joined(wrong)


async def test_five_failures_lock_and_the_right_proof_is_then_refused(service):
    svc = service(make())
    for _ in range(5):
        assert "không tìm thấy" in joined(await svc.run("c1", CODE, WRONG))
    calls = svc.backend.calls
    refused = joined(await svc.run("c1", CODE, RIGHT))
    assert "tạm khóa" in refused and " phút" in refused and "Đang xử lý" not in refused
    assert svc.backend.calls == calls  # a locked lookup never reaches the backend
    # another conversation cannot use the locked code either
    assert "tạm khóa" in joined(await svc.run("c2", CODE, RIGHT))


async def test_guessing_many_codes_locks_the_conversation(service):
    svc = service(make())
    for n in range(5):
        await svc.run("guesser", f"000.00.07.H29-261101-{n:04d}", WRONG)
    assert "tạm khóa" in joined(await svc.run("guesser", CODE, RIGHT))
    assert "Đang xử lý" in joined(await svc.run("owner", CODE, RIGHT))


async def test_parallel_guesses_compare_five_at_most_and_the_right_one_last_is_refused(service):
    """The finding: 300 parallel wrong guesses were all compared and the right one, sent last, was shown."""
    import asyncio

    svc = service(make())
    wrong = [f"{n:04d}:1990" for n in range(300) if n != 5678]
    replies = await asyncio.gather(*(svc.run(f"c{n}", CODE, proof, f"ip:10.3.{n // 200}.{n % 200}")
                                     for n, proof in enumerate(wrong)))
    assert sum("không tìm thấy" in joined(r) for r in replies) == 5
    assert svc.backend.calls == 5
    assert "tạm khóa" in joined(await svc.run("last", CODE, RIGHT, "ip:10.9.9.9"))


async def test_a_guard_store_error_refuses_without_comparing(service, monkeypatch):
    from sqlalchemy.exc import OperationalError

    svc = service(make())

    def broken(*args):
        raise OperationalError("x", {}, Exception("disk I/O error"))

    monkeypatch.setattr(svc.guard, "admit", broken)
    text = joined(await svc.run("c1", CODE, RIGHT))
    assert "tạm gián đoạn" in text and svc.backend.calls == 0


async def test_backend_down_gives_the_hotline_and_counts_no_failure(service):
    svc = service(make())
    svc.backend.down = True
    for _ in range(6):
        text = joined(await svc.run("c1", CODE, RIGHT))
        assert "tạm gián đoạn" in text and "1800 1096" in text
    svc.backend.down = False
    assert "Đang xử lý" in joined(await svc.run("c1", CODE, RIGHT))


def test_procedure_for_matches_one_stop_names(real_kb):
    assert procedure_for(real_kb, "Đăng ký thường trú").id == "dang_ky_thuong_tru"
    assert procedure_for(real_kb, "Cấp Phiếu lý lịch tư pháp").id == "cap_phieu_ly_lich_tu_phap"
    assert procedure_for(real_kb, "Thủ tục xyz") is None

from datetime import date

import pytest
from aiohttp import web

from actions.dossiers.guard import Limit, ProofGuard
from actions.dossiers.model import Dossier, Status
from actions.dossiers.proofs import (
    HttpOtpSender,
    LookupSecret,
    OneTimeCode,
    PhoneAndBirthYear,
    SenderUnavailable,
    method_from_env,
    normalise_secret,
    secret_digest,
)
from records.database import make_engine

CODE = "000.00.07.H29-261101-0042"


def dossier(**changes):
    fields = dict(code=CODE, procedure_name="Đăng ký khai sinh", masked_name="N***", phone_last4="5678",
                  status=Status.DANG_XU_LY, birth_year=1990, secret_digest=secret_digest(CODE, "K7QX3M9P"))
    fields.update(changes)
    return Dossier(**fields)


@pytest.mark.parametrize("text, proof", [
    ("5678 1990", "5678:1990"), ("5678, 1990", "5678:1990"), ("1990 5678", "5678:1990"),
    ("sdt 0912.345.678 nam sinh 1990", "5678:1990"), ("4 chữ số cuối 5678 năm sinh 1990", "5678:1990"),
    ("1985 1990", "1985:1990"),  # both could be years: the asked order wins
    ("5678:1990", "5678:1990"),  # the canonical form reads back as itself
])
def test_phone_and_year_are_read_from_what_citizens_type(text, proof):
    assert PhoneAndBirthYear(today=lambda: date(2026, 12, 1)).parse(text) == proof


@pytest.mark.parametrize("text", ["5678", "1990", "5678 1990 1234", "5678 2030", "56789 1990", "", "abc"])
def test_anything_else_is_not_a_phone_and_year(text):
    assert PhoneAndBirthYear(today=lambda: date(2026, 12, 1)).parse(text) is None


async def test_phone_and_year_must_both_match_and_a_missing_year_fails_closed():
    method = PhoneAndBirthYear()
    assert await method.verify("c", dossier(), "5678:1990")
    assert not await method.verify("c", dossier(), "5678:1991")
    assert not await method.verify("c", dossier(), "5679:1990")
    assert not await method.verify("c", dossier(birth_year=None), "5678:None")


def test_lookup_secrets_are_read_as_typed_from_paper():
    method = LookupSecret()
    assert method.parse("k7qx-3m9p") == "K7QX3M9P" == method.parse("Mã tra cứu: K7QX 3M9P")
    assert normalise_secret("AB0OIL12") == "AB001112"  # O/I/L read as digits
    assert method.parse("abc") is None and method.parse("😀😀😀😀😀😀") is None


async def test_lookup_secret_is_compared_by_digest_salted_with_the_code():
    method = LookupSecret()
    assert await method.verify("c", dossier(), "K7QX3M9P")
    assert not await method.verify("c", dossier(), "K7QX3M9Q")
    assert not await method.verify("c", dossier(secret_digest=""), "K7QX3M9P")
    assert secret_digest(CODE, "K7QX3M9P") != secret_digest("000.00.07.H29-261101-0043", "K7QX3M9P")


class FakeSender:
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    async def send(self, code, text):
        if self.fail:
            raise SenderUnavailable("down")
        self.sent.append((code, text))


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def otp(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'otp.sqlite3'}")
    clock = Clock()
    return OneTimeCode(engine, FakeSender(), ProofGuard(engine, clock=clock), clock=clock)


def _sent_code(otp):
    return otp.sender.sent[-1][1].split(": ")[1][:6]


async def test_a_one_time_code_is_sent_only_for_a_real_dossier_and_works_once(otp):
    await otp.challenge("c1", "ip:1.2.3.4", "000.00.07.H29-261101-0043", None)
    assert otp.sender.sent == []  # unknown code: nothing sent, the citizen hears the same words
    await otp.challenge("c1", "ip:1.2.3.4", CODE, dossier())
    [(code, text)] = otp.sender.sent
    assert code == CODE and CODE not in text  # the message carries the masked code only
    sent = _sent_code(otp)
    assert otp.parse(f"mã là {sent}") == sent
    assert not await otp.verify("c2", dossier(), sent)  # another conversation cannot use it
    assert await otp.verify("c1", dossier(), sent)
    assert not await otp.verify("c1", dossier(), sent)  # once only


async def test_a_one_time_code_expires(otp):
    await otp.challenge("c1", "ip:1.2.3.4", CODE, dossier())
    otp.clock.now += 301
    assert not await otp.verify("c1", dossier(), _sent_code(otp))


async def test_sending_is_limited_per_dossier_so_nobody_floods_the_phone(otp):
    for n in range(10):
        otp.clock.now += 61
        await otp.challenge(f"c{n}", f"ip:10.0.0.{n}", CODE, dossier())
    assert len(otp.sender.sent) == 3
    otp.send_limits = (Limit(100, 3600), Limit(100, 3600))
    await otp.challenge("cx", "ip:10.0.0.99", CODE, dossier())
    await otp.challenge("cx", "ip:10.0.0.99", CODE, dossier())  # within a minute of the last: no resend
    assert len(otp.sender.sent) == 4


async def test_a_sender_failure_is_logged_not_raised(tmp_path, caplog):
    engine = make_engine(f"sqlite:///{tmp_path / 'otp.sqlite3'}")
    method = OneTimeCode(engine, FakeSender(fail=True))
    await method.challenge("c1", "ip:1.2.3.4", CODE, dossier())
    assert "not sent" in caplog.text and CODE not in caplog.text


async def test_the_http_sender_retries_then_gives_up_politely(aiohttp_server):
    calls = []

    async def handler(request):
        calls.append(await request.json())
        return web.Response(status=503 if len(calls) < 3 else 200)

    app = web.Application()
    app.router.add_post("/otp", handler)
    server = await aiohttp_server(app)
    sender = HttpOtpSender(str(server.make_url("/otp")), token="t", timeout_s=2, attempts=3)
    await sender.send(CODE, "Ma xac minh 123456")
    assert len(calls) == 3 and calls[0] == {"ma_ho_so": CODE, "noi_dung": "Ma xac minh 123456"}
    calls.clear()
    with pytest.raises(SenderUnavailable):
        await HttpOtpSender(str(server.make_url("/otp")), attempts=2).send(CODE, "x")


def test_the_province_chooses_the_proof(monkeypatch, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    monkeypatch.delenv("DOSSIER_PROOF", raising=False)
    assert method_from_env(engine).name == "sdt_nam_sinh"
    monkeypatch.setenv("DOSSIER_PROOF", "ma_tra_cuu")
    assert method_from_env(engine).name == "ma_tra_cuu"
    monkeypatch.setenv("DOSSIER_PROOF", "otp")
    with pytest.raises(ValueError, match="OTP_SENDER_URL"):
        method_from_env(engine)
    assert method_from_env(engine, sender=FakeSender()).name == "otp"
    monkeypatch.setenv("DOSSIER_PROOF", "4_so")
    with pytest.raises(ValueError):
        method_from_env(engine)

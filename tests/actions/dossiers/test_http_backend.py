"""The HTTP backend against a local aiohttp server that plays a one-stop system."""

import asyncio
import json
from datetime import date

import pytest
from aiohttp import web

from actions.dossiers.backend import BackendUnavailable
from actions.dossiers.http_backend import HttpDossierBackend, HttpSettings
from actions.dossiers.model import Status

CODE = "000.00.07.H29-261101-0042"
BODY = {
    "code": CODE,
    "procedureName": "Đăng ký khai sinh",
    "applicantName": "Nguyễn Văn An",
    "phone": "0912345678",
    "identityNumber": "079201001234",
    "status": 4,
    "receivedDate": "2026-11-01",
    "appointmentDate": "2026-11-03T17:00:00+07:00",
    "resultDate": None,
    "note": "",
}


class FakeOneStop:
    """Answers GET /dossiers/{code} from a script of responses, one per request."""

    def __init__(self, *script):
        self.script = list(script)
        self.requests = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if step == "slow":
            await asyncio.sleep(2)
            return web.json_response(BODY)
        if isinstance(step, int):
            return web.json_response({"error": "x"}, status=step)
        if isinstance(step, bytes):
            return web.Response(body=step, content_type="application/json")
        return web.json_response(step)


@pytest.fixture
def one_stop(aiohttp_server):
    async def start(*script):
        fake = FakeOneStop(*script)
        app = web.Application()
        app.router.add_get("/api/dossiers/{code}", fake.handle)
        server = await aiohttp_server(app)
        backend = HttpDossierBackend(
            HttpSettings(str(server.make_url("/api")), token="secret-token", timeout_s=0.5, attempts=3, backoff_s=0.01)
        )
        return fake, backend

    return start


async def test_success_is_mapped_minimised_and_sent_with_the_token(one_stop):
    fake, backend = await one_stop(BODY)
    dossier = await backend.fetch(CODE)
    await backend.close()
    assert dossier.code == CODE and dossier.status == Status.DANG_XU_LY
    assert dossier.masked_name == "N***** V** A*" and dossier.phone_last4 == "5678"
    assert dossier.appointment == date(2026, 11, 3)
    assert fake.requests[0].headers["Authorization"] == "Bearer secret-token"
    assert fake.requests[0].match_info["code"] == CODE


async def test_wrapped_body_is_accepted(one_stop):
    _, backend = await one_stop({"data": BODY})
    assert (await backend.fetch(CODE)).code == CODE
    await backend.close()


async def test_404_means_no_such_dossier_without_retrying(one_stop):
    fake, backend = await one_stop(404)
    assert await backend.fetch(CODE) is None
    await backend.close()
    assert len(fake.requests) == 1


async def test_5xx_then_success_is_retried(one_stop):
    fake, backend = await one_stop(503, 500, BODY)
    assert (await backend.fetch(CODE)).code == CODE
    await backend.close()
    assert len(fake.requests) == 3


async def test_persistent_5xx_gives_up_after_the_bounded_attempts(one_stop):
    fake, backend = await one_stop(502)
    with pytest.raises(BackendUnavailable):
        await backend.fetch(CODE)
    await backend.close()
    assert len(fake.requests) == 3


async def test_timeout_is_retried_then_reported(one_stop):
    fake, backend = await one_stop("slow")
    started = asyncio.get_running_loop().time()
    with pytest.raises(BackendUnavailable):
        await backend.fetch(CODE)
    await backend.close()
    assert len(fake.requests) == 3
    assert asyncio.get_running_loop().time() - started < 3  # 3 × 0.5 s plus back-off


async def test_timeout_then_success(one_stop):
    _, backend = await one_stop("slow", BODY)
    assert (await backend.fetch(CODE)).code == CODE
    await backend.close()


@pytest.mark.parametrize(
    "garbage",
    [b"{not json", b"<html>maintenance</html>", json.dumps([1, 2]).encode(), b"\xff\xfe",
     json.dumps({**BODY, "status": 42}).encode(), json.dumps({**BODY, "code": "H29"}).encode(),
     json.dumps({**BODY, "receivedDate": "01/11/2026"}).encode(), json.dumps({**BODY, "phone": None}).encode()],
)
async def test_malformed_answers_are_reported_not_raised(one_stop, garbage):
    fake, backend = await one_stop(garbage)
    with pytest.raises(BackendUnavailable):
        await backend.fetch(CODE)
    await backend.close()
    assert len(fake.requests) == 1


async def test_auth_errors_are_not_retried(one_stop):
    fake, backend = await one_stop(401)
    with pytest.raises(BackendUnavailable):
        await backend.fetch(CODE)
    await backend.close()
    assert len(fake.requests) == 1


async def test_nobody_listening(unused_tcp_port_factory):
    backend = HttpDossierBackend(HttpSettings(f"http://127.0.0.1:{unused_tcp_port_factory()}", timeout_s=0.5,
                                             backoff_s=0.01))
    with pytest.raises(BackendUnavailable):
        await backend.fetch(CODE)
    await backend.close()


def test_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOSSIER_API_URL", "https://one-stop.example/api/")
    monkeypatch.setenv("DOSSIER_API_TOKEN", "t")
    monkeypatch.setenv("DOSSIER_API_TIMEOUT", "4.5")
    settings = HttpSettings.from_env()
    assert settings.base_url == "https://one-stop.example/api" and settings.timeout_s == 4.5 and settings.attempts == 3
    monkeypatch.delenv("DOSSIER_API_URL")
    with pytest.raises(ValueError):
        HttpSettings.from_env()


def test_mapping_is_replaceable_by_module_path():
    from actions.dossiers.mapping import generic, load_mapping

    assert load_mapping("") is generic
    assert load_mapping("actions.dossiers.mapping:generic") is generic
    with pytest.raises((ImportError, AttributeError)):
        load_mapping("no_such_module:mapping")


def test_the_generic_mapping_reads_the_proof_fields():
    from actions.dossiers.mapping import generic
    from actions.dossiers.proofs import secret_digest

    body = {"code": "000.00.07.H29-261101-0042", "procedureName": "Đăng ký khai sinh", "applicantName": "Nguyễn An",
            "phone": "0912345678", "status": 4, "birthDate": "1990-05-12T00:00:00Z", "lookupSecret": "K7QX3M9P"}
    dossier = generic(body)
    assert dossier.birth_year == 1990 and dossier.secret_digest == secret_digest(dossier.code, "K7QX3M9P")
    assert generic({**body, "birthDate": None, "lookupSecret": None}).birth_year is None

"""Editors propose, an admin reviews the diff and publishes; the audit log names both (issue 18)."""

import re

import pytest

from knowledge.base import KnowledgeBase
from tests.web.console.test_web import as_post, csrf_of, form_of
from web.console.accounts import Accounts, make_engine
from web.console.web import make_console
from web.server import make_app

PASSWORD = "mat-khau-du-dai"


@pytest.fixture
async def console(aiohttp_client, kb_dir, tmp_path):
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    accounts.add_user("lan", PASSWORD)  # an editor
    accounts.add_user("minh", PASSWORD, "admin")
    client = await aiohttp_client(make_app("http://localhost:5005", make_console(accounts, kb_dir)))
    client.accounts, client.kb_dir = accounts, kb_dir
    return client


async def log_in(client, name):
    await client.post("/console/logout", data={"csrf": "x"})
    client.session.cookie_jar.clear()
    page = await (await client.get("/console/login")).text()
    response = await client.post("/console/login", data={"csrf": csrf_of(page), "name": name, "password": PASSWORD},
                                 allow_redirects=False)
    assert response.status == 302


async def propose_fee(console, fee="Lệ phí mới: 123.000 đồng/lần cấp."):
    fields, csrf = await form_of(console, "cap_ho_chieu_pho_thong")
    fields["channels.0.fee"] = fee
    fields["channels.0.source"] = "Công an tỉnh, Thông tư số 64/2025/TT-BTC"
    response = await console.post("/console/procedures/cap_ho_chieu_pho_thong", data=as_post(fields, csrf, "publish"))
    assert response.status == 200 and "Đã gửi đề xuất" in await response.text()


def fee_in_service(console):
    return "123.000" in (console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml").read_text(encoding="utf-8")


async def test_an_editors_change_waits_until_an_admin_approves_it(console):
    await log_in(console, "lan")
    await propose_fee(console)
    assert not fee_in_service(console)  # roles are no longer decorative: nothing published yet
    page = await (await console.get("/console/proposals")).text()
    assert "123.000" in page and "Duyệt và xuất bản" not in page  # the editor sees it, cannot decide it
    proposal_id = re.search(r'id="proposal-(\d+)"', page).group(1)
    refused = await console.post(f"/console/proposals/{proposal_id}", data={"csrf": csrf_of(page),
                                                                             "decision": "approve"})
    assert refused.status == 403 and not fee_in_service(console)

    await log_in(console, "minh")
    page = await (await console.get("/console/proposals")).text()
    response = await console.post(f"/console/proposals/{proposal_id}", data={"csrf": csrf_of(page),
                                                                              "decision": "approve"})
    assert response.status == 200 and "Đã duyệt" in await response.text()
    assert fee_in_service(console)
    kb = KnowledgeBase(console.kb_dir, min_interval=0)
    assert any("123.000" in c.fee for c in kb.get("cap_ho_chieu_pho_thong").channels)
    approve, propose = console.accounts.history()[:2]
    assert propose.user_name == "lan" and propose.action.startswith("propose #")
    assert approve.user_name == "minh" and "đề xuất bởi lan" in approve.action and "123.000" in approve.diff
    assert "Không có đề xuất nào" in await (await console.get("/console/proposals")).text()


async def test_a_proposal_made_stale_by_a_later_change_is_not_applied(console):
    await log_in(console, "lan")
    await propose_fee(console)
    path = console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# sửa tay sau khi đề xuất\n", encoding="utf-8")
    await log_in(console, "minh")
    page = await (await console.get("/console/proposals")).text()
    proposal_id = re.search(r'id="proposal-(\d+)"', page).group(1)
    response = await console.post(f"/console/proposals/{proposal_id}", data={"csrf": csrf_of(page),
                                                                              "decision": "approve"})
    assert response.status == 409 and "đã thay đổi sau khi đề xuất" in await response.text()
    assert not fee_in_service(console)
    response = await console.post(f"/console/proposals/{proposal_id}", data={"csrf": csrf_of(page),
                                                                              "decision": "reject"})
    assert "Đã từ chối" in await response.text() and console.accounts.history()[0].action.startswith("reject #")


async def test_an_editors_alias_and_question_are_proposals_too(console):
    await log_in(console, "lan")
    page = await (await console.get("/console/unanswered")).text()
    response = await console.post("/console/unanswered/alias", data={
        "csrf": csrf_of(page), "ids": "", "procedure_id": "cap_ho_chieu_pho_thong", "alias": "pát xpo"})
    assert "Đã gửi đề xuất thêm “pát xpo”" in await response.text()
    assert "pát xpo" not in (console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml").read_text(encoding="utf-8")
    page = await (await console.get("/console/questions/cap_ho_chieu_pho_thong")).text()
    response = await console.post("/console/questions/cap_ho_chieu_pho_thong", data={
        "csrf": csrf_of(page), "phrasings": "thử đề xuất: bé 5 tuổi rưỡi làm hộ chiếu được không",
        "answer": "Có. Trẻ em được cấp.",
        "basis": "Điều 15 Luật Xuất cảnh, nhập cảnh của công dân Việt Nam 2019", "quote": "", "source_url": "",
        "ids": "", "question_id": ""})
    assert "Đã gửi đề xuất câu hỏi" in await response.text()
    page = await (await console.get("/console/proposals")).text()
    assert page.count('id="proposal-') == 2
    assert not any("thử đề xuất" in p.read_text(encoding="utf-8") for p in (console.kb_dir / "questions").glob("*.yml"))
    await log_in(console, "minh")
    page = await (await console.get("/console/proposals")).text()
    for proposal_id in re.findall(r'id="proposal-(\d+)"', page):
        await console.post(f"/console/proposals/{proposal_id}", data={"csrf": csrf_of(page), "decision": "approve"})
    assert "pát xpo" in (console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml").read_text(encoding="utf-8")
    assert any("thử đề xuất" in p.read_text(encoding="utf-8") for p in (console.kb_dir / "questions").glob("*.yml"))

"""The console's pages, as staff use them (aiohttp test client; the browser tests are in test_e2e_console)."""

import re

import pytest

from bot.console.accounts import Accounts, make_engine
from bot.console.web import make_console
from bot.widget_server import make_app
from knowledge.base import KnowledgeBase

PASSWORD = "mat-khau-du-dai"


@pytest.fixture
async def console(aiohttp_client, kb_dir, tmp_path):
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    accounts.add_user("lan", PASSWORD)
    client = await aiohttp_client(make_app("http://localhost:5005", make_console(accounts, kb_dir)))
    client.accounts, client.kb_dir = accounts, kb_dir
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


async def log_in(client, password=PASSWORD):
    page = await (await client.get("/console/login")).text()
    return await client.post("/console/login", data={"csrf": csrf_of(page), "name": "lan", "password": password},
                             allow_redirects=False)


async def form_of(client, proc_id: str) -> tuple[dict, str]:
    html = await (await client.get(f"/console/procedures/{proc_id}")).text()
    fields = {}
    inputs = r'<input id="[^"]*" name="([^"]+)" type="(?:text|date|number)" value="([^"]*)"'
    for name, value in re.findall(inputs, html):
        fields[name] = value
    for name, value in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = value
    for name, value in re.findall(r'<select id="[^"]*" name="([^"]+)">.*?<option value="([^"]+)" selected', html, re.S):
        fields[name] = value
    import html as html_lib

    fields = {k: html_lib.unescape(v) for k, v in fields.items()}
    fields["levels"] = re.findall(r'name="levels" value="([^"]+)" checked', html)
    return fields, csrf_of(html)


def as_post(fields: dict, csrf: str, action: str) -> list:
    data = [("csrf", csrf), ("action", action)]
    for key, value in fields.items():
        data += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return data


async def test_anonymous_pages_redirect_and_api_is_refused(console):
    response = await console.get("/console/", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/console/login"
    assert (await console.get("/console/api/procedures")).status == 401
    assert (await console.get("/console/procedures/dang_ky_khai_sinh", allow_redirects=False)).status == 302


async def test_login_sets_a_strict_http_only_cookie_and_logout_ends_the_session(console):
    response = await log_in(console)
    assert response.status == 302
    cookie = response.cookies["tl_console"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await (await console.get("/console/")).text()
    assert "Đăng xuất" in page
    await console.post("/console/logout", data={"csrf": csrf_of(page)})
    assert (await console.get("/console/api/procedures")).status == 401


async def test_wrong_password_is_refused(console):
    response = await log_in(console, "sai-mat-khau-roi")
    assert response.status == 401 and "không đúng" in await response.text()


async def test_login_without_its_csrf_token_is_refused(console):
    await console.get("/console/login")
    response = await console.post("/console/login", data={"csrf": "forged", "name": "lan", "password": PASSWORD})
    assert response.status == 403


async def test_posts_without_the_session_csrf_token_are_refused(console):
    await log_in(console)
    response = await console.post("/console/procedures/dang_ky_khai_sinh", data={"action": "publish"})
    assert response.status == 403


async def test_search_ignores_diacritics(console):
    await log_in(console)
    rows = await (await console.get("/console/api/procedures", params={"q": "ho chieu"})).json()
    assert [r["id"] for r in rows] == ["cap_ho_chieu_pho_thong"]


async def test_fix_a_fee_add_an_alias_publish_and_audit(console):
    await log_in(console)
    fields, csrf = await form_of(console, "cap_ho_chieu_pho_thong")
    fields["channels.0.fee"] = "Lệ phí mới: 123.000 đồng/lần cấp."
    fields["aliases"] += "\nlàm pát pọt"
    response = await console.post("/console/procedures/cap_ho_chieu_pho_thong", data=as_post(fields, csrf, "publish"))
    html = await response.text()
    assert response.status == 200 and "Đã xuất bản" in html and "123.000" in html  # preview shows the new fee
    kb = KnowledgeBase(console.kb_dir, min_interval=0)
    assert kb.get("cap_ho_chieu_pho_thong").channels[0].fee == "Lệ phí mới: 123.000 đồng/lần cấp."
    assert kb.search("làm pát pọt")[0].procedure_id == "cap_ho_chieu_pho_thong"
    entry = console.accounts.history()[0]
    assert entry.user_name == "lan" and "+" in entry.diff and "123.000" in entry.diff
    assert "123.000" in await (await console.get("/console/audit")).text()


async def test_validation_errors_show_inline_and_nothing_is_written(console):
    await log_in(console)
    path = console.kb_dir / "procedures" / "dang_ky_khai_sinh.yml"
    before = path.read_text(encoding="utf-8")
    fields, csrf = await form_of(console, "dang_ky_khai_sinh")
    fields["name"] = ""
    fields["online.url"] = "không phải địa chỉ"
    response = await console.post("/console/procedures/dang_ky_khai_sinh", data=as_post(fields, csrf, "publish"))
    html = await response.text()
    assert response.status == 422 and html.count('role="alert"') >= 3
    assert 'id="f-name-error"' in html and 'id="f-online-url-error"' in html
    assert path.read_text(encoding="utf-8") == before


async def test_markup_typed_into_a_field_is_shown_as_text(console):
    await log_in(console)
    fields, csrf = await form_of(console, "dang_ky_khai_sinh")
    fields["result"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    html = await (await console.post("/console/procedures/dang_ky_khai_sinh",
                                     data=as_post(fields, csrf, "preview"))).text()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_duplicate_into_a_new_procedure(console):
    await log_in(console)
    html = await (await console.get("/console/procedures/new", params={"copy_of": "dang_ky_khai_sinh"})).text()
    assert "(bản sao)" in html
    fields, csrf = await form_of(console, "new?copy_of=dang_ky_khai_sinh")
    fields.update(id="dang_ky_khai_sinh_thu_nghiem", name="Đăng ký khai sinh thử nghiệm", aliases="khai sinh thử")
    response = await console.post("/console/procedures/new", data=as_post(fields, csrf, "publish"))
    assert response.status == 200
    assert (console.kb_dir / "procedures" / "dang_ky_khai_sinh_thu_nghiem.yml").is_file()
    fields.update(id="dang_ky_khai_sinh")
    response = await console.post("/console/procedures/new", data=as_post(fields, csrf, "publish"))
    assert response.status == 422 and "Đã có thủ tục" in await response.text()


async def test_add_a_list_item_in_the_form(console):
    await log_in(console)
    fields, csrf = await form_of(console, "dang_ky_khai_sinh")
    html = await (await console.post("/console/procedures/dang_ky_khai_sinh",
                                     data=as_post(fields, csrf, "add:cases.0.papers"))).text()
    assert html.count('name="cases.0.papers.') > sum(1 for k in fields if k.startswith("cases.0.papers."))


async def test_stale_entries_are_flagged(console):
    from tests.conftest import write_procedure

    write_procedure(console.kb_dir, "thu_tuc_cu", "Thủ tục rà soát đã lâu", last_reviewed="2020-01-01")
    await log_in(console)
    rows = {r["id"]: r["stale"] for r in await (await console.get("/console/api/procedures")).json()}
    assert rows["thu_tuc_cu"] and not rows["dang_ky_khai_sinh"]
    html = await (await console.get("/console/")).text()
    assert html.count("cần rà soát lại") == 1

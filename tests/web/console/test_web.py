"""The console's pages, as staff use them (aiohttp test client; the browser tests are in test_e2e_console)."""

import re

import pytest

from knowledge.base import KnowledgeBase
from knowledge.schema import ChannelKind
from web.console.accounts import Accounts, make_engine
from web.console.web import make_console
from web.server import make_app

PASSWORD = "mat-khau-du-dai"


@pytest.fixture
async def console(aiohttp_client, kb_dir, tmp_path):
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    accounts.add_user("lan", PASSWORD, "admin")  # publishes at once; editors propose (test_proposals.py)
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
    assert [r["id"] for r in rows if r["kind"] == "curated"] == ["cap_ho_chieu_pho_thong"]
    # Imported procedures come after the curated ones, marked as such.
    assert rows[0]["kind"] == "curated" and all(r["kind"] == "imported" for r in rows[1:]) and len(rows) > 1


async def test_fix_a_fee_add_an_alias_publish_and_audit(console):
    await log_in(console)
    fields, csrf = await form_of(console, "cap_ho_chieu_pho_thong")
    fields["channels.0.fee"] = "Lệ phí mới: 123.000 đồng/lần cấp."
    # The official record's fee wins unless the officer cites where the newer fee is published.
    fields["channels.0.source"] = "Công an tỉnh, Thông tư số 64/2025/TT-BTC"
    fields["last_reviewed"] = "2026-11-30"
    fields["aliases"] += "\nlàm pát pọt"
    response = await console.post("/console/procedures/cap_ho_chieu_pho_thong", data=as_post(fields, csrf, "publish"))
    html = await response.text()
    assert response.status == 200 and "Đã xuất bản" in html and "123.000" in html  # preview shows the new fee
    kb = KnowledgeBase(console.kb_dir, min_interval=0)
    kind = ChannelKind(fields["channels.0.kind"])
    assert kb.get("cap_ho_chieu_pho_thong").channel(kind).fee == "Lệ phí mới: 123.000 đồng/lần cấp."
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


# ------------------------------------------------- what the bot could not answer


def events_of(client):
    from records.events import EventLog

    return EventLog(client.accounts.engine)


async def test_review_pages_need_a_session(console):
    for path in ("/console/unanswered", "/console/stats"):
        response = await console.get(path, allow_redirects=False)
        assert response.status == 302 and response.headers["Location"] == "/console/login"
    for path in ("/console/api/unanswered", "/console/api/stats"):
        assert (await console.get(path)).status == 401
    response = await console.post("/console/unanswered/alias", data={"alias": "x", "procedure_id": "y"},
                                  allow_redirects=False)
    assert response.status == 302


async def test_add_a_question_as_an_alias_in_one_step(console):
    log = events_of(console)
    for text in ("làm pát xpo ở đâu", "lam pat xpo o dau", "pát xpo làm ở đâu vậy"):
        log.record("fallback", "zalo", text)
    log.record("unresolved", "rest", "nuôi ong có cần đăng ký không")
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    assert "2 nhóm" in html and "3 lần" in html and "zalo" in html
    [group, _] = await (await console.get("/console/api/unanswered")).json()
    response = await console.post("/console/unanswered/alias", data={
        "csrf": csrf_of(html), "ids": ",".join(map(str, group["ids"])),
        "procedure_id": "cap_ho_chieu_pho_thong", "alias": "pát xpo"})
    html = await response.text()
    assert response.status == 200 and "Đã thêm “pát xpo”" in html
    path = console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml"
    assert "pát xpo" in path.read_text(encoding="utf-8")
    assert [g["count"] for g in await (await console.get("/console/api/unanswered")).json()] == [1]
    [entry] = console.accounts.history()
    assert (entry.action, entry.procedure_id, entry.user_name) == ("alias", "cap_ho_chieu_pho_thong", "lan")
    assert "+- pát xpo" in entry.diff.replace("+  - ", "+- ")


async def test_the_procedure_may_be_chosen_by_its_name_from_the_one_list_of_the_page(console):
    log = events_of(console)
    log.record("fallback", "zalo", "làm pát xpo ở đâu")
    log.record("fallback", "zalo", "xin phép bay flycam")
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    assert html.count('<datalist id="procedures">') == 1 and html.count('list="procedures"') == 2
    [group, _] = await (await console.get("/console/api/unanswered")).json()
    response = await console.post("/console/unanswered/alias", data={
        "csrf": csrf_of(html), "ids": ",".join(map(str, group["ids"])),
        "procedure_id": " cấp hộ chiếu phổ thông ở trong nước ", "alias": "pát xpo"})
    assert response.status == 200 and "Đã thêm “pát xpo”" in await response.text()
    assert "pát xpo" in (console.kb_dir / "procedures" / "cap_ho_chieu_pho_thong.yml").read_text(encoding="utf-8")


async def test_a_refused_alias_says_why_and_keeps_the_question(console):
    events_of(console).record("fallback", "rest", "hộ chiếu")
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    [group] = await (await console.get("/console/api/unanswered")).json()
    response = await console.post("/console/unanswered/alias", data={
        "csrf": csrf_of(html), "ids": str(group["ids"][0]), "procedure_id": "cap_ho_chieu_pho_thong",
        "alias": "Hộ chiếu"})
    assert response.status == 422 and "đã là tên gọi" in await response.text()
    assert len(await (await console.get("/console/api/unanswered")).json()) == 1


async def test_dismiss_a_group(console):
    log = events_of(console)
    log.record("fallback", "rest", "thời tiết hôm nay")
    log.record("feedback_down", "rest", "thoi tiet hom nay", procedure_id="dang_ky_tam_tru")
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    [group] = await (await console.get("/console/api/unanswered")).json()
    assert group["suggested"] == "dang_ky_tam_tru" and group["count"] == 2
    response = await console.post("/console/unanswered/dismiss", data={
        "csrf": csrf_of(html), "ids": ",".join(map(str, group["ids"])), "alias": group["wording"]})
    assert "Đã bỏ qua 2 câu hỏi" in await response.text()
    assert await (await console.get("/console/api/unanswered")).json() == []
    assert console.accounts.history()[0].action == "dismiss"


async def test_questions_with_markup_are_shown_as_text(console):
    events_of(console).record("fallback", "rest", '<img src=x onerror="alert(1)">làm giấy phép')
    await log_in(console)
    html = await (await console.get("/console/unanswered")).text()
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html


async def test_statistics_are_computed_from_recorded_events(console):
    log = events_of(console)
    for kind, proc in [("answer", "cap_ho_chieu_pho_thong"), ("answer", "cap_ho_chieu_pho_thong"),
                       ("answer", "dang_ky_tam_tru"), ("fallback", ""), ("feedback_up", "cap_ho_chieu_pho_thong"),
                       ("feedback_up", "cap_ho_chieu_pho_thong"), ("feedback_up", "dang_ky_tam_tru"),
                       ("feedback_down", "dang_ky_tam_tru"), ("dossier_lookup", "")]:
        log.record(kind, "rest", "", procedure_id=proc)
    await log_in(console)
    data = await (await console.get("/console/api/stats")).json()
    assert data["satisfaction"] == 0.75 and data["fallback_rate"] == 0.25 and data["lookups"] == 1
    assert data["most_asked"][0] == {
        "procedure_id": "cap_ho_chieu_pho_thong", "name": "Cấp hộ chiếu phổ thông ở trong nước", "asked": 2}
    assert data["per_procedure"][0]["procedure_id"] == "dang_ky_tam_tru"
    html = await (await console.get("/console/stats")).text()
    assert '<span class="big" id="satisfaction">75 %</span>' in html
    assert '<span class="big" id="fallback-rate">25 %</span>' in html
    assert html.count("<rect ") == 60  # 30 days in each of the two charts

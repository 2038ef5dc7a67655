"""Imported records on the console: listed and searched beside curated entries, read-only, 'Biên tập' to
start an overlay, and a newer snapshot confirmed by an administrator before it goes live."""

import json
import re
from datetime import date

import pytest

from knowledge.base import KnowledgeBase
from knowledge.national import load_national
from knowledge.schema import Procedure
from knowledge.tthc_import import staging_dir
from web.console import records
from web.console.accounts import Accounts, make_engine
from web.console.web import make_console
from web.server import make_app

from .test_web import PASSWORD, csrf_of, form_of, log_in


@pytest.fixture
async def console(aiohttp_client, kb_dir, tmp_path):
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    accounts.add_user("lan", PASSWORD)
    accounts.add_user("minh", PASSWORD, role="admin")
    client = await aiohttp_client(make_app("http://localhost:5005", make_console(accounts, kb_dir)))
    client.accounts, client.kb_dir = accounts, kb_dir
    return client


async def log_in_as(client, name):
    page = await (await client.get("/console/login")).text()
    return await client.post("/console/login", data={"csrf": csrf_of(page), "name": name, "password": PASSWORD},
                             allow_redirects=False)


def stage_a_newer_snapshot(kb_dir):
    """Copy the live records to the staging folder with one fee changed, one record gone and one added."""
    live, staged = kb_dir / "national", staging_dir(kb_dir / "national")
    staged.mkdir()
    for path in live.glob("*.json"):
        (staged / path.name).write_bytes(path.read_bytes())
    will = json.loads((staged / "2.001019.json").read_text(encoding="utf-8"))
    will["channels"][0]["fee"] = "60.000 đồng/di chúc"
    (staged / "2.001019.json").write_text(json.dumps(will, ensure_ascii=False), encoding="utf-8")
    (staged / "1.000178.json").unlink()
    added = json.loads((staged / "2.001019.json").read_text(encoding="utf-8"))
    added.update(id="tthc_9_000001", code="9.000001", name="Thủ tục thử mới")
    (staged / "9.000001.json").write_text(json.dumps(added, ensure_ascii=False), encoding="utf-8")
    index = json.loads((staged / "index.json").read_text(encoding="utf-8"))
    (staged / "index.json").write_text(json.dumps({**index, "snapshot": "2026-11-30"}), encoding="utf-8")


def test_rows_need_a_query_and_skip_records_a_curated_entry_covers(real_kb):
    rows, total = records.record_rows(real_kb, "", date(2026, 1, 1))
    assert rows == [] and total > 2500
    rows, _ = records.record_rows(real_kb, "chung thuc di chuc", date(2026, 1, 1))
    will = next(r for r in rows if r["code"] == "2.001019")
    assert will["kind"] == "imported" and will["name"] == "Chứng thực di chúc" and not will["stale"]
    rows, _ = records.record_rows(real_kb, "1.014063", date(2026, 1, 1))
    assert rows == []  # cap_doi_the_can_cuoc overlays it
    rows, _ = records.record_rows(real_kb, "chung thuc di chuc", date(2026, 12, 1))
    assert all(r["stale"] for r in rows)


def test_prefill_from_a_record_is_a_valid_curated_entry_for_a_complete_record(real_kb):
    data = records.prefill(real_kb.get("tthc_1_003197"))
    assert data["code"] == "1.003197" and data["id"] == "xoa_dang_ky_thuong_tru"
    proc = Procedure.parse_obj({**data, "where_to_submit": "Công an cấp xã"})
    assert proc.channels and proc.cases and proc.source.url.startswith("https://dichvucong.gov.vn/")


async def test_search_lists_imported_procedures_read_only_with_an_edit_action(console):
    await log_in(console)
    html = await (await console.get("/console/", params={"q": "chứng thực di chúc"})).text()
    assert 'href="/console/records/2.001019"' in html and 'from_record=2.001019">Biên tập' in html
    rows = await (await console.get("/console/api/procedures", params={"q": "di chuc"})).json()
    assert {"2.001019"} <= {r["code"] for r in rows if r["kind"] == "imported"}
    record = await (await console.get("/console/records/2.001019")).text()
    assert "Chứng thực di chúc" in record and "50.000 đồng" in record and "chỉ đọc" in record
    assert "<form method=\"post\"" not in record.split("<main>")[1].split("Biên tập")[0]
    assert (await console.get("/console/records/9.999999")).status == 404
    fields, _ = await form_of(console, "new?from_record=2.001019")
    assert fields["code"] == "2.001019" and fields["name"] == "Chứng thực di chúc"


async def test_an_administrator_sees_what_a_new_snapshot_changes_and_confirms_it(console):
    stage_a_newer_snapshot(console.kb_dir)
    await log_in(console)  # an editor sees the changes but cannot confirm
    html = await (await console.get("/console/import")).text()
    assert "1 thủ tục mới, 1 thủ tục bị bỏ, 1 thủ tục thay đổi" in html and "60.000 đồng/di chúc" in html
    assert "/console/import/confirm" not in html
    response = await console.post("/console/import/confirm", data={"csrf": csrf_of(html)})
    assert response.status == 403 and (staging_dir(console.kb_dir / "national") / "index.json").exists()

    await console.post("/console/logout", data={"csrf": csrf_of(html)})
    await log_in_as(console, "minh")
    html = await (await console.get("/console/import")).text()
    response = await console.post("/console/import/confirm", data={"csrf": csrf_of(html)})
    assert response.status == 200 and "Đã đưa bản mới vào sử dụng" in await response.text()
    live = load_national(console.kb_dir / "national")
    assert live.snapshot == date(2026, 11, 30) and "9.000001" in live.by_code and "1.000178" not in live.by_code
    assert not staging_dir(console.kb_dir / "national").exists()
    kb = KnowledgeBase(console.kb_dir, min_interval=0)
    assert kb.get("tthc_2_001019").channels[0].fee == "60.000 đồng/di chúc"
    entry = console.accounts.history()[0]
    assert entry.user_name == "minh" and entry.action == "import" and "1 thủ tục mới" in entry.diff


async def test_a_staged_snapshot_can_be_discarded(console):
    stage_a_newer_snapshot(console.kb_dir)
    await log_in_as(console, "minh")
    html = await (await console.get("/console/import")).text()
    response = await console.post("/console/import/discard", data={"csrf": csrf_of(html)})
    assert "Đã hủy bản mới" in await response.text()
    assert not staging_dir(console.kb_dir / "national").exists()
    assert load_national(console.kb_dir / "national").snapshot == date(2026, 7, 20)
    assert re.search(r"Không có dữ liệu mới", await (await console.get("/console/import")).text())

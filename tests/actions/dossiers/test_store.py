from datetime import date

import pytest

from actions.dossiers.backend import BackendUnavailable
from actions.dossiers.model import Dossier, Status
from actions.dossiers.store import DEMO_DOSSIERS, DossierStore
from records.database import make_engine


@pytest.fixture
def store(tmp_path) -> DossierStore:
    return DossierStore(make_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}"), seed_demo=True)


def test_a_new_database_in_demo_mode_gets_the_demo_dossiers(store):
    assert store.count() == len(DEMO_DOSSIERS)
    demo = store.get(DEMO_DOSSIERS[0].code)
    assert demo == DEMO_DOSSIERS[0]
    assert "Công" not in demo.masked_name  # demo names are stored masked like real ones


def test_demo_can_be_left_out(tmp_path):
    assert DossierStore(make_engine(f"sqlite:///{tmp_path / 'e.sqlite3'}"), seed_demo=False).count() == 0


def test_deployments_never_get_the_demo_dossiers(tmp_path, monkeypatch):
    """Only `make run`'s demo mode sets DOSSIER_DEMO=1; unset means a real deployment."""
    monkeypatch.setenv("DOSSIER_DB_URL", f"sqlite:///{tmp_path / 'f.sqlite3'}")
    monkeypatch.delenv("DOSSIER_DEMO", raising=False)
    assert DossierStore.from_env().count() == 0
    monkeypatch.setenv("DOSSIER_DB_URL", f"sqlite:///{tmp_path / 'g.sqlite3'}")
    monkeypatch.setenv("DOSSIER_DEMO", "1")
    assert DossierStore.from_env().count() == len(DEMO_DOSSIERS)


def test_a_table_from_before_the_proof_columns_gets_them(tmp_path):
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE dossiers (ma_ho_so VARCHAR(64) PRIMARY KEY, ten_thu_tuc TEXT NOT NULL, "
                          "chu_ho_so_an VARCHAR(200) NOT NULL, sdt_4_so_cuoi VARCHAR(4) NOT NULL, "
                          "trang_thai INTEGER NOT NULL, ngay_tiep_nhan DATE, ngay_hen_tra DATE, "
                          "ngay_co_ket_qua DATE, ghi_chu TEXT NOT NULL, cap_nhat_luc DATETIME NOT NULL)"))
    store = DossierStore(engine)
    store.upsert([DEMO_DOSSIERS[0]])
    assert store.get(DEMO_DOSSIERS[0].code).birth_year == 1990


def test_demo_is_not_added_again_to_an_existing_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    first = DossierStore(make_engine(url))
    first.upsert([])
    with first.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM dossiers")
    assert DossierStore(make_engine(url)).count() == 0


def test_upsert_inserts_then_updates_by_code(store):
    item = Dossier("000.00.07.H29-261101-0042", "Đăng ký khai sinh", "N*** V** A*", "5678", Status.DA_TIEP_NHAN,
                   date(2026, 11, 1), date(2026, 11, 3))
    assert store.upsert([item]).inserted == 1
    changed = Dossier(**{**item.__dict__, "status": Status.DA_TRA_KET_QUA, "result_date": date(2026, 11, 3)})
    result = store.upsert([changed])
    assert (result.inserted, result.updated) == (0, 1)
    assert store.get(item.code) == changed


async def test_fetch_unknown_code_is_none(store):
    assert await store.fetch("000.00.07.H29-261101-9999") is None


async def test_a_broken_database_is_reported_as_unavailable(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackendUnavailable):
        await DossierStore(make_engine(f"sqlite:///{path}")).fetch("000.00.07.H29-261101-0042")

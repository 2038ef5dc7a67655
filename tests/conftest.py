"""Shared fixtures: knowledge copies to edit, and one trained model for the whole session."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.paths import KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that need the trained model run after the others, and tests marked `last` after those.

    When some collected test needs the model, its training starts now, in the background: the tests
    that need no model (most of the suite, on one core) run while it trains on the other.
    """
    def needs_model(item) -> bool:
        return "trained_model" in getattr(item, "fixturenames", ())

    items.sort(key=lambda item: (item.get_closest_marker("last") is not None, needs_model(item)))
    if not config.option.collectonly and any(needs_model(item) for item in items):
        _TRAINING.start()


def pytest_sessionfinish() -> None:
    _TRAINING.stop()


@pytest.fixture(autouse=True)
def private_event_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Actions record their turns in a per-test database, never in var/ of the checkout."""
    from records import events as bot_events

    monkeypatch.setenv("CONSOLE_DB_URL", f"sqlite:///{tmp_path / 'events.sqlite3'}")
    monkeypatch.setattr(bot_events, "_shared", None)


@pytest.fixture(scope="session")
def real_kb() -> KnowledgeBase:
    """The knowledge base as shipped (read-only use)."""
    return KnowledgeBase(KNOWLEDGE_DIR, min_interval=3600)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A private copy of the knowledge directory that a test may edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


# ---------------------------------------------------------------- trained model

TEST_EPOCHS = 40
# Every stack the tests start locks Rasa's HTTP API with this token (deploy.stack reads it).
os.environ.setdefault("RASA_AUTH_TOKEN", secrets.token_urlsafe(32))


def _test_config(tmp: Path) -> Path:
    """config.yml with fewer epochs: same pipeline, same seed, faster to train."""
    from ruamel.yaml import YAML

    from tools.compare_nlu import is_diet

    yaml = YAML()
    config = yaml.load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if is_diet(component):
            component["epochs"] = TEST_EPOCHS
            component["evaluate_every_number_of_epochs"] = TEST_EPOCHS
    path = tmp / "config.yml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(config, handle)
    return path


class _BackgroundTraining:
    """``rasa train`` with the test configuration, started once per session and awaited by :func:`trained_model`."""

    def __init__(self) -> None:
        self.proc = None
        self.workdir: Path | None = None
        self.started = 0.0

    def start(self) -> None:
        import subprocess
        import sys
        import tempfile
        import time

        if self.proc is not None or os.environ.get("TEST_MODEL"):
            return
        from deploy.stack import rasa_env

        self.workdir = Path(tempfile.mkdtemp(prefix="tro-ly-test-model-"))
        self.started = time.monotonic()
        with (self.workdir / "train.log").open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "rasa"), "train",
                    "--config", str(_test_config(self.workdir)), "--domain", "domain.yml", "--data", "data",
                    "--out", str(self.workdir), "--fixed-model-name", "test-model",
                ],
                # Its own cache: a test that trains a pipeline meanwhile would share the checkout's cache database.
                cwd=ROOT, env={**rasa_env(), "RASA_CACHE_DIRECTORY": str(self.workdir / "cache")},
                stdout=log, stderr=subprocess.STDOUT,
            )

    def model(self) -> Path:
        import time

        self.start()
        assert self.proc is not None and self.workdir is not None
        code = self.proc.wait()
        log = self.workdir / "train.log"
        if code != 0:
            tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
            raise RuntimeError(f"rasa train exited with {code}:\n{tail}")
        print(f"\n[trained_model] {TEST_EPOCHS} epochs, ready {time.monotonic() - self.started:.0f} s after the start")
        return self.workdir / "test-model.tar.gz"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


_TRAINING = _BackgroundTraining()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """One model for the whole session, trained on the real data with a fixed seed (in the background)."""
    if os.environ.get("TEST_MODEL"):  # iterate on slow tests without retraining: TEST_MODEL=models/tro-ly.tar.gz
        return Path(os.environ["TEST_MODEL"]).resolve()
    return _TRAINING.model()


# Dossiers the end-to-end tests look up; dates are relative to today so that
# "overdue" and "on time" stay true whenever the suite runs.
E2E_PHONES = {"on_time": "0912345678", "overdue": "0987654321", "supplement": "0901112233", "locked": "0934567890",
              "attacked": "0977001122"}
E2E_ID_NUMBER = "079201001234"
E2E_YEARS = {"on_time": 1990, "overdue": 1985, "supplement": 2000, "locked": 1978, "attacked": 1982}


def e2e_proof(name: str) -> str:
    """What the citizen types as proof of link for one of the e2e dossiers: phone digits and year of birth."""
    return f"{E2E_PHONES[name][-4:]} {E2E_YEARS[name]}"


def e2e_code(today, offset: int, seq: str) -> str:
    """A dossier code received ``offset`` days from ``today`` (the code carries its date)."""
    from datetime import timedelta

    return f"000.00.07.H29-{(today + timedelta(days=offset)).strftime('%y%m%d')}-{seq}"


def e2e_codes(today) -> dict:
    """The codes of the e2e dossiers as of ``today``: the day the database was filled, which the tests must use too
    (a suite that runs past midnight would otherwise look up yesterday's codes)."""
    return {"on_time": e2e_code(today, -3, "0042"), "overdue": e2e_code(today, -10, "0043"),
            "supplement": e2e_code(today, -5, "0044"), "locked": e2e_code(today, -4, "0045"),
            "attacked": e2e_code(today, -2, "0046")}


def e2e_dossiers_csv(today) -> str:
    """A one-stop export in the documented CSV format, as an officer would import it."""
    from datetime import timedelta

    from actions.dossiers.csv_import import HEADER

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    codes = e2e_codes(today)
    rows = [
        [codes["on_time"], "Cấp Phiếu lý lịch tư pháp", "Nguyễn Văn An", E2E_PHONES["on_time"], E2E_ID_NUMBER,
         day(-3), day(7), "", "4", "Đã chuyển Công an tỉnh xác minh", str(E2E_YEARS["on_time"])],
        [codes["overdue"], "Đăng ký tạm trú", "Trần Thị Bình", E2E_PHONES["overdue"], "",
         day(-10), day(-2), "", "4", "", str(E2E_YEARS["overdue"])],
        [codes["supplement"], "Đăng ký thường trú", "Lê Văn Cường", E2E_PHONES["supplement"], "", day(-5), day(2), "",
         "5", "Bổ sung giấy tờ chứng minh chỗ ở hợp pháp", str(E2E_YEARS["supplement"])],
        [codes["locked"], "Đăng ký khai sinh", "Phạm Thị Dung", E2E_PHONES["locked"], "",
         day(-4), day(1), "", "2", "", str(E2E_YEARS["locked"])],
        [codes["attacked"], "Đăng ký kết hôn", "Hoàng Văn Em", E2E_PHONES["attacked"], "",
         day(-2), day(3), "", "4", "", str(E2E_YEARS["attacked"])],
    ]
    lines = [",".join(HEADER) + ",nam_sinh"] + [",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def e2e_dossier_db(tmp_path_factory) -> dict:
    """A dossier database filled by the import command, exactly as an officer would fill it."""
    import os
    import subprocess
    import sys
    from datetime import date

    workdir = tmp_path_factory.mktemp("dossiers")
    csv_path = workdir / "export.csv"
    today = date.today()
    csv_path.write_text(e2e_dossiers_csv(today), encoding="utf-8")
    db = workdir / "dossiers.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT), DOSSIER_DB_URL=f"sqlite:///{db}", DOSSIER_DEMO="0")
    subprocess.run([sys.executable, "-m", "actions.dossiers", "import", str(csv_path)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return {"path": db, "csv": csv_path, "env": {"DOSSIER_DB_URL": f"sqlite:///{db}", "DOSSIER_DEMO": "0"},
            "today": today, "codes": e2e_codes(today)}


@pytest.fixture
async def browser():
    """Headless Chromium (the Debian package) for the widget, console and handoff browser tests."""
    from playwright.async_api import async_playwright

    from tests.test_e2e_widget import ARGS, CHROMIUM

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="session")
def zalo_fake():
    """A stand-in for the Zalo OA API and OAuth endpoint that the running Rasa server posts to."""
    from tests.zalo_fake import FakeZalo, ThreadedFakeZalo

    server = ThreadedFakeZalo(FakeZalo()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory, e2e_dossier_db, zalo_fake):
    """The action server and Rasa server, running the session's model on loopback."""
    from deploy.stack import Stack, free_port
    from tests.zalo_fake import APP_ID, APP_SECRET, OA_SECRET_KEY

    workdir = tmp_path_factory.mktemp("stack")
    log = (workdir / "servers.log").open("w", encoding="utf-8")
    zalo_env = {
        "ZALO_APP_ID": APP_ID, "ZALO_OA_SECRET_KEY": OA_SECRET_KEY, "ZALO_APP_SECRET": APP_SECRET,
        "ZALO_ACCESS_TOKEN": "access-1", "ZALO_REFRESH_TOKEN": "refresh-1",
        "ZALO_API_URL": zalo_fake.url, "ZALO_OAUTH_URL": zalo_fake.url,
        "ZALO_TOKEN_FILE": str(workdir / "zalo_tokens.json"),
    }
    # The console publishes into a copy of the knowledge base, never into the checkout.
    knowledge = workdir / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    console_env = {"KNOWLEDGE_DIR": str(knowledge), "CONSOLE_DB_URL": f"sqlite:///{workdir / 'console.sqlite3'}",
                   "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.sqlite3'}"}
    # Every test client is 127.0.0.1: the per-address limit is raised so that tests do not lock each other out
    # (the per-code, per-conversation and overall limits stay as deployed; tests/actions/dossiers cover this one).
    limits = {"DOSSIER_LIMIT_PER_CLIENT_HOUR": "1000"}
    running = Stack(trained_model, rasa_port=free_port(), actions_port=free_port(), widget_port=free_port(), log=log,
                    extra_env={**e2e_dossier_db["env"], "DOSSIER_BACKEND": "sqlite", **zalo_env, **console_env,
                               **limits})
    running.log_path = workdir / "servers.log"
    running.workdir = workdir
    try:
        running.start(workdir)
        yield running
    finally:
        running.stop()
        log.close()


# ---------------------------------------------------------------- small knowledge bases

def write_procedure(directory: Path, proc_id: str, name: str, aliases=(), **changes) -> Path:
    """A valid procedure file derived from the shipped birth-registration entry."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load((KNOWLEDGE_DIR / "procedures" / "dang_ky_khai_sinh.yml").read_text(encoding="utf-8"))
    data["id"], data["name"], data["aliases"] = proc_id, name, list(aliases)
    data["code"] = ""
    for key, value in changes.items():
        data[key] = value
    path = directory / "procedures" / f"{proc_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path


@pytest.fixture
def small_kb_dir(tmp_path: Path) -> Path:
    """A knowledge directory with a handful of procedures whose names overlap like real ones."""
    root = tmp_path / "kb"
    (root / "procedures").mkdir(parents=True)
    shutil.copy(KNOWLEDGE_DIR / "service_desk.yml", root / "service_desk.yml")
    shutil.copy(KNOWLEDGE_DIR / "shorthand.yml", root / "shorthand.yml")
    shutil.copy(KNOWLEDGE_DIR / "procedures" / "dang_ky_khai_sinh.yml", root / "procedures")
    family = ["thẻ căn cước", "căn cước"]  # shared on purpose: the bot asks which one
    write_procedure(root, "cap_the_can_cuoc_lan_dau", "Cấp thẻ căn cước lần đầu", ["làm căn cước lần đầu", *family])
    write_procedure(root, "cap_doi_the_can_cuoc", "Cấp đổi thẻ căn cước", ["đổi căn cước", "đổi cccd", *family])
    write_procedure(root, "cap_lai_the_can_cuoc", "Cấp lại thẻ căn cước", ["mất căn cước", "làm lại cccd", *family])
    write_procedure(root, "cap_ho_chieu_pho_thong", "Cấp hộ chiếu phổ thông", ["hộ chiếu", "passport"])
    write_procedure(
        root, "dang_ky_thuong_tru", "Đăng ký thường trú", ["nhập hộ khẩu", "nhập khẩu", "sổ hộ khẩu"]
    )
    write_procedure(root, "dang_ky_tam_tru", "Đăng ký tạm trú", ["làm tạm trú"])
    write_procedure(root, "cap_phieu_ly_lich_tu_phap", "Cấp Phiếu lý lịch tư pháp", ["lý lịch tư pháp", "lltp"])
    write_procedure(root, "doi_giay_phep_lai_xe", "Đổi giấy phép lái xe", ["đổi bằng lái", "đổi gplx"])
    return root


@pytest.fixture
def small_kb(small_kb_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(small_kb_dir, min_interval=0)

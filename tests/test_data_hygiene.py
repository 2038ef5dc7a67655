"""After an end-to-end run, no phone or ID number the citizens typed is left in clear anywhere.

Runs after the other end-to-end tests of the session (same stack), adds a
conversation full of personal numbers on every channel it can, then reads every
log line and every database file the stack wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.conftest import E2E_ID_NUMBER, E2E_PHONES

pytestmark = [pytest.mark.slow, pytest.mark.last]

PHONE_SPELLINGS = ("0912 345 678", "0912.345.678", "+84912345678")


def _talk(stack, sender: str, text: str) -> None:
    response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=60)
    assert response.status_code == 200 and response.json()


def test_logs_and_databases_hold_no_phone_or_id_number(stack, e2e_dossier_db):
    on_time_code = None
    for line in e2e_dossier_db["csv"].read_text(encoding="utf-8").splitlines()[1:]:
        if E2E_PHONES["on_time"] in line:
            on_time_code = line.split(",")[0]
    sender = "hygiene-citizen"
    _talk(stack, sender, f"tra cứu hồ sơ {on_time_code}, sđt của tôi {E2E_PHONES['on_time']}")
    _talk(stack, sender, f"{E2E_PHONES['on_time']} 1990")  # a whole phone number in the proof of link
    _talk(stack, sender, f"số căn cước {E2E_ID_NUMBER} của tôi, gọi {PHONE_SPELLINGS[0]} hoặc {PHONE_SPELLINGS[2]}")
    _talk(stack, sender, f"không giúp được gì, gọi lại {PHONE_SPELLINGS[1]}")
    _talk(stack, sender, "/feedback_bad")

    workdir: Path = stack.workdir
    files = [stack.log_path, e2e_dossier_db["path"], *sorted(workdir.rglob("*.sqlite3"))]
    assert {"tracker.sqlite3", "console.sqlite3"} <= {f.name for f in files}, files
    secrets = [*E2E_PHONES.values(), E2E_ID_NUMBER, *PHONE_SPELLINGS]
    found = {}
    for path in files:
        content = path.read_bytes()
        leaked = [s for s in secrets if s.encode("utf-8") in content]
        if leaked:
            found[str(path)] = leaked
    assert not found, found

import json

import pytest

from bot.channels.zalo_signature import SignatureVerifier, signature

NOW_MS = 1_795_000_000_000
BODY = json.dumps({"app_id": "123", "timestamp": str(NOW_MS), "event_name": "user_send_text"}).encode()
PAYLOAD = json.loads(BODY)


@pytest.fixture
def verifier():
    return SignatureVerifier("123", "oa-secret", clock=lambda: NOW_MS / 1000)


def test_the_documented_formula(verifier):
    import hashlib

    expected = hashlib.sha256(b"123" + BODY + str(NOW_MS).encode() + b"oa-secret").hexdigest()
    assert signature("123", BODY, str(NOW_MS), "oa-secret") == f"mac={expected}"
    assert verifier.verify(f"mac={expected}", BODY, PAYLOAD)


@pytest.mark.parametrize(
    "header",
    [None, "", "mac=", "mac=00", signature("123", BODY, str(NOW_MS), "wrong-secret"),
     signature("123", BODY + b" ", str(NOW_MS), "oa-secret")],
)
def test_missing_or_bad_signatures_are_refused(verifier, header):
    assert not verifier.verify(header, BODY, PAYLOAD)


def test_another_app_is_refused(verifier):
    body = BODY.replace(b'"123"', b'"999"')
    assert not verifier.verify(signature("999", body, str(NOW_MS), "oa-secret"), body, json.loads(body))


def test_stale_events_are_refused():
    old = SignatureVerifier("123", "oa-secret", clock=lambda: NOW_MS / 1000 + 16 * 60)
    assert not old.verify(signature("123", BODY, str(NOW_MS), "oa-secret"), BODY, PAYLOAD)


def test_unconfigured_verifier_refuses_everything():
    blank = SignatureVerifier("", "", clock=lambda: NOW_MS / 1000)
    assert not blank.verify(signature("", BODY, str(NOW_MS), ""), BODY, {"app_id": "", "timestamp": str(NOW_MS)})

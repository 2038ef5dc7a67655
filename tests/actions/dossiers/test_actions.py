"""The form's extraction and validation, and the submit action, run as the action server runs them."""

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dossiers import actions as mod
from actions.dossiers.proofs import PhoneAndBirthYear
from actions.dossiers.replies import ASK_CODE
from knowledge.dossier_codes import EXAMPLE_CODE
from records import events as bot_events

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text(encoding="utf-8"))


def tracker(text, intent="lookup_dossier", requested=None, **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    values = {"dossier_code": None, "dossier_proof": None, "requested_slot": requested, **slots}
    return Tracker("conv-1", values, message, [], False, None, {"name": "dossier_form"}, "action_listen")


async def validate(t):
    dispatcher = CollectingDispatcher()
    events = await mod.ValidateDossierForm().run(dispatcher, t, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_code_is_taken_straight_from_the_first_message():
    slots, said = await validate(tracker("tra cứu hồ sơ 000.00.07.h29 - 261101 - 0042"))
    assert slots["dossier_code"] == EXAMPLE_CODE and said == ""


async def test_first_message_without_a_code_fills_nothing():
    slots, _ = await validate(tracker("hồ sơ của tôi đến đâu rồi"))
    assert slots.get("dossier_code") is None


@pytest.mark.parametrize("requested", [None, "dossier_code"])
async def test_malformed_code_explains_the_format(requested):
    slots, said = await validate(tracker("000.00.07.H29-2611-42", intent="nlu_fallback", requested=requested))
    assert slots["dossier_code"] is None
    assert "chưa đúng định dạng" in said and EXAMPLE_CODE in said


@pytest.mark.parametrize("text", ["5678 1990", "4 số cuối là 5678, năm sinh 1990", "0912 345 678 1990",
                                  "+84912345678 sinh nam 1990", "1990 - 5678"])
async def test_proof_is_read_from_what_citizens_type(text):
    proof = "5678:1990"
    slots, said = await validate(tracker(text, intent="nlu_fallback", requested="dossier_proof",
                                         dossier_code=EXAMPLE_CODE))
    assert slots["dossier_proof"] == proof and said == ""


@pytest.mark.parametrize("text", ["5678", "56789 1990", "5678 1890", "12", "không nhớ", "😀"])
async def test_bad_proof_is_asked_again_with_the_format(text):
    slots, said = await validate(tracker(text, intent="nlu_fallback", requested="dossier_proof",
                                         dossier_code=EXAMPLE_CODE))
    if text == "😀":  # unreadable: declined, so the fallback rule answers and the form asks again
        assert "dossier_proof" not in slots
    else:
        assert slots["dossier_proof"] is None and said == PhoneAndBirthYear().format_hint


async def test_a_question_during_the_form_is_not_taken_as_an_answer():
    slots, said = await validate(tracker("làm hộ chiếu cần giấy tờ gì", intent="ask_papers",
                                         requested="dossier_proof", dossier_code=EXAMPLE_CODE))
    assert "dossier_proof" not in slots and said == ""


async def test_a_corrected_code_replaces_the_first_without_becoming_the_proof():
    slots, _ = await validate(tracker("nhầm, mã là 000.00.07.H29-261101-0043", intent="lookup_dossier",
                                      requested="dossier_proof", dossier_code=EXAMPLE_CODE))
    assert slots["dossier_code"] == "000.00.07.H29-261101-0043" and "dossier_proof" not in slots


async def test_questions_asked_by_the_form():
    for action, text in ((mod.ActionAskDossierCode(), ASK_CODE), (mod.ActionAskDossierProof(), PhoneAndBirthYear.ask)):
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, tracker(""), DOMAIN)
        assert dispatcher.messages[0]["text"] == text


async def test_submit_uses_the_configured_backend_and_forgets_code_and_proof(monkeypatch, tmp_path):
    monkeypatch.setenv("DOSSIER_DB_URL", f"sqlite:///{tmp_path / 'd.sqlite3'}")
    monkeypatch.setenv("DOSSIER_BACKEND", "sqlite")
    monkeypatch.setenv("DOSSIER_DEMO", "1")
    mod.dossier_lookup.cache_clear()
    try:
        dispatcher = CollectingDispatcher()
        t = tracker("0001 1990", dossier_code="000.00.00.DEMO-261120-0001", dossier_proof="0001:1990")
        events = await mod.ActionLookupDossier().run(dispatcher, t, DOMAIN)
    finally:
        mod.dossier_lookup.cache_clear()
    assert "Cấp Phiếu lý lịch tư pháp" in dispatcher.messages[0]["text"]
    assert {(e["name"], e["value"]) for e in events} == {("dossier_code", None), ("dossier_proof", None)}
    [lookup] = bot_events.event_log().events()
    assert lookup.kind == "dossier_lookup" and lookup.text == ""  # counted, the code is not kept


async def test_stopping_a_lookup_forgets_the_code_and_proof():
    dispatcher = CollectingDispatcher()
    events = await mod.ActionStopLookup().run(dispatcher, tracker("thôi", intent="stop", dossier_code=EXAMPLE_CODE),
                                             DOMAIN)
    assert "dừng tra cứu" in dispatcher.messages[0]["text"]
    assert {(e["name"], e["value"]) for e in events} == {("dossier_code", None), ("dossier_proof", None)}

"""A curated entry over its official record: the record's facts win unless a newer curated fact cites its source."""

from datetime import date

import pytest

from knowledge.national import OverlaidProcedure, load_national, national_path, overlay, procedure_id
from knowledge.paths import KNOWLEDGE_DIR
from knowledge.schema import Channel, ChannelKind, NationalProcedure, Procedure


@pytest.fixture(scope="module")
def records():
    return load_national(KNOWLEDGE_DIR / "national").by_code


@pytest.fixture
def curated(real_kb):
    return real_kb.curated["cap_doi_the_can_cuoc"]


def test_ids_and_paths_of_imported_procedures(tmp_path):
    assert procedure_id("1.014063") == "tthc_1_014063"
    assert national_path(tmp_path, "tthc_1_014063") == tmp_path / "national" / "1.014063.json"
    assert national_path(tmp_path, "cap_doi_the_can_cuoc") is None


def test_the_record_wins_for_published_facts(curated, records):
    record = records["1.014063"]
    stale = curated.copy(update={"channels": [Channel(kind=ChannelKind.truc_tiep, fee="30.000 đồng/thẻ")],
                                 "agency": "Công an huyện"})
    merged = overlay(stale, record)
    assert isinstance(merged, OverlaidProcedure) and merged.record == record
    assert merged.channel(ChannelKind.truc_tiep).fee.startswith("50.000 đồng")
    assert merged.agency == record.agency and merged.legal_basis == record.legal_basis
    # What only people add stays: names, cases, notes, the online level.
    assert merged.aliases == stale.aliases and merged.cases == stale.cases and merged.online == stale.online
    assert merged.id == "cap_doi_the_can_cuoc" and merged.code == "1.014063"


def test_a_newer_curated_channel_citing_its_source_wins(curated, records):
    record = records["1.014063"]
    cited = Channel(kind=ChannelKind.truc_tiep, fee="25.000 đồng", source="Thông tư số 64/2025/TT-BTC")
    newer = curated.copy(update={"channels": [cited], "last_reviewed": date(2026, 12, 1)})
    assert overlay(newer, record).channel(ChannelKind.truc_tiep).fee == "25.000 đồng"
    # The record's other channels are still served.
    assert overlay(newer, record).channel(ChannelKind.truc_tuyen).fee.startswith("50.000 đồng")
    older = newer.copy(update={"last_reviewed": date(2026, 1, 1)})
    assert overlay(older, record).channel(ChannelKind.truc_tiep).fee.startswith("50.000 đồng")
    uncited = newer.copy(update={"channels": [Channel(kind=ChannelKind.truc_tiep, fee="25.000 đồng")]})
    assert overlay(uncited, record).channel(ChannelKind.truc_tiep).fee.startswith("50.000 đồng")


def test_empty_record_facts_fall_back_to_the_curated_ones(curated, records):
    record = records["1.014063"].copy(update={"where_to_submit": "", "steps": []})
    merged = overlay(curated, record)
    assert merged.where_to_submit == curated.where_to_submit and merged.steps == curated.steps


def test_the_knowledge_base_serves_curated_entries_over_their_records(real_kb):
    served = real_kb.get("cap_doi_the_can_cuoc")
    assert isinstance(served, OverlaidProcedure) and served.record.code == "1.014063"
    # The record's own id reaches the same entry; it is not served twice.
    assert real_kb.get("tthc_1_014063") is served
    assert "tthc_1_014063" not in {m.procedure_id for m in real_kb.search("cấp đổi thẻ căn cước", limit=10)}
    assert isinstance(real_kb.get("tthc_2_001019"), NationalProcedure)
    assert isinstance(real_kb.curated["cap_doi_the_can_cuoc"], Procedure)
    assert len(real_kb.procedures) > 2600


def test_records_reload_only_when_the_index_changes(kb_dir):
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase(kb_dir, min_interval=0)
    assert not kb.refresh()
    index = kb_dir / "national" / "index.json"
    (kb_dir / "national" / "2.001019.json").unlink()
    assert not kb.refresh() and kb.get("tthc_2_001019") is not None  # the importer writes the index last
    index.write_text(index.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert kb.refresh() and kb.get("tthc_2_001019") is None


def test_further_codes_an_entry_stands_for_are_not_offered_on_their_own(real_kb):
    card = real_kb.get("cap_the_can_cuoc_lan_dau")
    assert set(card.codes) == {"1.014062"}
    assert real_kb.get("tthc_1_014062") is card


def test_a_record_for_one_audience_is_answered_only_when_the_message_names_it(real_kb):
    from knowledge.search import resolve

    bhyt = real_kb.get("cap_lai_the_bhyt")
    assert [(a.audience.value, "1.001294" in a.codes) for a in bhyt.audiences] == [("cong_an_nhan_dan", True)]
    # the police's own record keeps its own facts (2.000 đồng a card), not the entry's
    police = real_kb.get("tthc_1_001294")
    assert police is not bhyt and "2.000" in police.channels[0].fee
    assert resolve(real_kb.search("cấp lại thẻ bảo hiểm y tế")).confident.procedure_id == "cap_lai_the_bhyt"
    assert resolve(real_kb.search("cấp đổi thẻ bảo hiểm y tế cần gì")).confident.procedure_id == "cap_lai_the_bhyt"
    worker = "e la cong nhan cong an tinh, lo lam mat the bhyt. xin cap lai thi lam don nop cho ai"
    assert resolve(real_kb.search(worker)).confident.procedure_id == "tthc_1_001294"
    torn = "Đổi thẻ BHYT bị rách, công nhân công an đơn vị thuộc Bộ, cần nộp gì?"
    assert resolve(real_kb.search(torn)).confident.procedure_id == "tthc_1_001321"  # the exchange, central level
    # the police's first card is not offered to anyone else
    assert "tthc_2_000639" not in {m.procedure_id for m in real_kb.search("cấp thẻ bhyt")}
    assert real_kb.offered("tthc_2_000639", "cấp thẻ bhyt") is None
    assert real_kb.offered("tthc_1_001294", worker) == "tthc_1_001294"
    # an audience the family has no member for asks nothing of it
    assert resolve(real_kb.search("bố tôi công tác ở Bộ Công an, tôi làm hộ chiếu cần gì")).confident.procedure_id \
        == "cap_ho_chieu_pho_thong"

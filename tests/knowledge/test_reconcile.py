"""What counts as a curated fact disagreeing with its official record."""

from knowledge.reconcile import amounts, differences, documents
from knowledge.schema import Channel, ChannelKind, OnlineLevel


def test_amounts_and_document_numbers():
    assert amounts("50,000 Việt Nam Đồng; 25.000 đồng/thẻ; 7 ngày") == {50000, 25000}
    assert documents(["Luật Căn cước số 26/2023/QH15", "Nghị định 70/2024/NĐ-CP"]) == {"26/2023/QH15", "70/2024/NĐ-CP"}


def test_fee_time_channel_and_online_differences(real_kb):
    record = real_kb.get("cap_doi_the_can_cuoc").record
    curated = real_kb.curated["cap_doi_the_can_cuoc"]
    agreeing = differences(curated, record)
    assert all(not d.certain or d.overridden for d in agreeing), agreeing
    wrong = curated.copy(update={"channels": [
        Channel(kind=ChannelKind.truc_tiep, fee="30.000 đồng/thẻ", processing_time="15 ngày làm việc"),
        Channel(kind=ChannelKind.truc_tuyen, fee="50.000 đồng (như trên)", processing_time="7 ngày làm việc"),
    ]})
    found = {(d.location, d.certain) for d in differences(wrong, record)}
    assert (("channels", 0, "fee"), True) in found and (("channels", 0, "processing_time"), True) in found
    assert not any(loc[:2] == ("channels", 1) for loc, _ in found)
    offline = record.copy(update={"channels": [c for c in record.channels if c.kind != ChannelKind.truc_tuyen]})
    online = curated.copy(update={"online": curated.online.copy(update={"level": OnlineLevel.toan_trinh})})
    silent = [d for d in differences(online, offline) if d.location == ("online", "level")]
    assert silent and not silent[0].certain  # the record's silence is a note, not a contradiction

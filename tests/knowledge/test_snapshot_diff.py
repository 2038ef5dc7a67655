"""What a newer snapshot changes, as the officer confirming it reads it."""

from knowledge.schema import Channel, ChannelKind
from knowledge.snapshot_diff import compare


def test_added_removed_and_changed_facts(real_kb):
    will, complaint = real_kb.get("tthc_2_001019"), real_kb.get("tthc_1_000178")
    dearer = will.copy(update={"channels": [Channel(kind=ChannelKind.truc_tiep, fee="60.000 đồng")],
                               "name": "Chứng thực di chúc (mới)"})
    new = will.copy(update={"code": "9.000001"})
    diff = compare({"2.001019": will, "1.000178": complaint}, {"2.001019": dearer, "9.000001": new})
    assert [p.code for p in diff.added] == ["9.000001"] and [p.code for p in diff.removed] == ["1.000178"]
    changes = {c.fact: c for c in diff.changed["2.001019"]}
    assert changes["lệ phí (nộp trực tiếp)"].old == "50.000 đồng/di chúc"
    assert changes["lệ phí (nộp trực tiếp)"].new == "60.000 đồng"
    assert changes["cách nộp: nộp trực tuyến"].new == "không có"
    assert changes["tên"].new == "Chứng thực di chúc (mới)"
    assert diff.summary() == "1 thủ tục mới, 1 thủ tục bị bỏ, 1 thủ tục thay đổi" and not diff.empty


def test_the_same_records_change_nothing(real_kb):
    will = real_kb.get("tthc_2_001019")
    assert compare({"2.001019": will}, {"2.001019": will.copy()}).empty

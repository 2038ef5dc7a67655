"""The blind round's build step: overlapping questions are dropped unread, the rest written with a header."""

from ruamel.yaml import YAML

from tools import blind_round


def test_words_and_overlap_are_read_folded():
    assert blind_round.words("Làm CCCD ở đâu?") == frozenset({"lam", "cccd", "o", "dau"})
    assert blind_round.jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == 1 / 3
    assert blind_round.jaccard(frozenset(), frozenset()) == 0.0


def test_build_drops_what_an_earlier_set_already_asks_and_keeps_the_rest(tmp_path, monkeypatch):
    evals, work = tmp_path / "eval", tmp_path / "work"
    evals.mkdir()
    work.mkdir()
    yaml = YAML()
    with (evals / "dev_r1.yml").open("w", encoding="utf-8") as handle:
        yaml.dump([{"id": "r1_001", "text": "làm căn cước cho con 10 tuổi cần giấy tờ gì"}], handle)
    written = [
        {"id": "r9_001", "text": "lam can cuoc cho con 10 tuoi can giay to gi", "procedure": "1.014061"},
        {"id": "r9_002", "text": "đăng ký kết hôn với người Hàn Quốc ở đâu", "procedure": "none"},
    ]
    with (work / "dev_r9.yml").open("w", encoding="utf-8") as handle:
        yaml.dump(written, handle)
    monkeypatch.setattr(blind_round, "EVAL_DIR", evals)
    result = blind_round.build(9, work)
    assert result == {"kept": ["r9_002"], "dropped": ["r9_001"]}
    built = (evals / "dev_r9.yml").read_text(encoding="utf-8")
    assert built.startswith("# r9 blind dev set") and "r9_001." in built.splitlines()[2]
    assert [item["id"] for item in YAML(typ="safe").load(built)] == ["r9_002"]

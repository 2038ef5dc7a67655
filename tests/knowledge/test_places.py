"""Province and city names read as one word (knowledge/places.py)."""

from knowledge.places import PLACE, Places, load_places


def test_a_place_name_is_one_word_before_and_after_the_merger_marked_or_not():
    places = Places(["Nghệ An", "Thừa Thiên Huế", "Huế", "Hà Nội", "TP HCM"])
    assert places.fold_in(["tam", "tru", "o", "nghe", "an"]) == ["tam", "tru", "o", PLACE]
    assert places.fold_in(["thua", "thien", "hue", "va", "hue"]) == [PLACE, "va", PLACE]
    # A marked "Hà" is a content word ("ha_"), not the particle "hả": still the capital.
    assert places.fold_in(["ha_", "noi", "tp", "hcm"]) == [PLACE, PLACE]
    assert places.fold_in(["nghe", "noi"]) == ["nghe", "noi"]


def test_the_shipped_names_hold_the_provinces_before_the_merger(real_kb):
    places = load_places(real_kb.root / "place_names.yml")
    assert len(places) >= 63
    index = real_kb.question_index
    assert index.words("hộ khẩu Bình Dương, làm ở Sài Gòn") == ["ho", "khau", PLACE, "lam", "o", PLACE]
    # Chat's "HN" is the capital only after a word of place: alone it is "hôm nay".
    assert PLACE in index.words("đang ở trọ đi học trên HN")
    assert PLACE not in index.words("hn mình nộp hồ sơ rồi")


def test_a_curated_example_place_stands_for_any_place(real_kb):
    from knowledge.passages import ASPECT_WORDS

    index = real_kb.question_index
    phrasing = next(p for p in index.passages if p.text.startswith("tôi thường trú ở Nghệ An nhưng đang làm việc"))
    asked = index.words("tôi thường trú ở Hà Nội nhưng đang làm việc ở Cần Thơ thì có làm căn cước ở đây được không")
    assert index.overlap(asked, phrasing, ASPECT_WORDS)[1] == 1


def test_a_broken_place_file_names_no_place_and_raises_nothing(tmp_path):
    broken = tmp_path / "place_names.yml"
    broken.write_text("- Hà Nội\n- [unclosed\n", encoding="utf-8")
    places = load_places(broken)
    assert len(places) == 0 and places.fold_in(["ha", "noi"]) == ["ha", "noi"]

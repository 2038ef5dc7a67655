"""The passage index: every answerable unit, BM25 within a procedure, and how much a passage covers."""

from __future__ import annotations

from knowledge.passages import (
    ALONE,
    ASPECT_WORDS,
    CASE,
    CHANNEL,
    CONDITION,
    LEGAL_BASIS,
    PAPER,
    STEP,
    procedure_passages,
)


def test_every_unit_of_a_procedure_is_a_passage(real_kb):
    proc = real_kb.get("dang_ky_khai_sinh")
    kinds = {p.kind for p in procedure_passages(proc)}
    assert {CASE, PAPER, STEP, CHANNEL, LEGAL_BASIS} <= kinds
    papers = [p for p in procedure_passages(proc) if p.kind == PAPER]
    assert all(p.key in {c.id for c in proc.cases} for p in papers)  # each paper knows its case


def test_search_stays_within_the_procedures_asked(real_kb):
    index = real_kb.passage_index
    hits = index.search("trẻ dưới 14 tuổi có phải làm thẻ không", ["cap_the_can_cuoc_lan_dau"], limit=3)
    assert hits and {h.passage.procedure_id for h in hits} == {"cap_the_can_cuoc_lan_dau"}
    assert index.search("trẻ dưới 14 tuổi", ["no_such_procedure"]) == []


def test_search_reads_plain_and_shorthand_text_like_accented_text(real_kb):
    index = real_kb.passage_index
    scope = ["cap_the_can_cuoc_lan_dau"]
    accented = index.search("dưới 14 tuổi có bắt buộc không", scope, kinds=[CONDITION, CASE])
    plain = index.search("duoi 14 tuoi co bat buoc ko", scope, kinds=[CONDITION, CASE])
    assert accented and [h.passage for h in accented] == [h.passage for h in plain]


def test_cover_counts_the_distinguishing_words_not_the_procedure_name(real_kb):
    index = real_kb.question_index
    [best, *_] = index.search("làm căn cước cho con 4 tuổi có bắt buộc không", ["cap_the_can_cuoc_lan_dau"])
    named_only = index.search("làm thẻ căn cước", ["cap_the_can_cuoc_lan_dau"])
    assert best.cover > 0.5
    assert all(h.cover == 0 for h in named_only)  # naming the procedure asks no situation


def test_marked_words_that_fold_onto_function_words_keep_their_topic(real_kb):
    from knowledge.passages import ASPECT_WORDS, content_words

    words = real_kb.question_index.words
    # "bán" is not "bạn", "thẻ" not "thế", "nhà" not "nhé", "thi" not "thì": with marks they carry the topic.
    assert "ban_" in content_words(words("anh em họ bán đất cho nhau"))
    assert {"the_", "nha_", "thi_"} <= set(content_words(words("thẻ mất ở nhà thì có phải thi lại không")))
    assert "ban" not in content_words(words("bạn ơi cho hỏi"))
    # Unmarked text stays ambiguous and is read as the function word, as before.
    assert "ban" not in content_words(words("ban ban dat cho nhau")) and "dat" in content_words(words("ban dat"))
    # ... except "thi" where "thì" cannot stand: opening the text or after "phải", before what is sat for.
    assert "thi_" in content_words(words("thi bang lai xe may mat bao nhieu tien"))
    assert "thi_" in content_words(words("bang lai qua han co phai thi lai khong"))
    assert "thi_" not in content_words(words("ko phai mang xe di thi can dieu kien j"))
    assert "thi_" not in content_words(words("neu mat thi lam lai o dau"))
    # Aspect phrases go as phrases: "hồ sơ" asks the papers, "họ" and "sổ" alone do not.
    assert content_words(words("làm sổ đỏ cần hồ sơ gì"), ASPECT_WORDS) == ["so", "do_"]
    assert "ho" in content_words(words("đổi họ cho con"), ASPECT_WORDS)
    assert "buoc" in content_words(words("có bắt buộc không"), ASPECT_WORDS)
    # Aspect phrases whose marked words fold onto function words are still aspect phrases.
    assert content_words(words("nộp ở cơ quan nào, căn cứ pháp lý là gì"), ASPECT_WORDS) == []
    # The commune's office is where a paper is filed, written out or short: no situation.
    for office in ("ra ủy ban nhân dân phường chứng thực", "ra ubnd phuong chung thuc"):
        assert content_words(words(office), ASPECT_WORDS) == ["ra", "phuong", "chung", "thuc"]


def test_a_bound_is_one_comparison_word_and_counts_only_against_a_bound(real_kb):
    from knowledge.passages import ASPECT_WORDS, Passage, content_words

    index = real_kb.question_index
    words = index.words
    assert "cmp_lt" in content_words(words("trẻ dưới 14 tuổi"))
    assert "cmp_lt" in content_words(words("tre chua du 14 tuoi"))
    assert "cmp_lt" in content_words(words("đóng chưa được 6 tháng"))
    assert "cmp_ge" in content_words(words("con đủ 14 tuổi"))
    assert "cmp_le" in content_words(words("tạm trú tối đa 2 năm"))
    pid = "cap_the_can_cuoc_lan_dau"
    under = Passage(pid, "question", "x", "q", tuple(words("trẻ dưới 14 tuổi có bắt buộc làm không")))
    # A bound against the other bound: the message leaves the passage's qualifier unsaid.
    assert index.overlap(words("trẻ đủ 14 tuổi có bắt buộc làm không"), under, ASPECT_WORDS)[1] < 1
    # A bare age against a bound: the router compares the numbers, the words do not count.
    assert index.overlap(words("trẻ 4 tuổi có bắt buộc làm không"), under, ASPECT_WORDS)[1] == 1


def test_a_marked_message_and_a_question_share_a_word_only_as_they_write_it(real_kb):
    from knowledge.passages import ASPECT_WORDS, Passage, PassageIndex

    index = real_kb.question_index
    phrasings = ["bằng xe máy cấp lại có thời hạn không", "bang xe may cap lai co thoi han khong"]
    small = PassageIndex([Passage("p", "question", t, "q") for t in phrasings], real_kb.shorthand, {})
    unmarked = next(p for p in small.passages if p.text == phrasings[1])
    assert dict(unmarked.marks)["may"] == {"máy"}  # read as its sibling phrasing writes it
    lucky = "bằng lái ô tô còn thời hạn nhưng không may rơi mất có cấp lại được không"
    marks = index.marked_forms(lucky)
    said_lucky = small.overlap(index.words(lucky), unmarked, ASPECT_WORDS, marks)[1]
    said_motorbike = small.overlap(index.words("bằng xe máy cấp lại có thời hạn không"), unmarked, ASPECT_WORDS,
                                   index.marked_forms("bằng xe máy cấp lại có thời hạn không"))[1]
    assert said_lucky < said_motorbike == 1
    # Unmarked messages stay ambiguous: "may" may mean either, as before.
    plain = "bang xe khong may cap lai co thoi han"
    assert small.overlap(index.words(plain), unmarked, ASPECT_WORDS, index.marked_forms(plain))[1] == 1


def test_the_fact_a_question_asks_is_a_word_of_it(real_kb):
    # "được hưởng trợ cấp thất nghiệp bao lâu" names the procedure and asks only the duration: with the fact as a
    # word, the stub of the question answering the duration covers it, and another question of it does not.
    from knowledge.passages import ASPECT_WORDS, Passage, PassageIndex

    names = {"p": frozenset(real_kb.question_index.words("hưởng trợ cấp thất nghiệp"))}
    passages = [Passage("p", "question", "thời gian hưởng trợ cấp thất nghiệp", "duration", tags=("fact_duration",)),
                Passage("p", "question", "mức hưởng trợ cấp thất nghiệp", "amount")]
    small = PassageIndex(passages, real_kb.shorthand, names)
    asked = "được hưởng trợ cấp thất nghiệp bao lâu"
    hits = small.search(asked, ["p"], ignore=ASPECT_WORDS, tags=("fact_duration",))
    assert [(h.passage.key, h.cover) for h in hits if h.cover] == [("duration", 1.0)]
    assert not any(h.cover for h in small.search(asked, ["p"], ignore=ASPECT_WORDS))


def test_ranking_reads_the_words_cover_weighs(real_kb):
    # "bao lâu", "được" rank nothing: the phrasing that says "nghỉ thai sản" and the fact comes first.
    from knowledge.passages import ASPECT_WORDS, Passage, PassageIndex

    passages = [Passage("p", "question", "sinh đôi được nghỉ bao lâu", "twins"),
                Passage("p", "question", "thời gian nghỉ thai sản", "leave")]
    small = PassageIndex(passages, real_kb.shorthand, {})
    assert small.search("nghỉ thai sản được bao lâu", ["p"], ignore=ASPECT_WORDS)[0].passage.key == "leave"


def test_a_numbered_thing_is_one_word_and_asking_for_someone_else_is_delegating(real_kb):
    index = real_kb.passage_index
    assert "so2" in index.words("lltp số 2") and "so1" in index.words("phiếu số 1")
    assert index.words("phiếu số 2")[-1] != index.words("phiếu số 1")[-1]
    # An ordinal, in figures or words, with marks or without ("thứ" folds to the "thu" of "thủ tục").
    assert "thu2" in index.words("sinh con thứ hai") and "thu2" in index.words("sinh con thu 2")
    assert "thu2" not in index.words("thủ tục khai sinh")
    # Alone ("một mình", "1 mình"), in words that each mean nothing.
    assert ALONE in index.words("đi đăng ký kết hôn một mình") and ALONE in index.words("e di ky 1 minh dc ko")
    assert ALONE not in index.words("mình với người yêu đăng ký kết hôn")
    assert ALONE not in index.words("ngày mốt mình đi đăng ký kết hôn")  # the day after tomorrow
    # "xin thay cho anh" is "ủy quyền"; "xin thay đổi" is not.
    assert {"uy", "quyen"} <= set(index.words("e la vo di xin thay cho a dc ko"))
    assert "quyen" not in index.words("xin thay đổi thông tin")
    hits = real_kb.question_index.search("chong e can lltp so 2 ma a ay ko nghi dc, e la vo di xin thay cho a dc ko a?",
                                         ["cap_phieu_ly_lich_tu_phap"], limit=5, ignore=ASPECT_WORDS)
    best = max(hits, key=lambda h: h.cover)
    assert best.passage.key == "phieu_so_2_khong_uy_quyen"  # not the relatives' exemption of phiếu số 1


def test_a_letters_context_may_say_what_the_passage_states_but_explains_nothing_of_the_question(real_kb):
    index = real_kb.question_index
    phrasing = next(p for p in index.passages if p.text.startswith("tôi đóng bảo hiểm tự nguyện, sinh con xong"))
    question = index.words("sinh con xong thì phải nộp hồ sơ trong bao lâu")
    context = frozenset(index.words("Tôi làm tự do, đóng bảo hiểm xã hội tự nguyện được 2 năm."))
    alone = index.overlap(question, phrasing, ASPECT_WORDS)
    read = index.overlap(question, phrasing, ASPECT_WORDS, None, context)
    assert read[0] == alone[0] and read[1] > alone[1]


def test_where_the_citizen_is_does_not_count_against_a_passage_that_names_no_place(real_kb):
    index = real_kb.question_index
    phrasing = next(p for p in index.passages if p.key == "phieu_so_2_khong_uy_quyen")
    there = index.overlap(index.words("em đang đi làm ở Hà Nội, nhờ mẹ ở quê xin hộ lltp số 2 được không"), phrasing,
                          ASPECT_WORDS)
    plain = index.overlap(index.words("em đang đi làm, nhờ mẹ ở quê xin hộ lltp số 2 được không"), phrasing,
                          ASPECT_WORDS)
    assert there == plain
    # a passage that names a place ("thường trú ở Nghệ An nhưng làm ở Bình Dương") still counts one asked
    placed = next(p for p in index.passages if "place_" in p.words)
    assert index.overlap(["place_", *placed.words], placed)[0] == 1


def test_how_chat_writers_address_the_page_carries_no_topic(real_kb):
    # "... có phải công chứng ko ad": "ad" (written out "admin") is not a word a curated question must share
    index = real_kb.question_index
    assert index.weight("admin") == index.weight("ko") < 0.1


def test_a_search_alias_finds_the_procedure_without_becoming_its_name(real_kb):
    from knowledge.passages import name_words

    # "nghỉ đẻ" names maternity benefit, but "nghỉ" must still tell the mother's months from the father's days.
    proc = real_kb.get("huong_che_do_thai_san")
    assert "nghỉ đẻ" in proc.search_aliases
    assert "nghi" not in real_kb.question_index.name_words(proc.id)
    assert "nghi" in name_words(proc.copy(update={"aliases": [*proc.aliases, "nghỉ đẻ"]}), real_kb.shorthand)

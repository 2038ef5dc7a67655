"""Replies to situational questions: the curated answer first, its basis and quote, honest declines."""

from __future__ import annotations

from datetime import date

from knowledge.questions import Question
from replies.answers import Aspect
from replies.situations import (
    NOT_VERIFIED,
    conditions_answer,
    form_answer,
    official_url,
    question_answer,
    situation_unknown,
    situation_unknown_among,
    uncovered,
    unsettled_note,
    without_yes_no,
)


def question(url: str) -> Question:
    return Question(id="tre_duoi_14", phrasings=["con tôi 4 tuổi có phải làm căn cước không"],
                    answer="Không. Dưới 14 tuổi được cấp theo nhu cầu.", basis="khoản 3 Điều 19 Luật Căn cước 2023",
                    quote="Công dân Việt Nam dưới 14 tuổi được cấp thẻ căn cước theo nhu cầu.", source_url=url,
                    reviewed=date(2026, 12, 1))


def test_the_answer_comes_first_then_its_article_quote_and_the_procedures_source(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    text = "\n".join(question_answer(proc, question("https://bocongan.gov.vn/luat")).texts)
    assert text.startswith("Không. Dưới 14 tuổi")
    assert "Căn cứ: khoản 3 Điều 19 Luật Căn cước 2023." in text and "Trích: «Công dân Việt Nam" in text
    assert "(https://bocongan.gov.vn/luat)" in text and "rà soát ngày 01/12/2026" in text
    assert "mã thủ tục 1.014061" in text


def test_a_question_asked_the_other_way_round_gets_the_answer_without_its_yes_or_no(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    text = "\n".join(question_answer(proc, question("https://bocongan.gov.vn/luat"), bare=True).texts)
    assert text.startswith("Dưới 14 tuổi được cấp theo nhu cầu.") and "Căn cứ: khoản 3 Điều 19" in text
    assert without_yes_no("Có, nếu chủ sở hữu đồng ý.") == "Nếu chủ sở hữu đồng ý."
    assert without_yes_no("Cơ quan đăng ký khai thác thông tin.") == "Cơ quan đăng ký khai thác thông tin."


def test_a_copy_of_the_law_outside_the_state_sites_is_not_shown_to_citizens(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    text = "\n".join(question_answer(proc, question("https://github.com/someone/laws")).texts)
    assert "github.com" not in text and "khoản 3 Điều 19" in text
    assert official_url("https://chinhphu.gov.vn/x") and official_url("https://gov.vn")
    assert not official_url("https://notgov.vn/x") and not official_url("http://xosothudu.com/x")


def test_declines_say_so_and_where_to_ask(real_kb):
    proc = real_kb.get("dang_ky_tam_tru")
    desk = real_kb.service_desk
    reply = situation_unknown(proc, desk)
    assert NOT_VERIFIED in reply.texts[0] and desk.hotline in reply.texts[0]
    assert not reply.texts[0].startswith(("Có", "Không"))
    assert {b["title"] for b in reply.buttons} >= {"Giấy tờ cần chuẩn bị", "Lệ phí"}
    open_question = uncovered(desk, "bay flycam", [])
    assert NOT_VERIFIED in open_question.texts[0] and "từ khóa «bay flycam»" in open_question.texts[0]


def test_a_decline_answers_the_facts_asked_beside_it_as_the_record_s_for_every_case(real_kb):
    proc = real_kb.get("dang_ky_tam_tru")
    reply = situation_unknown(proc, real_kb.service_desk, [Aspect.time, Aspect.fee])
    said = "\n".join(reply.texts)
    assert said.startswith("Về trường hợp cụ thể bạn hỏi") and NOT_VERIFIED in said
    assert "chưa xét trường hợp riêng của bạn" in said
    assert said.index("Thời gian giải quyết") < said.index("Phí, lệ phí") < said.index("Nguồn:")
    assert "Mình có thể cho bạn biết" not in said and not reply.buttons


def test_a_decline_offers_the_closest_questions_as_buttons_that_ask_them(real_kb):
    proc = real_kb.get("dang_ky_tam_tru")
    long = "tôi thuê trọ " + "rất " * 40 + "lâu rồi mà chưa đăng ký tạm trú thì có bị phạt không"
    reply = situation_unknown(proc, real_kb.service_desk, suggested=["tôi chưa đăng ký tạm trú có bị phạt không", long])
    said = "\n".join(reply.texts)
    assert NOT_VERIFIED in said and "các câu hỏi gần giống" in said
    first, second = reply.buttons[:2]
    assert first == {"title": "Tôi chưa đăng ký tạm trú có bị phạt không",
                     "payload": "tôi chưa đăng ký tạm trú có bị phạt không"}
    assert second["payload"] == long and len(second["title"]) <= 92 and second["title"].endswith(" …")
    assert [b["payload"] for b in reply.buttons[2:]] == ["/ask_papers", "/ask_fee"]
    one = situation_unknown(proc, real_kb.service_desk, suggested=["tôi chưa đăng ký tạm trú có bị phạt không"])
    assert "cho câu hỏi gần giống" in one.texts[0]
    among = situation_unknown_among([proc, real_kb.get("dang_ky_thuong_tru")], real_kb.service_desk,
                                    suggested=["tôi chưa đăng ký tạm trú có bị phạt không"])
    assert [b["title"] for b in among.buttons][1:] == ["Đăng ký tạm trú", "Đăng ký thường trú"]


def test_a_situation_among_several_procedures_is_declined_with_each_offered(real_kb):
    desk = real_kb.service_desk
    procs = [real_kb.get("cap_doi_the_can_cuoc"), real_kb.get("cap_lai_the_can_cuoc")]
    reply = situation_unknown_among(procs, desk)
    assert NOT_VERIFIED in reply.texts[0] and desk.hotline in reply.texts[0]
    assert [b["title"] for b in reply.buttons] == [p.name for p in procs]
    assert all(b["payload"].startswith("/inform_procedure") for b in reply.buttons)



def test_the_source_of_the_procedure_can_be_left_to_the_last_answer_of_a_letter(real_kb):
    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    text = "\n".join(question_answer(proc, question("https://bocongan.gov.vn/luat"), related=False).texts)
    assert "Căn cứ: khoản 3 Điều 19" in text and "mã thủ tục" not in text


def test_a_question_of_a_letter_nothing_settles_is_named_and_cut_short(real_kb):
    long = "Nếu cháu đang ở với ông bà nội ở tỉnh khác thì ông bà có đưa cháu đi làm thay được không, " * 3 + "?"
    text = "\n".join(unsettled_note([long], real_kb.service_desk).texts)
    assert NOT_VERIFIED in text and real_kb.service_desk.hotline in text
    assert "«Nếu cháu đang ở với ông bà nội" in text and " …»" in text and len(text) < 400


def test_a_curated_answer_or_a_quoted_fee_whose_period_has_ended_says_so(real_kb):
    from knowledge.passages import CHANNEL, Passage
    from replies.situations import passage_answer

    proc = real_kb.get("cap_the_can_cuoc_lan_dau")
    ended = Question(id="giam_phi", phrasings=["làm căn cước online có được giảm phí không"],
                     answer="Có. Từ ngày 01/01/2025 đến hết ngày 31/12/2025 thu bằng 50% khi nộp trực tuyến.",
                     basis="Thông tư 59/2019/TT-BTC", reviewed=date(2025, 6, 1))
    assert "đến hết ngày 31/12/2025 nêu trên đã qua" in question_answer(proc, ended).texts[0]
    assert "đã qua" not in "\n".join(question_answer(proc, question("https://bocongan.gov.vn/luat")).texts)
    # a date something stopped holding is no rate's period
    held = Question(id="so_ho_khau", phrasings=["sổ hộ khẩu giấy còn giá trị không"],
                    answer="Không. Sổ hộ khẩu có giá trị như giấy tờ xác nhận về cư trú đến hết ngày 31/12/2022.",
                    basis="khoản 3 Điều 38 Luật Cư trú 2020", reviewed=date(2026, 12, 5))
    assert "đã qua" not in question_answer(proc, held).texts[0]
    quoted = Passage(proc.id, CHANNEL, "Nộp trực tuyến: 7 ngày; 20.000 đồng (áp dụng đến hết ngày 31/12/2024)")
    text = passage_answer(proc, quoted).texts[0]
    assert "31/12/2024)» (Lưu ý: thời hạn áp dụng đến hết ngày 31/12/2024 nêu trên đã qua" in text


def test_submitting_away_from_home_opens_with_yes_or_no_only_when_the_record_says_anywhere(real_kb):
    from knowledge.residence import HERE, HOME
    from replies.situations import elsewhere_answer

    reissue = "\n".join(elsewhere_answer(real_kb.get("cap_lai_the_can_cuoc"), HERE).texts)
    # Where to submit says it in the record's words: the yes, then where, once.
    assert reissue.startswith("Có. Nơi nộp hồ sơ Cấp lại thẻ căn cước: Công an cấp xã")
    assert reissue.count("không phụ thuộc vào nơi cư trú") == 1
    assert "mã thủ tục 1.014064" in reissue
    assert "\n".join(elsewhere_answer(real_kb.get("cap_lai_the_can_cuoc"), HOME).texts).startswith("Không. ")
    # Anywhere within the province (the curated place says so, from the record): yes on that condition, which the
    # citizen's place settles.
    business = "\n".join(elsewhere_answer(real_kb.get("dang_ky_ho_kinh_doanh"), HERE).texts)
    assert business.startswith("Có, nếu nơi bạn nộp cùng tỉnh, thành phố như hồ sơ thủ tục ghi dưới đây. "
                               "Nơi nộp hồ sơ Đăng ký thành lập hộ kinh doanh: ") and "trong phạm vi tỉnh" in business
    assert "\n".join(elsewhere_answer(real_kb.get("dang_ky_ho_kinh_doanh"), HOME).texts).startswith("Không bắt buộc, ")
    # Nothing said of it: where to submit, as the record has it, and no yes or no.
    record = "\n".join(elsewhere_answer(real_kb.get("cap_phieu_ly_lich_tu_phap"), HERE).texts)
    assert record.startswith("Nơi nộp hồ sơ Cấp Phiếu lý lịch tư pháp: Công an tỉnh")
    # Not the last answer of a letter: the source waits for the last one.
    assert "mã thủ tục" not in "\n".join(elsewhere_answer(real_kb.get("cap_lai_the_can_cuoc"), HERE,
                                                           related=False).texts)


def test_submitting_away_from_home_among_close_procedures_cites_each(real_kb):
    from knowledge.residence import HOME
    from replies.situations import elsewhere_among

    procs = [real_kb.get(p) for p in ("cap_doi_the_can_cuoc", "cap_lai_the_can_cuoc", "cap_the_can_cuoc_lan_dau")]
    reply = elsewhere_among(procs, HOME)
    text = "\n".join(reply.texts)
    assert text.startswith("Không. Hồ sơ các thủ tục Cấp đổi thẻ căn cước; Cấp lại thẻ căn cước;")
    assert all(f"mã thủ tục {c}" in text for c in ("1.014063", "1.014064", "1.014061"))
    assert len(reply.buttons) == 3


def test_whether_it_can_be_done_online_is_answered_from_the_service_level_with_the_source(real_kb):
    from replies.situations import online_answer

    text = "\n".join(online_answer(real_kb.get("xac_nhan_thong_tin_cu_tru")).texts)
    assert text.startswith("Có. Thủ tục Xác nhận thông tin về cư trú có dịch vụ công trực tuyến")
    assert "mã thủ tục 1.010041" in text
    assert "mã thủ tục" not in "\n".join(online_answer(real_kb.get("xac_nhan_thong_tin_cu_tru"), related=False).texts)


def test_asked_whether_wholly_online_a_partial_service_level_is_no(real_kb):
    from replies.situations import online_answer

    vehicle = real_kb.get("dang_ky_xe")  # "dịch vụ công trực tuyến một phần"
    assert online_answer(vehicle, wholly=True).texts[0].startswith(
        "Không. Thủ tục Đăng ký xe lần đầu chỉ có dịch vụ công trực tuyến một phần (nộp hồ sơ trên mạng, một số bước "
        "vẫn cần đến cơ quan).")
    assert online_answer(vehicle).texts[0].startswith("Có.")
    # a service level "toàn trình" is done wholly online
    assert online_answer(real_kb.get("xac_nhan_thong_tin_cu_tru"), wholly=True).texts[0].startswith("Có.")


def test_a_lead_opens_the_curated_answer(real_kb):
    question = next(q for q in real_kb.questions("dang_ky_khai_tu") if q.leads is not None)
    reply = question_answer(real_kb.get("dang_ky_khai_tu"), question, lead=question.leads.close_kin)
    assert reply.texts[0].startswith(f"{question.leads.close_kin} {question.answer}")
    assert not question_answer(real_kb.get("dang_ky_khai_tu"), question).texts[0].startswith("Không")


def test_the_form_answer_quotes_the_record_and_cites_it(real_kb):
    proc = real_kb.get("dang_ky_xe")
    text = "\n".join(form_answer(proc).texts)
    assert "mẫu ĐKX10/79" in text and "mã thủ tục 1.013067" in text


def test_the_conditions_answer_lists_the_record_conditions_and_cites_it(real_kb):
    proc = real_kb.get("tach_ho")
    text = "\n".join(conditions_answer(proc).texts)
    assert text.startswith("Điều kiện, yêu cầu để thực hiện thủ tục Tách hộ")
    assert "năng lực hành vi dân sự đầy đủ" in text and "mã thủ tục 1.010038" in text

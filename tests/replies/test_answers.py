from datetime import date

import pytest

from knowledge.schema import ChannelKind, NationalProcedure
from replies.answers import (
    MISSING,
    NOT_PUBLISHED,
    Aspect,
    ambiguity_question,
    answer,
    answer_aspects,
    exemption_said,
    fee_lead,
    lapse_note,
    lists_every_case,
    not_found,
    online_text,
    payload,
    reduced_rate_lead,
    shared_answer,
    source_line,
    with_lapse_note,
    with_lead,
)
from replies.chat_format import MAX_MESSAGE_CHARS
from replies.handoffs import contacts


@pytest.fixture
def birth(small_kb):
    return small_kb.get("dang_ky_khai_sinh")


def test_payload_is_rasa_intent_syntax():
    assert payload("ask_fee") == "/ask_fee"
    assert payload("inform_procedure", procedure_id="dang_ky_khai_sinh") == (
        '/inform_procedure{"procedure_id":"dang_ky_khai_sinh"}'
    )


@pytest.mark.parametrize("aspect", [a for a in Aspect if a != Aspect.papers])
def test_every_answer_ends_with_source_and_review_date(birth, aspect):
    reply = answer(birth, aspect)
    assert reply.texts[-1].endswith(source_line(birth))
    assert "Cập nhật ngày" in reply.texts[-1]
    assert all(len(t) <= MAX_MESSAGE_CHARS for t in reply.texts)


def test_source_line_has_code_link_and_date(birth):
    line = source_line(birth)
    assert "mã thủ tục 1.001193" in line
    assert birth.source.url in line
    assert f"{birth.last_reviewed:%d/%m/%Y}" in line


def test_fee_and_time_are_per_channel(birth):
    fee = "\n".join(answer(birth, Aspect.fee).texts).lower()
    assert "nộp trực tiếp" in fee and "nộp trực tuyến" in fee
    time = "\n".join(answer(birth, Aspect.time).texts)
    assert "Ngay trong ngày" in time


def test_missing_fee_says_where_to_check(birth):
    birth.channels[0].fee = ""
    text = answer(birth, Aspect.fee).texts[0]
    assert MISSING in text
    assert "đồng" not in text.split(MISSING)[0].split("\n")[-1]


def test_papers_at_once_lists_the_shared_papers_then_each_case_in_one_line(birth):
    assert lists_every_case(birth, Aspect.papers, None)
    reply = answer(birth, Aspect.papers)
    text = "\n".join(reply.texts)
    shared = set.intersection(*({p.name for p in c.papers} for c in birth.cases))
    assert shared and "Trường hợp nào cũng cần:" in text
    for case in birth.cases:
        [line] = [x for x in text.splitlines() if x.startswith(f"- {case.name}:")]
        extra = [p.name for p in case.papers if p.name not in shared]
        assert all(name in line for name in extra)
        assert not any(name in line for name in shared)  # the shared papers are listed once, above
    assert "mã thủ tục" in text or "Nguồn:" in text
    assert [b["payload"] for b in reply.buttons] == [
        payload("ask_papers", case_id=c.id) for c in birth.cases
    ]


def test_papers_checklist_for_a_case(birth):
    case = birth.cases[1]
    text = "\n".join(answer(birth, Aspect.papers, case.id).texts)
    assert case.name in text
    for i, paper in enumerate(case.papers, 1):
        assert f"{i}. {paper.name}" in text
    assert "1 bản chính" in text
    assert "Lưu ý:" in text  # the paper's note is shown


def test_single_case_procedure_lists_papers_directly(birth):
    birth.cases = birth.cases[:1]
    assert not lists_every_case(birth, Aspect.papers, None)
    assert "Bạn chuẩn bị" in answer(birth, Aspect.papers).texts[0]


def test_overview_offers_other_aspects_as_buttons(birth):
    reply = answer(birth, Aspect.overview)
    titles = [b["title"] for b in reply.buttons]
    assert "Giấy tờ cần chuẩn bị" in titles and "Lệ phí" in titles
    assert "Cơ quan giải quyết" in reply.texts[0]


def test_online_levels(birth):
    assert "toàn trình" in answer(birth, Aspect.online).texts[0]
    birth.online.level = "khong"
    assert "chưa có dịch vụ công trực tuyến" in answer(birth, Aspect.online).texts[0]


def test_long_answers_are_split(birth):
    birth.steps = [f"Bước dài số {i}: " + "kiểm tra giấy tờ " * 12 for i in range(12)]
    reply = answer(birth, Aspect.steps)
    assert len(reply.texts) > 1
    assert all(len(t) <= MAX_MESSAGE_CHARS for t in reply.texts)
    assert reply.texts[-1].startswith("Bước") or "Nguồn:" in reply.texts[-1]


def test_ambiguity_question_has_at_most_the_given_buttons(small_kb):
    procs = [small_kb.get(i) for i in ("cap_doi_the_can_cuoc", "cap_lai_the_can_cuoc")]
    reply = ambiguity_question(procs)
    assert [b["title"] for b in reply.buttons] == [p.name for p in procs]
    assert "1. Cấp đổi thẻ căn cước" in reply.texts[0]


def test_not_found_points_to_portal_and_hotline(small_kb):
    desk = small_kb.service_desk
    text = not_found(desk, []).texts[0]
    assert desk.portal_url in text and desk.hotline in text


def test_handoff_uses_service_desk_file(small_kb_dir, small_kb):
    path = small_kb_dir / "service_desk.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('hotline: "1800 1096"', 'hotline: "0236 1022"'))
    small_kb.refresh(force=True)
    text = contacts(small_kb.service_desk, None, False, False).texts[0]
    assert "0236 1022" in text and "Giờ làm việc" in text


def test_review_date_format(birth):
    birth.last_reviewed = date(2026, 1, 5)
    assert "05/01/2026" in source_line(birth)


@pytest.mark.parametrize("aspect", list(Aspect))
def test_no_answer_has_a_doubled_full_stop(small_kb, aspect):
    """Staff write times and fees with or without a final full stop; the bot must not print '..'."""
    for proc in small_kb.procedures.values():
        for text in answer(proc, aspect).texts:
            assert ".." not in text.replace("...", ""), (proc.id, aspect, text)


# Imported national records: cite the portal's record, say what it does not publish.


@pytest.fixture
def will(real_kb):
    return real_kb.get("tthc_2_001019")  # Chứng thực di chúc


def test_a_record_answer_cites_code_link_and_record_date(will):
    text = answer(will, Aspect.fee).texts[-1]
    assert "50.000 đồng" in text
    assert "Nguồn: theo Cổng Dịch vụ công quốc gia, mã thủ tục 2.001019 (https://dichvucong.gov.vn/" in text
    assert text.endswith("cập nhật 20/07/2026.")


def test_a_fact_the_record_leaves_empty_is_not_published_never_free_or_guessed(real_kb, will):
    time = "\n".join(answer(will, Aspect.time).texts)
    assert f"bưu chính: {NOT_PUBLISHED}" in time and "nộp trực tiếp" in time
    complaint = real_kb.get("tthc_1_000178")
    fee = "\n".join(answer(complaint, Aspect.fee).texts)
    assert NOT_PUBLISHED in fee and "Miễn" not in fee and MISSING not in fee


def test_record_papers_are_listed_under_their_headings_without_asking(real_kb):
    birth_abroad = real_kb.get("tthc_2_000806")  # kết hôn có yếu tố nước ngoài: several groups
    assert not lists_every_case(birth_abroad, Aspect.papers, None)
    text = "\n".join(answer(birth_abroad, Aspect.papers).texts)
    assert text.startswith("Hồ sơ Thủ tục đăng ký kết hôn có yếu tố nước ngoài theo Cổng Dịch vụ công quốc gia")
    assert "Giấy tờ phải nộp:" in text and "(1 bản chính)" in text


def test_record_online_answer_says_what_the_portal_lists(real_kb, will):
    assert answer(will, Aspect.online).texts[0].startswith("Có. Theo Cổng Dịch vụ công quốc gia")
    offline = next(p for p in real_kb.procedures.values()
                   if isinstance(p, NationalProcedure) and p.channels
                   and all(c.kind != ChannelKind.truc_tuyen for c in p.channels))
    assert "không liệt kê cách nộp trực tuyến" in answer(offline, Aspect.online).texts[0]
    # Whether wholly online the channels do not say: no yes or no
    wholly = online_text(will, wholly=True)
    assert wholly.startswith("Theo Cổng Dịch vụ công quốc gia") and "hồ sơ không ghi có bước nào phải đến" in wholly


def test_the_online_answer_says_where_one_goes_to_submit(real_kb):
    # the record's step, quoted, where the online channel has no note of its own
    copy = online_text(real_kb.get("cap_ban_sao_trich_luc_ho_tich"))
    assert "theo hồ sơ: «Nếu lựa chọn hình thức nộp hồ sơ trực tuyến" in copy
    assert "truy cập Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh quốc gia.»" in copy
    # the channel's note where it has one
    absence = online_text(real_kb.get("khai_bao_tam_vang"))
    assert "Cách nộp: Trường hợp thuộc quy định" in absence and "Cổng dịch vụ công quản lý cư trú" in absence


def test_every_aspect_of_a_sparse_record_is_answered(real_kb):
    sparse = NationalProcedure(id="tthc_9_999999", code="9.999999", name="Thủ tục thưa", field="Thử",
                               source={"name": "Cổng Dịch vụ công quốc gia", "url": "https://dichvucong.gov.vn/x"},
                               last_reviewed=date(2026, 7, 20))
    for aspect in Aspect:
        text = "\n".join(answer(sparse, aspect).texts)
        assert "mã thủ tục 9.999999" in text
        if aspect not in (Aspect.overview, Aspect.online):
            assert NOT_PUBLISHED in text, (aspect, text)


def test_an_overlaid_answer_cites_the_record_and_the_officers_newer_source(real_kb):
    passport = real_kb.get("cap_ho_chieu_pho_thong")
    text = answer(passport, Aspect.fee).texts[-1]
    assert "mã thủ tục 1.001456" in text and "cập nhật 20/07/2026" in text
    assert "theo Thông tư số 64/2025/TT-BTC" in text and "rà soát ngày 01/12/2026" in text
    assert "100.000 đồng/lần cấp mới" in "\n".join(answer(passport, Aspect.fee).texts)


def test_a_section_the_snapshot_could_not_read_points_to_the_portal_instead_of_reading_fragments(real_kb):
    ferry = real_kb.get("tthc_6_003500")  # its papers cell in the snapshot is a result code, its page no table
    assert ferry.unread == ["papers"]
    text = "\n".join(answer(ferry, Aspect.papers).texts)
    assert "chưa đọc được phần này" in text and ferry.source.url in text and "KQ.G04" not in text
    lump_sum = real_kb.get("tthc_1_001613")  # the same fragment, but the page's whole text had the table
    text = "\n".join(answer(lump_sum, Aspect.papers).texts)
    assert "\na) Sổ BHXH (1 bản chính)\nb) Đơn đề nghị" in text and "chưa đọc được" not in text


def test_channels_that_did_not_parse_are_given_as_published(real_kb):
    tax = real_kb.get("tthc_1_007689")
    assert tax.unread == ["channels"] and not tax.channels
    text = "\n".join(answer(tax, Aspect.fee).texts)
    assert "nguyên văn trên Cổng Dịch vụ công quốc gia" in text and "Không phải trả kết quả" in text


def test_one_answer_when_every_close_procedure_says_the_same(real_kb):
    ids = ["cap_doi_the_can_cuoc", "cap_lai_the_can_cuoc", "cap_the_can_cuoc_lan_dau"]
    cards = [real_kb.get(i) for i in ids]
    reply = shared_answer(cards, Aspect.time)
    text = "\n".join(reply.texts)
    assert "Thời gian giải quyết giống nhau" in text and "7 ngày làm việc" in text
    assert all(c.name in text for c in cards) and text.count("Nguồn:") == 3
    assert [b["payload"] for b in reply.buttons] == [f'/inform_procedure{{"procedure_id":"{i}"}}' for i in ids]
    # Fees differ (50.000, 70.000 đồng, not published): ask which one.
    assert shared_answer(cards, Aspect.fee) is None
    assert shared_answer(cards, Aspect.papers) is None and shared_answer(cards[:1], Aspect.time) is None


def test_two_aspects_in_one_reply_keep_the_case_buttons_and_give_the_source_once(birth):
    reply = answer_aspects(birth, [Aspect.papers, Aspect.where, Aspect.fee])
    text = "\n".join(reply.texts)
    assert "tùy trường hợp" in text and "Nơi nộp hồ sơ" in text and "Phí, lệ phí" not in text
    assert text.count(source_line(birth)) == 1
    assert {b["title"] for b in reply.buttons} == {c.name for c in birth.cases}
    assert answer_aspects(birth, [Aspect.fee]) == answer(birth, Aspect.fee)


def test_a_time_published_as_a_bare_number_says_its_unit_is_not_published(real_kb):
    birth_record = real_kb.get("tthc_1_001193")
    assert {c.processing_time for c in birth_record.channels} == {"1"}  # as the portal publishes it
    time = "\n".join(answer(birth_record, Aspect.time).texts)
    assert "không ghi đơn vị" in time and "Bộ phận Một cửa" in time
    overview = "\n".join(answer(birth_record, Aspect.overview).texts)
    assert "thời gian 1 (không ghi đơn vị" in overview
    passport = "\n".join(answer(real_kb.get("tthc_1_001456"), Aspect.time).texts)
    assert "8 ngày làm việc" in passport and "không ghi đơn vị" not in passport


def test_a_time_or_fee_the_same_for_every_channel_is_said_once(real_kb):
    passport = answer(real_kb.get("cap_ho_chieu_pho_thong"), Aspect.time).texts[0]
    assert "- Nộp trực tuyến, nộp qua bưu chính, nộp trực tiếp: 8 ngày làm việc" in passport
    assert passport.count("8 ngày làm việc") == 1
    card = answer(real_kb.get("cap_lai_the_bhyt"), Aspect.time).texts[0]
    assert "trả trong ngày" in card and "45 ngày" not in card.split("(")[0]


def test_steps_the_portal_cut_off_are_read_from_its_page_and_a_curated_entry_gives_its_own(real_kb):
    record = "\n".join(answer(real_kb.get("tthc_1_001521"), Aspect.steps).texts)
    assert "(Thành phần hồ sơ)" in record and "2. Cơ quan BHXH" in record and "chưa đọc được" not in record
    maternity = "\n".join(answer(real_kb.get("huong_che_do_thai_san"), Aspect.steps).texts)
    assert "tại mục" not in maternity and "chưa đọc được" not in maternity


def test_a_yes_or_no_opens_a_fee_answer_only_when_every_channel_is_plainly_free(real_kb):
    free = real_kb.get("xac_nhan_thong_tin_cu_tru")
    assert fee_lead(free, "costs") == "Không mất phí."
    assert fee_lead(free, "free") == "Có, miễn phí."
    assert fee_lead(free, None) == ""
    # written "Không có." in every channel of the record
    assert fee_lead(real_kb.get("tthc_1_008990"), "costs") == "Không mất phí."
    priced = real_kb.get("cap_ho_chieu_pho_thong")
    assert fee_lead(priced, "costs") == ""
    reply = with_lead(answer(free, Aspect.fee), fee_lead(free, "costs"))
    assert reply.texts[0].startswith("Không mất phí. Phí, lệ phí")


def test_a_fee_the_record_waives_outright_opens_with_no_fee_but_not_one_waived_for_some(real_kb):
    # "Miễn phí (Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) ...)": waived; an optional copy is
    # priced, so the lead says the fee (lệ phí) is waived, and the amounts follow.
    assert fee_lead(real_kb.get("dang_ky_ket_hon"), "costs") == "Không mất lệ phí."
    assert fee_lead(real_kb.get("dang_ky_ket_hon"), "free") == "Có, miễn lệ phí."
    # "Miễn phí (Miễn lệ phí đối với người mất quốc tịch ... mà có hoàn cảnh ...)": only for some applicants.
    assert fee_lead(real_kb.get("tthc_2_002038"), "costs") == ""


@pytest.mark.parametrize("procedure_id, said, waived", [
    ("thay_doi_cai_chinh_ho_tich", "nha e thuoc ho ngheo giay khai sinh bi ghi sai co phai nop le phi ko", True),
    ("dang_ky_khai_tu", "khai tu dung han co mat le phi ko", True),
    ("dang_ky_khai_tu", "khai tu qua han co mat le phi ko", False),
    # not said of the citizen: "không phải hộ nghèo"
    ("thay_doi_cai_chinh_ho_tich", "nha e ko phai ho ngheo thi sua giay khai sinh co mat phi ko", False),
    # one word of a group is not the group ("cô" alone folds as "có")
    ("tthc_2_001263", "co phai dong le phi khong", False),
    ("tthc_2_001263", "bac ruot nhan chau lam con nuoi thi co phai dong le phi khong", True),
])
def test_a_fee_waived_for_a_group_the_citizen_says_they_belong_to_opens_with_no_fee(real_kb, procedure_id, said,
                                                                                     waived):
    proc = real_kb.get(procedure_id)
    lead = fee_lead(proc, "costs", said.split())
    assert lead.startswith("Không mất lệ phí với trường hợp bạn nêu") == waived
    if waived:
        assert "«Miễn lệ phí" in lead and exemption_said(proc, said.split()) in lead


def test_the_source_names_every_record_an_entry_stands_for(real_kb):
    # Children under 14 have their own record (1.014062); the first-issue entry answers it as a case.
    line = source_line(real_kb.get("tthc_1_014062"))
    assert "mã thủ tục 1.014061" in line and "gồm cả mã 1.014062" in line
    assert "gồm cả" not in source_line(real_kb.get("cap_doi_the_can_cuoc"))


def test_a_fee_whose_stated_period_has_ended_says_so_and_whom_to_ask():
    fee = ("135.000 đồng/lần. Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 "
           "đồng/lần cấp.")
    assert with_lapse_note(fee, today=date(2025, 12, 31)) == fee
    shown = with_lapse_note(fee, today=date(2026, 12, 3))
    assert shown.startswith(fee)
    assert "đến hết ngày 31/12/2025 nêu trên đã qua" in shown and "hỏi Bộ phận Một cửa" in shown


def test_a_later_period_that_still_runs_gives_the_rate_and_only_the_ended_one_is_noted():
    fee = ("50.000 đồng; Kể từ ngày 01/01/2025 đến hết ngày 31/12/2025, bằng 50% mức thu khi nộp trực tuyến. - Kể từ "
           "ngày 01/7/2025 đến hết ngày 31/12/2026 bằng 50% mức thu nêu trên")
    note = lapse_note(fee, today=date(2026, 12, 3))
    assert "31/12/2025" in note and "31/12/2026" not in note and "Bộ phận Một cửa" not in note
    assert "31/12/2025, 31/12/2026" in lapse_note(fee, today=date(2027, 1, 1))


def test_every_fee_answer_carries_the_note_of_a_lapsed_period(birth):
    birth.channels[0].fee = "8.000 đồng (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC)"
    for aspect in (Aspect.fee, Aspect.overview):
        text = "\n".join(answer(birth, aspect).texts)
        assert "đến hết ngày 31/12/2023 nêu trên đã qua" in text, aspect
    assert "đã qua" not in "\n".join(answer(birth, Aspect.time).texts)


def test_a_time_quotes_what_the_record_note_adds_to_the_figure(real_kb):
    # Thai sản: 6 working days is for a file the employer sends; the worker's own file takes 3 (the record's note).
    maternity = "\n".join(answer(real_kb.get("huong_che_do_thai_san"), Aspect.time).texts)
    assert "6 ngày làm việc" in maternity
    assert "ghi thêm: «Nhận hồ sơ từ NLĐ, người tham gia BHXH tự nguyện: Tối đa 03 ngày làm việc" in maternity
    # The channel note is quoted once, though every channel carries it.
    assert maternity.count("Tối đa 03 ngày làm việc") == 1
    # A note that states no other time adds nothing.
    passport = "\n".join(answer(real_kb.get("cap_ho_chieu_pho_thong"), Aspect.time).texts)
    assert "ghi thêm" not in passport


def test_a_time_the_table_does_not_state_is_quoted_from_the_steps(real_kb):
    # The household business's table gives no time; its steps say 3 working days.
    business = "\n".join(answer(real_kb.get("dang_ky_ho_kinh_doanh"), Aspect.time).texts)
    assert "Trình tự thực hiện của hồ sơ ghi: «" in business
    assert "trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ" in business
    # A table that states the time is enough.
    passport = "\n".join(answer(real_kb.get("cap_ho_chieu_pho_thong"), Aspect.time).texts)
    assert "Trình tự thực hiện" not in passport


def test_a_first_vehicle_registration_is_not_told_the_seven_days_of_auctioned_plates(real_kb):
    time = "\n".join(answer(real_kb.get("dang_ky_xe"), Aspect.time).texts)
    assert "cấp chứng nhận đăng ký xe: không quá 02 ngày làm việc" in time
    assert "Cấp biển số xe: cấp ngay" in time


def test_where_to_submit_is_quoted_from_the_step_that_names_it_when_the_record_leaves_it_empty(real_kb):
    repair = real_kb.get("tthc_1_013229")  # Cấp giấy phép xây dựng sửa chữa, cải tạo ...
    text = "\n".join(answer(repair, Aspect.where).texts)
    assert "theo Trình tự thực hiện (bước 1)" in text
    assert "«Chủ đầu tư nộp bộ hồ sơ" in text and "cho Trung tâm phục vụ hành chính công cấp xã»" in text
    assert NOT_PUBLISHED in text  # the agency, still unpublished, is said to be so


def test_a_reduced_rate_still_running_is_confirmed_with_the_records_sentence(real_kb):
    today = date(2026, 12, 5)
    reissue = real_kb.get("cap_lai_the_can_cuoc")
    asked = "lam lai the can cuoc thi le phi bn nghe noi dc giam 50% thi gio con ap dung ko a"
    lead = reduced_rate_lead(reissue, asked, today)
    assert lead.startswith("Có, đến hết ngày 31/12/2026: Cổng Dịch vụ công quốc gia ghi «Kể từ ngày 01/7/2025")
    # not asked; asked for a month after the period; ended (the online rate of a driving licence, to 31/12/2025)
    assert reduced_rate_lead(reissue, "lam lai the can cuoc mat bao nhieu tien", today) == ""
    assert reduced_rate_lead(reissue, "thang 2/2027 di lam lai the thi con giam 50% ko", today) == ""
    licence = real_kb.get("cap_lai_giay_phep_lai_xe")
    assert reduced_rate_lead(licence, "lam lai gplx online nghe noi dc giam con 115k dung ko", today) == ""


def test_a_houses_building_permit_takes_the_days_the_records_steps_give_a_house_on_every_channel(real_kb):
    # The record's table of channels says 20 days online; its steps say "hoặc 15 ngày đối với nhà ở riêng lẻ"
    text = "\n".join(answer(real_kb.get("cap_giay_phep_xay_dung_nha_o"), Aspect.time).texts)
    assert "Nộp trực tuyến, nộp qua bưu chính, nộp trực tiếp: Không quá 15 ngày" in text and "20 ngày:" not in text
    assert "15 ngày đối với nhà ở riêng lẻ" in text

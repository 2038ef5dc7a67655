"""Which variant of a procedure a citizen means: domestic at the serving level, unless their words say otherwise."""

import pytest

from knowledge.search import resolve
from knowledge.variants import AGAIN, CENTRAL, FOREIGN, MOBILE, asked_variants, family_key, name_variants


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("kết hôn với người Hàn Quốc cần giấy tờ gì", {FOREIGN}),
        ("lấy chồng nước ngoài", {FOREIGN}),
        ("ket hon voi nguoi han quoc", {FOREIGN}),
        ("đăng ký khai sinh lưu động", {MOBILE}),
        # the mobile registration described: the office comes to the home
        ("xã sẽ cử cán bộ tư pháp xuống tận nhà để làm giấy khai tử cho ông", {MOBILE}),
        ("đăng ký lại khai sinh vì mất sổ", {AGAIN}),
        ("đăng ký kết hôn cần gì", set()),
        ("tôi muốn làm hộ chiếu", set()),
        ("kết hôn với người nước Anh", {FOREIGN}),
        ("chồng sắp cưới là người Úc", {FOREIGN}),
        ("tôi là người Mỹ muốn xin lý lịch tư pháp", {FOREIGN}),
        ("người anh trai tôi muốn kết hôn", set()),
        ("người y tế có được ưu tiên không", set()),
        # Everyday words that are also short country names ask for nothing.
        ("người lao động rút bảo hiểm xã hội một lần", set()),
        ("em muốn đăng ký kết hôn với anh ấy", set()),
        ("làm đúng với pháp luật", set()),
        ("khai sinh cho bé Nga", set()),
        ("đăng ký khai tử tại nhà", set()),
        # where someone works or studies for a while is no foreign element; living there may be
        ("chồng em đi xklđ ở Đài Loan, em đi đăng ký kết hôn một mình được không", set()),
        ("con trai tôi đang làm việc tại Hàn Quốc, tôi làm khai sinh cho cháu", set()),
        ("tôi đang làm việc ở nước ngoài, nhờ em khai tử cho bố", set()),
        ("chúng tôi sinh sống và làm việc tại Hàn Quốc, muốn đăng ký kết hôn", {FOREIGN}),
        ("người lao động nước ngoài làm việc tại Việt Nam", {FOREIGN}),
        # filed at a central department, issued by a ministry; not a letter addressed to one
        ("nộp hồ sơ cấp hộ chiếu lần đầu ngay tại Cục ở Hà Nội được không", {CENTRAL}),
        ("công ty được Bộ cấp giấy phép, muốn gia hạn", {CENTRAL}),
        ("Kính gửi Cục Quản lý xuất nhập cảnh, làm hộ chiếu ở tỉnh mất bao lâu", set()),
    ],
)
def test_what_a_message_asks_for(text, asked):
    assert asked_variants(text) == asked


def test_filed_at_the_ministry_asks_the_central_variant(real_kb):
    # (the ministry's name is also read as the police audience, which does not change the ID card's variant)
    text = "muốn lên thẳng cơ quan của Bộ Công an để đổi thẻ căn cước thay vì về công an phường"
    assert CENTRAL in asked_variants(text)
    assert resolve(real_kb.search(text)).confident.procedure_id == "tthc_1_000889"


def test_names_and_families():
    assert name_variants("Thủ tục đăng ký kết hôn có yếu tố nước ngoài") == {FOREIGN}
    assert name_variants("Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp trung ương)") == {CENTRAL}
    assert name_variants("Đăng ký, cấp biển số xe lần đầu thực hiện tại cấp trung ương, cấp tỉnh, cấp xã") == set()
    assert family_key("Thủ tục đăng ký kết hôn có yếu tố nước ngoài") == family_key("Đăng ký kết hôn")
    assert family_key("Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp xã)") == family_key(
        "Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp huyện)")
    assert family_key("Cấp đổi thẻ căn cước") != family_key("Cấp lại thẻ căn cước")
    # The office a name is filed at is its level, not another procedure.
    assert family_key("Cấp thẻ tạm trú cho người nước ngoài tại Cục Quản lý xuất nhập cảnh, Bộ Công an") == family_key(
        "Cấp thẻ tạm trú cho người nước ngoài tại Việt Nam tại Công an cấp tỉnh")


def test_a_central_department_or_ministry_gets_the_central_record(real_kb):
    assert _top(real_kb, "Tôi chưa từng làm hộ chiếu, nghe nói có thể nộp hồ sơ cấp hộ chiếu lần đầu ngay tại Cục ở "
                         "Hà Nội. Xin hỏi cần giấy tờ gì") == "tthc_1_001471"
    assert _top(real_kb, "làm hộ chiếu lần đầu cần giấy tờ gì") == "cap_ho_chieu_pho_thong"
    # One name at the Immigration Department and at the commune police: the name does not say which is central.
    assert _top(real_kb, "xin xác nhận thông tin xuất nhập cảnh, nộp thẳng ở cục qlxnc được không") == "tthc_1_010048"
    assert _top(real_kb, "xin xác nhận thông tin xuất nhập cảnh nộp ở đâu") == "tthc_1_014363"
    assert _top(real_kb, "nộp hồ sơ thẻ tạm trú cho chồng người Hàn tại Cục Quản lý xuất nhập cảnh") == "tthc_1_003358"
    assert _top(real_kb, "làm thẻ tạm trú cho chồng người Hàn Quốc ở đâu") == "tthc_1_003460"
    # The province's office, named as where one files, gets its record (hours Monday to Friday, not Saturday).
    assert _top(real_kb, "mất căn cước, sáng thứ 7 lên phòng PC06 công an tỉnh làm lại được không") == "tthc_2_001194"
    assert _top(real_kb, "mất căn cước, sáng thứ 7 lên công an phường làm lại được không") == "cap_lai_the_can_cuoc"


def _top(kb, text):
    found = resolve(kb.search(text))
    return found.confident.procedure_id if found.confident else None


def test_a_foreign_spouse_gets_the_foreign_variant(real_kb):
    assert _top(real_kb, "kết hôn với người Hàn Quốc cần giấy tờ gì") == "tthc_2_000806"
    assert _top(real_kb, "đăng ký kết hôn cần giấy tờ gì") == "dang_ky_ket_hon"


def test_a_border_commune_gets_the_border_variant(real_kb):
    # "Thủ tục đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới", beside the plain foreign variant
    letter = ("Tôi ở một xã biên giới thuộc tỉnh Lào Cai, chồng tôi là người Trung Quốc thường trú ngay bên kia biên "
              "giới. Cho tôi hỏi khi đi khai sinh cho cháu thì cần những giấy tờ gì?")
    assert _top(real_kb, letter) == "tthc_1_000110"
    assert _top(real_kb, "khai sinh cho con, chồng em người Trung Quốc, cần giấy tờ gì") == "tthc_2_000528"
    # a border pass has no such variant: "biên giới" leaves it as found
    assert _top(real_kb, "cấp giấy thông hành biên giới trung quốc ở đâu") == "tthc_1_003133"


def test_a_name_without_its_qualifier_gets_the_domestic_variant(real_kb):
    # "Đăng ký khai sinh lưu động" shares the words; the citizen did not ask for it.
    assert _top(real_kb, "đăng ký khai sinh cho con cần gì") == "dang_ky_khai_sinh"
    assert _top(real_kb, "đăng ký khai sinh lưu động ở đâu") == "tthc_1_003583"


def test_one_name_at_several_levels_gets_the_level_that_serves_citizens(real_kb):
    chosen = real_kb.get(_top(real_kb, "trình báo mất hộ chiếu ở đâu"))
    assert chosen.levels == ["xa"] and "cấp huyện" not in chosen.name
    ids = [m.procedure_id for m in real_kb.search("trình báo mất hộ chiếu", limit=8)]
    names = [real_kb.get(i).name.lower() for i in ids]
    assert len([n for n in names if "trình báo mất hộ chiếu" in n]) == 1


def test_words_that_set_a_question_apart_from_a_procedure(real_kb):
    from knowledge.variants import LETTER_WIDE, set_apart

    report = next(p for p in real_kb.procedures.values() if p.name.startswith("Trình báo mất hộ chiếu"))
    assert set_apart("mất hộ chiếu ở nước ngoài thì làm sao", report) == {"nuoc_ngoai"}
    assert set_apart("mất hộ chiếu thì làm sao", report) == frozenset()
    assert set_apart("Khi ra nước ngoài mà không may đánh mất hộ chiếu thì phải làm thế nào?", report) == {"nuoc_ngoai"}
    assert set_apart("mất hộ chiếu, sắp ra nước ngoài thì làm sao", report) == frozenset()
    marriage = real_kb.get("dang_ky_ket_hon")
    assert set_apart("kết hôn với người Hàn Quốc", marriage) == {"nuoc_ngoai"}
    # a nationality is a foreign element, except to a procedure of nationality
    guardian = next(p for p in real_kb.procedures.values() if p.name == "Thủ tục đăng ký giám hộ")
    assert set_apart("con chị 8 tuổi quốc tịch Hàn, e muốn đăng ký giám hộ cho cháu", guardian) == {"nuoc_ngoai"}
    back = next(p for p in real_kb.procedures.values() if p.name == "Trở lại quốc tịch Việt Nam ở trong nước")
    assert set_apart("đã nhập quốc tịch Mỹ, muốn trở lại quốc tịch Việt Nam", back) == frozenset()
    assert set_apart("đăng ký kết hôn lưu động", marriage) == {"luu_dong"}
    # "một lần" sets apart the lump sum of social insurance, not how often something is done.
    card = real_kb.get("cap_doi_the_can_cuoc")
    assert set_apart("bao lâu phải đổi căn cước một lần", card) == frozenset()
    assert set_apart("rút bhxh 1 lần có phải đổi căn cước không", card) == {"mot_lan"}
    assert set_apart("hưởng bảo hiểm xã hội một lần", card) == {"mot_lan"}
    assert set_apart("mẹ tôi muốn nhận trợ cấp 1 lần rồi đi định cư", card) == {"mot_lan"}
    # another procedure's own words, a court's matter, a company's service, a civil claim
    business = real_kb.get("dang_ky_ho_kinh_doanh")
    assert set_apart("quán của tôi muốn tạm ngừng kinh doanh 2 tháng thì báo ở đâu", business) == {"tam_ngung"}
    assert set_apart("hai vợ chồng muốn ly hôn thì nộp đơn ở đâu", marriage) == {"ly_hon"}
    assert set_apart("chúng tôi đã ly hôn, giờ muốn kết hôn lại với nhau", marriage) == frozenset()
    assert set_apart("đổi căn cước xong nhà mạng bắt chuẩn hóa thông tin thuê bao", card) == {"dich_vu"}
    assert set_apart("bạn vay tiền có giấy chứng thực chữ ký, giờ đòi nợ thế nào",
                      real_kb.get("chung_thuc_chu_ky")) == {"doi_no"}
    assert set_apart("làm căn cước có mất tiền không", card) == frozenset()
    licence = real_kb.get("doi_giay_phep_lai_xe")
    assert set_apart("được cấp bằng lái Công an nhân dân, giờ muốn đổi", licence, LETTER_WIDE) == {"cong_an"}
    assert set_apart("đổi bằng lái ở công an tỉnh mất mấy ngày", licence) == frozenset()
    house = real_kb.get("cap_giay_phep_xay_dung_nha_o")
    # and of a grade its record's name does not list (cấp III, cấp IV)
    assert set_apart("công trình cấp II thì xin giấy phép xây dựng ở đâu", house) == {"cong_trinh", "cap_cong_trinh"}
    assert set_apart("nhà xưởng cấp 3 thì xin giấy phép xây dựng ở đâu", house) == frozenset()
    # what a question asks beside the procedure it mentions: a business paused, property divided, a tax computed,
    # the health insurance's benefit, a go-between's price, a stolen vehicle traced
    assert set_apart("quan an da dk ho kinh doanh, muon tam nghi 2 thang thi bao truoc may ngay", business) == {
        "tam_ngung"}
    assert set_apart("thuận tình ly hôn thì căn nhà mua chung được chia như thế nào", marriage) == {"chia_tai_san"}
    assert set_apart("Xin hỏi khi ly hôn thì con 3 tuổi sẽ do ai nuôi?", marriage) == {"chia_tai_san"}
    assert set_apart("nếu ly hôn thì có phải nộp lại giấy đăng ký kết hôn không", marriage) == {"ly_hon"}
    # goods imported and customs are not the "nhập khẩu" of a permanent residence, though its aliases say the words
    residence = real_kb.get("dang_ky_thuong_tru")
    assert set_apart("cty e nhap khau ruou, bao ket qua huy tem cho hai quan thi nop online dc ko", residence) == {
        "hai_quan"}
    assert set_apart("nhập khẩu cho con về nhà ông bà thì cần giấy gì", residence) == frozenset()
    # another state's visa is no Vietnamese procedure's, unless it is what the paper asked for is for
    evisa = next(p for p in real_kb.procedures.values() if p.name.startswith("Cấp thị thực điện tử"))
    assert "visa_nuoc_ngoai" in set_apart("xin visa du lịch Nhật Bản cần những giấy tờ gì", evisa)
    assert "visa_nuoc_ngoai" in set_apart("khi xin visa du lịch Nhật thì sổ tiết kiệm phải có bao nhiêu", evisa)
    assert "visa_nuoc_ngoai" in set_apart("cháu phải xin loại visa nào của Úc để ở lại làm việc", evisa)
    assert "visa_nuoc_ngoai" in set_apart("xin visa Nhật cần chứng minh tài chính bao nhiêu", evisa)
    # one held is context: "em mới có visa Mỹ" to settle there, before withdrawing social insurance at once
    assert set_apart("em mới có visa Mỹ, muốn rút bảo hiểm xã hội 1 lần", real_kb.get("tthc_1_001613")) == frozenset()
    assert set_apart("cần phiếu lý lịch tư pháp số 2 để bổ sung hồ sơ xin visa đi Canada",
                     real_kb.get("cap_phieu_ly_lich_tu_phap")) == frozenset()
    # another state's entry rule
    passport = real_kb.get("cap_ho_chieu_pho_thong")
    assert set_apart("hộ chiếu của e còn hạn 5 tháng nữa, tuần sau đi du lịch Thái Lan thì bên đó có cho nhập cảnh k ạ",
                     passport) == {"visa_nuoc_ngoai"}
    # and its driving licence, asked as "thủ tục để ...", which is the thing asked, not what it is for
    licence = real_kb.get("doi_giay_phep_lai_xe")
    assert set_apart("Xin hỏi thủ tục để đổi bằng lái Việt Nam sang bằng lái của Đức ở bên đó như thế nào?",
                     licence) == {"visa_nuoc_ngoai"}
    assert set_apart("có bằng lái của Nhật, về nước muốn đổi sang bằng lái Việt Nam", licence) == frozenset()
    # the papers a marriage visa asks ("giấy tờ gì để xin ...") are the visa's, the spouse's state's; a paper of ours
    # for it is still ours
    marriage = next(p for p in real_kb.procedures.values() if p.code == "2.000806")
    assert "visa_nuoc_ngoai" in set_apart("phía Hàn Quốc yêu cầu những giấy tờ gì để xin visa kết hôn F-6", marriage)
    assert set_apart("cần phiếu lý lịch tư pháp để xin visa kết hôn",
                     real_kb.get("cap_phieu_ly_lich_tu_phap")) == frozenset()
    # and its passport asked for, not one held
    assert set_apart("bé sinh ở Sydney, muốn làm hộ chiếu Úc cho bé thì nộp ở đâu", passport) == {"visa_nuoc_ngoai"}
    assert set_apart("chồng tôi mang hộ chiếu Mỹ, làm hộ chiếu cho con ở Việt Nam cần gì", passport) == frozenset()
    # a foreign guest is a foreigner
    stay = real_kb.get("dang_ky_tam_tru")
    assert "nuoc_ngoai" in set_apart("homestay có 2 khách Pháp tới ở, khai báo tạm trú thế nào", stay)
    # so is a foreign contractor, not a Vietnamese going abroad to work
    permit = real_kb.get("cap_giay_phep_xay_dung_nha_o")
    assert "nuoc_ngoai" in set_apart("Nhà thầu nước ngoài xin giấy phép hoạt động xây dựng nộp ở đâu?", permit)
    assert "nuoc_ngoai" not in set_apart("đi lao động nước ngoài về, xin giấy phép xây dựng nhà ở quê", permit)
    maternity = real_kb.get("huong_che_do_thai_san")
    assert "nuoc_ngoai" not in set_apart("em làm cho doanh nghiệp nước ngoài, sinh con thì hưởng thai sản thế nào",
                                         maternity)
    # a change of what is registered is not the registration
    tax = real_kb.get("dang_ky_ma_so_thue_ca_nhan")
    assert set_apart("đã có mst rồi, giờ đổi số điện thoại thì khai mẫu nào để cập nhật", tax) == {
        "thay_doi_thong_tin"}
    assert set_apart("làm mã số thuế cá nhân cần gì", tax) == frozenset()
    # goods brought in, the states that waive a visa, an organisation using land, a company split
    residence = real_kb.get("dang_ky_thuong_tru")
    assert "hai_quan" in set_apart("Kiểm dịch thực vật nhập khẩu làm online?", residence)
    assert set_apart("nhập khẩu cho con vào nhà ông bà cần gì", residence) == frozenset()
    # a vehicle brought in, read from the whole letter
    assert "xe_nhap_khau" in set_apart("e moi mua oto nhap khau, dinh dang ky online", residence, LETTER_WIDE)
    imported = next(p for p in real_kb.procedures.values() if p.code == "1.013066")
    assert set_apart("e moi mua oto nhap khau, dinh dang ky online", imported, LETTER_WIDE) == frozenset()
    passport = real_kb.get("cap_ho_chieu_pho_thong")
    assert "mien_visa" in set_apart("Hộ chiếu Việt Nam miễn visa nước nào?", passport)
    waiver = next(p for p in real_kb.procedures.values() if p.code == "1.003144")
    assert "mien_visa" not in set_apart("xin giấy miễn thị thực cho chồng người Mỹ", waiver)
    company = real_kb.get("dang_ky_thanh_lap_doanh_nghiep")
    assert "chia_cong_ty" in set_apart("thống nhất chia thành hai công ty TNHH mới, hồ sơ đăng ký cần gì", company)
    first_land = next(p for p in real_kb.procedures.values() if p.code == "1.013978")
    assert "to_chuc" in set_apart("cong ty e dang su dung dat lam nha xuong, gio xin cap so do lan dau", first_land)
    # a construction's grade the procedure's official name does not list
    adjust = next(p for p in real_kb.procedures.values() if p.code == "1.013226")
    assert set_apart("nhà xưởng công trình cấp II trong KCN cần điều chỉnh giấy phép xây dựng", adjust) == {
        "cap_cong_trinh"}
    assert set_apart("công trình cấp IV cần điều chỉnh giấy phép xây dựng", adjust) == frozenset()
    # the building named before its grade, no "công trình"; not a school's grade
    assert set_apart("nhà xưởng cấp 2 của công ty cần điều chỉnh giấy phép xây dựng", adjust) == {"cap_cong_trinh"}
    assert set_apart("nhà cấp 4 cần điều chỉnh giấy phép xây dựng", adjust) == frozenset()
    assert set_apart("xây trường cấp 2 cần điều chỉnh giấy phép xây dựng", adjust) == frozenset()
    # an organisation asking for itself, of a procedure whose record serves individuals only; not a company asking
    # its worker, nor one a worker mentions
    records = real_kb.get("cap_phieu_ly_lich_tu_phap")
    assert set_apart("cơ quan nhà nước muốn xin phiếu lltp của người sắp tuyển dụng thì làm thế nào", records) == {
        "to_chuc"}
    assert set_apart("công ty muốn em nộp lý lịch tư pháp số 1, xin ở đâu", records) == frozenset()
    assert set_apart("công ty em nợ bảo hiểm, em xin lý lịch tư pháp được không", records) == frozenset()
    # an association just founded registers its own tax number; its name for individuals alone sets the personal
    # one apart, though organisations file it for their workers. Not one the citizen works at, nor a company just
    # founded (its registration gave it a tax number).
    tax = real_kb.get("dang_ky_ma_so_thue_ca_nhan")
    assert set_apart("hoi tu thien cua e vua co quyet dinh thanh lap cua UBND tinh, vay phai dang ky mst trong bn "
                     "ngay", tax) == {"to_chuc"}
    assert set_apart("minh di lam cong ty, muon dk nguoi phu thuoc la me de giam tru gia canh", tax) == frozenset()
    assert set_apart("cho em hỏi đăng ký mst ở đâu", tax) == frozenset()
    # an airline's rule, not the ID card's; the records for the stateless, not a citizen's correction
    card = real_kb.get("cap_lai_the_can_cuoc")
    assert set_apart("hãng hàng không có cho ông lên máy bay bằng giấy hẹn trả thẻ căn cước không", card) == {"dich_vu"}
    correction = real_kb.get("thay_doi_cai_chinh_ho_tich")
    assert set_apart("Tôi là người gốc Việt Nam chưa xác định được quốc tịch. Ngày sinh của tôi bị ghi sai",
                     correction, LETTER_WIDE) == {"khong_quoc_tich"}
    certificate = next(p for p in real_kb.procedures.values() if p.code == "1.014068")  # their identity paper
    assert set_apart("người gốc Việt chưa xác định được quốc tịch, làm mất giấy chứng nhận căn cước", certificate,
                     LETTER_WIDE) == frozenset()
    # the office's advice asked, not the procedure's fee
    firm = real_kb.get("dang_ky_thanh_lap_doanh_nghiep")
    assert set_apart("Hộ kinh doanh muốn lên doanh nghiệp, Sở có tư vấn miễn phí không?", firm) == {"tu_van"}
    assert set_apart("thành lập doanh nghiệp có mất phí không, mong được tư vấn", firm) == frozenset()
    assert set_apart("Hội chúng tôi là một hội nghề nghiệp ở Cần Thơ, vừa có quyết định thành lập của UBND thành "
                     "phố. Cho tôi hỏi hội phải đăng ký mã số thuế trong bao lâu", tax) == {"to_chuc"}
    assert set_apart("Xin hỏi chúng tôi mới thành lập công ty thì đăng ký mã số thuế cá nhân ở đâu", tax) == frozenset()
    # the change of a company that absorbed another, not any change of capital; not the provinces' merger
    capital = next(p for p in real_kb.procedures.values() if p.code == "2.002009")
    assert set_apart("cty e vua nhan sap nhap 1 cty khac, gio dang ky tang von dieu le", capital) == {"sap_nhap"}
    assert set_apart("sau sáp nhập tỉnh thì đăng ký tăng vốn điều lệ nộp ở đâu", capital) == frozenset()
    business_paused = next(p for p in real_kb.procedures.values() if p.code == "2.002029")
    assert set_apart("cty muốn tạm nghỉ kinh doanh, nộp online được không", business_paused) == frozenset()
    status = real_kb.get("xac_nhan_tinh_trang_hon_nhan")
    assert set_apart("sau khi ly hôn thì xin giấy xác nhận độc thân ở đâu", status) == frozenset()
    tax = real_kb.get("dang_ky_ma_so_thue_ca_nhan")
    assert set_apart("da dang ky mst, moi thang bi tru thue tncn bn tien", tax) == {"tinh_thue"}
    assert set_apart("Cho tôi hỏi hạn chót nộp hồ sơ quyết toán trực tiếp với cơ quan thuế là khi nào?", tax) == {
        "tinh_thue"}
    assert set_apart("đăng ký mã số thuế cá nhân có mất tiền không", tax) == frozenset()
    # a tax return of the household business, not its registration
    assert set_apart("Hộ kinh doanh nhỏ doanh thu dưới ngưỡng thì khai thuế theo mẫu nào?", business) == {
        "tinh_thue"}
    # the international driving permit, not the domestic licence's exchange
    exchange = real_kb.get("doi_giay_phep_lai_xe")
    assert set_apart("Đổi bằng lái quốc tế cần giấy tờ gì?", exchange) == {"quoc_te"}
    assert set_apart("doi bang lai xe may sang the pet can gi", exchange) == frozenset()
    # a passport found after its loss was reported: its value restored, not the loss reported again
    report = next(p for p in real_kb.procedures.values() if p.code == "1.010386")
    assert set_apart("Tôi báo mất hộ chiếu hồi tháng 3, đến giờ lại tìm thấy trong vali", report) == {"khoi_phuc"}
    # a divorce filed by one side, and who keeps the child, are a court's matters, not an adoption
    adoption = next(p for p in real_kb.procedures.values() if p.code == "2.001263")
    assert set_apart("Ly hôn đơn phương thì nộp đơn ở đâu, con nhỏ ai nuôi?", adoption) == {"ly_hon", "chia_tai_san"}
    assert set_apart("nhận con nuôi cần giấy tờ gì", adoption) == frozenset()
    insurance = real_kb.get("cap_lai_the_bhyt")
    assert set_apart("không có giấy chuyển tuyến thì thẻ BHYT được thanh toán bao nhiêu phần trăm", insurance) == {
        "muc_huong_bhyt"}
    assert set_apart("dich vu lam ho chieu lay nhanh ben nao uy tin", real_kb.get("cap_ho_chieu_pho_thong")) == {
        "trung_gian"}
    vehicle = real_kb.get("dang_ky_xe")
    assert set_apart("xe mới đăng ký bị trộm, trình báo công an sao để tìm xe", vehicle) == {"tim_tai_san"}
    assert set_apart("xe bị trộm mất cà vẹt thì làm lại thế nào", vehicle) == frozenset()
    # a passport is for going abroad: where the holder goes is no foreign element
    passport = real_kb.get("cap_ho_chieu_pho_thong")
    assert set_apart("cho bé đi du lịch Thái Lan, làm hộ chiếu cần gì", passport) == frozenset()
    assert set_apart("mất hộ chiếu ở Nhật Bản thì làm sao", passport) == {"nuoc_ngoai"}
    # what the paper is for is no foreign element of it either
    single = real_kb.get("xac_nhan_tinh_trang_hon_nhan")
    assert set_apart("xin giấy xác nhận độc thân để lấy chồng người nước ngoài cần gì", single) == frozenset()
    assert set_apart("người nước ngoài xin giấy xác nhận độc thân ở đâu", single) == {"nuoc_ngoai"}
    assert set_apart("đề nghị cấp cho người nước ngoài giấy xác nhận độc thân", single) == {"nuoc_ngoai"}
    # born abroad is a foreign element; studying or living there is not
    birth = real_kb.get("dang_ky_khai_sinh")
    assert set_apart("Con sinh ở Nhật chưa làm khai sinh bên đó, về nước đăng ký khai sinh cần gì?", birth) == {
        "nuoc_ngoai"}
    copy = real_kb.get("chung_thuc_ban_sao")
    assert set_apart("e hoc o uc ve, bang tot nghiep ra xa sao y dc ko", copy) == frozenset()
    # an injury that recurs: read from the letter's context
    first = next(p for p in real_kb.procedures.values() if p.code == "1.001632")
    assert set_apart("Vừa rồi vết thương cũ tái phát, đã đi giám định lại.", first, LETTER_WIDE) == {"tai_phat"}
    # the translator who is no collaborator, read from the letter's context; advice; a go-between
    collaborator = next(p for p in real_kb.procedures.values() if p.code == "2.000992")
    assert set_apart("Tôi tự dịch bằng tốt nghiệp, không phải cộng tác viên dịch thuật của xã.", collaborator,
                     LETTER_WIDE) == {"tu_dich"}
    lump_sum = next(p for p in real_kb.procedures.values() if p.code == "1.001613")
    assert set_apart("nên rút bảo hiểm một lần hay chờ lương hưu, cách nào có lợi hơn cho tôi", lump_sum) == {
        "loi_hon"}
    assert set_apart("Có dịch vụ làm sổ đỏ nhanh nào uy tín ở Hà Nội không?",
                     real_kb.get("cap_giay_chung_nhan_lan_dau")) == {"trung_gian"}
    assert set_apart("ho kinh doanh nop thua thue tncn, xin hoan thi bao lau", business) == {"tinh_thue"}
    # a test centre's dates are in no record; "dương lịch thì" is no exam
    licence = next(p for p in real_kb.procedures.values() if p.code == "3.000346")
    assert set_apart("lich thi sat hach bang lai a1 thang 9 la ngay nao", licence) == {"lich_thi"}
    assert set_apart("kê khai theo năm dương lịch thì phải làm thế nào", licence) == frozenset()
    assert set_apart("nen dong bhxh tu nguyen hay gui tiet kiem thi loi hon", real_kb.get("cap_lai_the_bhyt")) == {
        "dich_vu", "loi_hon"}


@pytest.mark.parametrize("text, lost", [
    ("mất giấy khai sinh thì làm lại thế nào", True),
    ("giấy đăng ký xe của tôi bị mất", True),
    ("em lỡ làm mất thẻ bảo hiểm y tế của con", True),
    ("đánh rơi hộ chiếu", True),
    ("bố tôi mất, làm giấy chứng tử cần gì", False),
    ("tôi bị mất việc có được trợ cấp không", False),
    ("làm căn cước mất bao lâu", False),
    ("thẻ căn cước cũ đã mất giá trị chưa", False),
    # the paper named in many words before the loss
    ("Giấy chứng nhận đăng ký hộ kinh doanh bị mất thì xin cấp lại bao lâu có?", True),
    # premises ("mặt bằng") fold as a lost licence ("mất bằng") does
    ("đang thuê mặt bằng mở tiệm tạp hóa, đăng ký hộ kinh doanh mất mấy ngày", False),
    ("thue mat bang mo quan an thi dang ky ho kinh doanh o dau", False),
    ("mat bang lai xe roi lam lai o dau", True),
    # dropped by bad luck, the paper named words before
    ("bằng lái ô tô đang còn thời hạn nhưng không may rơi mất thì xin cấp lại được không", True),
    ("không may bị ốm nên chưa đi đổi bằng lái", False),
    # burnt or stolen, and the paper named nine words before
    ("giay chung nhan dk ho kinh doanh cua nha e bi chay mat trong vu chay cho, xin cap lai", True),
    ("the bhyt cua con bi trom mat", True),
    # a registration certificate by its short name; not a death registered after it
    ("mất đkkd hộ kd, cấp lại mấy ngày?", True),
    ("bị mất đăng ký xe máy thì làm lại bao lâu", True),
    ("mẹ tôi mất đăng ký khai tử ở đâu", False),
    # lost with something else, the paper after "luôn cả"
    ("đi chợ bị mất ví, mất luôn cả thẻ bhyt", True),
    # a parent who died, in the clause after the paper
    ("sổ đỏ đứng tên bố tôi, bố tôi bị mất năm ngoái, giờ sang tên thế nào", False),
])
def test_a_lost_paper_is_told_from_a_death_a_lost_job_and_the_time_it_takes(text, lost):
    from knowledge.variants import reports_loss

    assert reports_loss(text) is lost


def test_a_procedure_for_a_lost_paper_says_so_in_its_name(real_kb):
    from knowledge.variants import reissues

    assert reissues(real_kb.get("cap_lai_the_can_cuoc"))
    assert reissues(real_kb.get("cap_ban_sao_trich_luc_ho_tich"))
    assert not reissues(real_kb.get("dang_ky_khai_tu"))


def test_the_paper_a_name_acts_on_is_read_word_for_word_and_whole(real_kb):
    from knowledge.variants import paper_said, same_paper

    by_code = {p.code: p for p in real_kb.procedures.values() if p.code}
    again_death, again_birth = by_code["1.005461"], by_code["1.004884"]
    # "từ lâu" folds to the "tu" of "khai tử", but the paper is read as a phrase
    assert not paper_said("giấy khai sinh bị mất từ lâu", again_death)
    assert paper_said("giấy khai sinh bị mất từ lâu", again_birth)
    assert paper_said("mất giấy đăng ký kết hôn", by_code["2.000513"])  # its foreign variant aside
    household, pause, company_pause = by_code["1.001612"], by_code["1.001570"], by_code["2.002029"]
    assert same_paper(household, company_pause)  # "kinh doanh" is shared
    assert not same_paper(household, company_pause, whole=True)
    assert same_paper(household, pause, whole=True)

"""Grading a reply to a real question as a citizen reads it."""

from __future__ import annotations

from tools.evaluate_qa import Item, _plain, figures, grade, load_items, polarity, report

ITEM = Item(id="t1", text="con tôi 4 tuổi có bắt buộc làm căn cước không", kind="conditions",
            procedure="1.014061", also=["1.014063"], yes_no="khong", must=["14 tuổi"], must_not=["cấp huyện"])
SOURCE = "Nguồn: theo Cổng Dịch vụ công quốc gia, mã thủ tục 1.014061 (https://dichvucong.gov.vn/x)."


def outcome(texts, buttons=(), item=ITEM, curated=("1.014061",)):
    return grade(item, list(texts), list(buttons), curated).outcome


def test_the_right_record_with_every_fact_and_the_right_no_is_answered():
    assert outcome(["Không. Từ đủ 14 tuổi mới bắt buộc.", SOURCE]) == "answered"


def test_the_right_record_without_the_facts_is_partial():
    assert outcome(["Hồ sơ gồm tờ khai.", SOURCE]) == "partial"
    assert outcome(["Từ đủ 14 tuổi mới bắt buộc.", SOURCE]) == "partial"  # no "Không." where one is due


def test_another_record_a_wrong_yes_or_a_forbidden_fact_is_wrong():
    assert outcome(["Hồ sơ gồm tờ khai. mã thủ tục 1.001193"]) == "wrong"
    assert outcome(["Có. Đủ 14 tuổi.", SOURCE]) == "wrong"
    assert outcome(["Không. 14 tuổi. Nộp ở cấp huyện.", SOURCE]) == "wrong"


def test_buttons_to_choose_are_asked_back_and_the_rest_declined():
    pick = {"title": "x", "payload": '/inform_procedure{"procedure_id":"a"}'}
    assert outcome(["Bạn muốn hỏi thủ tục nào?"], [pick]) == "asked"
    assert outcome(["Xin lỗi, mình chưa có câu trả lời đã được kiểm chứng."]) == "declined"


def test_facts_match_without_marks_case_or_spacing_and_alternatives_count():
    assert polarity("KHÔNG.  Trẻ em") == "khong" and polarity("Có thể") == "co" and polarity("Hồ sơ") == ""
    item = Item(id="t2", text="", kind="time", procedure="1.014061", must=["7 ngay lam viec | 07 ngày làm việc"])
    assert outcome(["Thời hạn: 07  Ngày làm việc.", SOURCE], item=item) == "answered"
    # a sum of money in the record's notation and the reply's
    fee = Item(id="t4", text="", kind="fee", procedure="1.014061", must=["8,000 VNĐ"])
    assert outcome(["Lệ phí: 8.000 đồng.", SOURCE], item=fee) == "answered"
    assert outcome(["Lệ phí: 80.000 đồng.", SOURCE], item=fee) == "partial"
    assert outcome(["Lệ phí: 18.000 đồng.", SOURCE], item=fee) == "partial"
    # the record's commas, where the label left them out
    where = Item(id="t5", text="", kind="where", procedure="1.014061",
                 must=["trong cả nước không phụ thuộc nơi cư trú"])
    said = "Nộp ở Công an cấp xã trong cả nước, không phụ thuộc nơi cư trú."
    assert outcome([said, SOURCE], item=where) == "answered"
    assert outcome([said.replace("nước,", "nước; nhưng"), SOURCE], item=where) == "partial"


def test_scope_and_report():
    out_of_scope = Item(id="t3", text="", kind="case", procedure="none")
    graded = [grade(ITEM, ["Không. 14 tuổi.", SOURCE], [], {"1.014061"}),
              grade(out_of_scope, ["Xin lỗi, mình chưa có câu trả lời."], [], {"1.014061"})]
    table = figures(graded)
    assert table["scope:in"]["answered"] == 1 and table["scope:out"]["declined"] == 1
    assert "| all | 2 |" in report(table, None)


def test_the_shipped_sets_are_large_enough_and_kept_apart():
    test, dev = load_items("test"), load_items("dev")
    assert len(test) >= 300 and len(dev) >= 100
    # The same letter is often republished on another page: compare the words, not the bytes.
    assert not {_plain(i.text) for i in test} & {_plain(i.text) for i in dev}


def test_an_honest_decline_that_offers_procedures_is_a_decline_not_a_question_back():
    pick = {"title": "x", "payload": '/inform_procedure{"procedure_id":"a"}'}
    text = "Xin lỗi, mình chưa có câu trả lời đã được kiểm chứng cho câu hỏi này. Có thể bạn muốn hỏi:"
    assert outcome([text], [pick]) == "declined"

import pytest

from knowledge.proxies import CLOSE_KIN, OTHER_PERSON, proxy_kin


@pytest.mark.parametrize("text, kin", [
    # The kin the law names (ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột).
    ("Em ở Sài Gòn không về kịp, muốn nhờ em trai ruột ở quê đi làm khai tử cho mẹ", CLOSE_KIN),
    ("Tôi nhờ chị gái ruột đi xin hộ bản sao giấy khai sinh", CLOSE_KIN),
    ("nho em gai di nop ho so giup", CLOSE_KIN),
    ("ủy quyền cho con trai đi làm", CLOSE_KIN),
    ("nhờ bà ngoại đi khai sinh cho cháu", CLOSE_KIN),
    # Anyone else.
    ("muốn nhờ chú ruột (em bố) đi làm khai tử thay", OTHER_PERSON),
    ("nhờ anh họ đi nộp", OTHER_PERSON),
    ("ủy quyền cho bạn thân", OTHER_PERSON),
    ("nhờ con dâu đi làm", OTHER_PERSON),
    ("nhờ hàng xóm đi xin giúp", OTHER_PERSON),
    ("nhờ dịch vụ làm hộ", OTHER_PERSON),
    # Not said for sure.
    ("làm khai tử cho mẹ cần gì", None),  # the deceased, not a proxy
    ("nhờ người nhà đi làm được không", None),  # who, it does not say
    ("nhờ em đi nộp giúp", None),  # "em" alone: a sibling or anyone younger
    ("nhờ ba đi làm", None),  # a father in the South, or "three"
    ("nhờ đi làm hộ được không", None),  # "đi" is not "dì"
    ("nhờ em trai ruột và nhờ bạn cùng đi", None),  # both kinds
    ("", None),
    # someone else authorises: the father's brother is his, not the writer's, full sibling
    ("bố em ủy quyền cho chú em (em ruột của bố) đi làm khai tử", None),
])
def test_whom_the_citizen_asks(text, kin):
    assert proxy_kin(text) == kin

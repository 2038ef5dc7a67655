"""Whom a citizen asks to do a procedure for them, when the message says so: "nhờ em trai ruột ở quê đi làm khai
tử", "ủy quyền cho chú ruột", "nhờ chị gái đi xin hộ".

Civil-status procedures exempt a proxy letter from certification when the person authorised is the grandparent,
parent, child, spouse or full sibling of the one who authorises (khoản 1 Điều 2 Thông tư 04/2020/TT-BTP, quoted
in the records): "nhờ em gái ruột" settles the question "giấy ủy quyền có phải chứng thực không", "nhờ chú ruột"
settles it the other way. Only a relation named right after "nhờ" or "ủy quyền cho" is read: "làm khai tử cho
mẹ" names the deceased, not the proxy. A word that does not say the relation for sure ("anh", "chị", "em" alone,
"người nhà") is no answer. Plain Python.
"""

from __future__ import annotations

import re

from knowledge.vntext import fold

CLOSE_KIN = "close_kin"
OTHER_PERSON = "other_person"

# Who the law names, in the words citizens use; "ruột" may follow ("em trai ruột").
_CLOSE = (r"(?:ong|ba) (?:noi|ngoai)|bo me|bo|me|cha|vo|chong|con (?:trai|gai)|con ruot"
          r"|(?:anh|chi|em) ruot|anh trai|chi gai|em trai|em gai")
# Who it does not: uncles and aunts, cousins, in-laws, friends, neighbours, a service. Not "cô", "dì", "mợ":
# without their marks they are "có", "đi", "mở" ("nhờ đi làm hộ được không").
_OTHER = (r"chu|bac|cau|thim|duong|(?:anh|chi|em) (?:ho|re|dau)|con (?:dau|re)|chau|ban|hang xom"
          r"|nguoi quen|dong nghiep|dich vu|cong ty|van phong")
_WHO = re.compile(r"\b(?:nho|uy quyen cho)\s+"
                  rf"(?:(?P<close>{_CLOSE})|(?P<other>{_OTHER}))\b(?!\s+(?:ho|re|dau)\b)")


# Someone else authorising: "bố em ủy quyền cho chú em (em ruột của bố)" says whom the father asks, and the uncle is
# his brother; the relation the law reads is theirs, which the writer's words do not give.
_OTHER_GIVER = re.compile(r"\b(?:bo|me|cha|ong|ba|vo|chong|anh|chi)(?:\s+(?:e|em|toi|minh|t))?\s+$")


def proxy_kin(text: str) -> str | None:
    """``CLOSE_KIN`` or ``OTHER_PERSON`` for whom ``text`` says the citizen asks (the first one named), else None;
    None too when it names both kinds, or when someone else authorises (``_OTHER_GIVER``)."""
    folded = " ".join(fold(text or "").lower().split())
    found = {m.lastgroup for m in _WHO.finditer(folded)
             if not (m.group(0).startswith("uy quyen") and _OTHER_GIVER.search(folded[:m.start()]))}
    if len(found) != 1:
        return None
    return CLOSE_KIN if found == {"close"} else OTHER_PERSON

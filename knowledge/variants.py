"""Variants of one procedure: which one a citizen gets by default, and which one their words ask for.

One name often exists several times in the national records: at several levels
("(thực hiện tại cấp xã)", "cấp tỉnh"), and as variants ("có yếu tố nước ngoài",
"lưu động", "đăng ký lại", "tại cơ quan đại diện"). A citizen gets the domestic
variant at the level that serves citizens (commune, then province, then ministry)
unless their words ask for a variant: "nước ngoài", "Hàn Quốc", "lưu động",
"đăng ký lại", "đại sứ quán".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Sequence, Tuple

from knowledge.schema import Audience, Level, NationalProcedure, Procedure
from knowledge.vntext import CLAUSE_BREAKS, fold

FOREIGN, MOBILE, AGAIN, MISSION = "nuoc_ngoai", "luu_dong", "dang_ky_lai", "co_quan_dai_dien"
CENTRAL, PROVINCE, BORDER = "trung_uong", "cap_tinh", "bien_gioi"
POLICE = Audience.cong_an_nhan_dan.value
AUDIENCES = frozenset(a.value for a in Audience)

# How an official name marks a variant (folded text).
_NAME_MARKERS: Dict[str, Tuple[str, ...]] = {
    FOREIGN: ("co yeu to nuoc ngoai", "nguoi nuoc ngoai", "cong dan nuoc ngoai", "o nuoc ngoai"),
    MOBILE: ("luu dong",),
    AGAIN: ("dang ky lai",),
    MISSION: ("co quan dai dien",),
    CENTRAL: ("cap trung uong", "cap tw"),
    # the civil status records of a border commune, with a national of the neighbouring country ("Thủ tục đăng ký
    # khai sinh có yếu tố nước ngoài tại khu vực biên giới"); not a border pass or a permit to enter a border zone
    BORDER: ("tai khu vuc bien gioi",),
}
# Short names of states that name the state after a noun ("người Úc", "bằng lái của Đức", "hộ chiếu Mỹ"); not "anh"
# (brother), "lao" ("lao động"), "y" ("y tế").
_PEOPLES = ("my", "phap", "duc", "nga", "uc", "nhat", "han")
# How a citizen asks for one (folded text, whole words). Short country names are words of
# everyday Vietnamese too ("anh" brother, "lao động", "pháp luật", "Nga" a name): they count
# only after "nước" ("người nước Anh"), and after "người" where that is not another phrase
# ("người Úc", "người Mỹ"; not "người anh", "người lao động", "người y tế").
_COUNTRIES = (
    "han quoc", "trung quoc", "nhat ban", "dai loan", "hoa ky", "campuchia", "thai lan", "singapore",
    "malaysia", "canada", "an do", "philippines", "indonesia", "ngoai quoc", "viet kieu",
    *(f"nuoc {c}" for c in ("my", "anh", "phap", "duc", "nga", "lao", "uc", "y", "nhat", "han")),
    *(f"nguoi {c}" for c in _PEOPLES),
    # a nationality: "con chị 8 tuổi quốc tịch Hàn", "chồng tôi mang quốc tịch Mỹ"
    # ("quốc tịch Hàn" is read in "quốc tịch Hàn Quốc" too)
    *(f"quoc tich {c}" for c in ("my", "anh", "phap", "duc", "nga", "lao", "uc", "nhat", "han", "thai", "trung quoc",
                                  "dai loan", "hoa ky", "campuchia", "singapore", "malaysia", "canada", "an do",
                                  "philippines", "indonesia")),
    # a paper a foreign state issued: "bằng lái do Nhật cấp", "giấy tờ do nước ngoài cấp"
    "nuoc ngoai cap", *(f"do {c} cap" for c in ("my", "anh", "phap", "duc", "nga", "lao", "uc", "nhat", "han", "thai")),
    # born there: "con sinh ở Nhật" (not "ở anh", "ở Mỹ Tho", "ở Đức Trọng"; and living or studying abroad is no
    # foreign element: "học ở Úc về", "sang Mỹ định cư thì rút bhxh 1 lần")
    *(f"{where} {c}" for where in ("sinh o", "sinh tai", "sinh ben")
      for c in ("my", "phap", "duc", "uc", "nhat", "han")),
)
# The states themselves, not their people or nationals ("visa Nhật Bản", "nhập cảnh Thái Lan").
_STATES = tuple(c for c in _COUNTRIES if not c.startswith(("nguoi ", "quoc tich ", "viet kieu", "ngoai quoc")))
_QUERY_MARKERS: Dict[str, Tuple[str, ...]] = {
    FOREIGN: ("nuoc ngoai", "yeu to nuoc ngoai", "quoc tich nuoc ngoai", "hai quoc tich", *_COUNTRIES),
    # or described: "xã cử cán bộ tư pháp xuống tận nhà để làm giấy khai tử"
    MOBILE: ("luu dong", "xuong tan nha", "den tan nha", "toi tan nha", "cu can bo xuong", "cu can bo den"),
    AGAIN: ("dang ky lai", "lam lai dang ky"),
    MISSION: ("dai su quan", "lanh su", "co quan dai dien"),
    # filed at a central department or issued by a ministry: "nộp hồ sơ cấp hộ chiếu lần đầu ngay tại Cục ở Hà Nội",
    # "công ty được Bộ cấp giấy phép", "lên thẳng cơ quan của Bộ Công an để đổi thẻ căn cước" (not a letter addressed
    # "Kính gửi Cục ..."); or a unit of a ministry, not of a province: "sĩ quan ở một cục thuộc Bộ Công an", "công
    # nhân công an đơn vị thuộc Bộ"
    CENTRAL: ("tai cuc", "len cuc", "den cuc", "ra cuc", "duoc bo cap", "do bo cap", "bo da cap", "cap trung uong",
              "thuoc bo cong an", "don vi thuoc bo", "cuc thuoc bo", "o cuc quan ly xuat nhap canh", "o cuc qlxnc",
              "o cuc xuat nhap canh", "o cuc xnc", "len bo cong an", "den bo cong an", "ra bo cong an",
              "co quan cua bo cong an", "co quan bo cong an", "len thang bo"),
    # filed at the province's police office: "sáng thứ 7 lên phòng PC06 công an tỉnh làm lại được không" (not
    # "công tác ở công an tỉnh", an audience)
    PROVINCE: ("len cong an tinh", "den cong an tinh", "ra cong an tinh", "nop o cong an tinh", "nop tai cong an tinh",
               "pc06", "pc 06"),
    # "ở một xã biên giới", "thường trú ngay bên kia biên giới"
    BORDER: ("bien gioi",),
    # a member of the police or a relative it stands for: "e là công nhân công an tỉnh", "bố tôi công tác tại một
    # Cục thuộc Bộ Công an", "chồng e là thiếu úy công tác ở công an tỉnh"; not "cán bộ công an" (who a citizen
    # dealt with) nor "công an xã" (an office). An audience, not a variant of a name: it chooses between a curated
    # entry and its records for the police (``Procedure.audiences``).
    POLICE: ("cong an nhan dan", "cand", "bo cong an", "nganh cong an", "than nhan cong an", "cong nhan cong an",
             "chien si cong an", "si quan cong an", "ha si quan", "hoc vien cong an", "truong cong an",
             "cong tac o cong an", "cong tac tai cong an", "lam viec o cong an", "lam viec tai cong an"),
}
# Words that rule out a procedure whose name and aliases do not carry them ("rút bảo hiểm một lần" is not
# the plain social insurance procedure, "mất hộ chiếu ở nước ngoài" is not the domestic report).
_SET_APART: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    # what the message says                                   what the procedure's names must then say
    # "khi ra nước ngoài mà mất hộ chiếu" is abroad; "làm hộ chiếu để ra nước ngoài" is not, hence "khi".
    "nuoc_ngoai": (("nguoi nuoc ngoai", "quoc tich nuoc ngoai", "yeu to nuoc ngoai", "o nuoc ngoai",
                    "tai nuoc ngoai", "khi ra nuoc ngoai", "khi di nuoc ngoai", "viet kieu", *_COUNTRIES,
                    # a foreign guest ("homestay có 2 khách Pháp tới ở", "khách nước ngoài thuê phòng")
                    "khach nuoc ngoai", "khach tay", "khach quoc te", *(f"khach {c}" for c in _PEOPLES),
                    # a foreign party that applies: "nhà thầu nước ngoài xin giấy phép hoạt động xây dựng" is not a
                    # building permit (not "doanh nghiệp / tổ chức nước ngoài", which Vietnamese work for, nor "lao
                    # động nước ngoài": they go abroad to work)
                    "nha thau nuoc ngoai", "nha dau tu nuoc ngoai"),
                   # a procedure of nationality is about another state's: "nhập quốc tịch Mỹ, giờ muốn trở lại
                   # quốc tịch Việt Nam"
                   ("nuoc ngoai", "xuat canh", "dinh cu", "quoc tich")),
    # a lump sum (of social insurance, an allowance); not "bao lâu phải đổi căn cước một lần", "văn bằng chỉ cấp
    # một lần"
    "mot_lan": (tuple(f"{head} {n} lan" for head in ("rut", "huong", "lanh", "nhan", "bh", "bhxh", "bao hiem",
                                                      "bao hiem xa hoi", "tro cap") for n in ("mot", "1")),
                ("mot lan",)),
    "luu_dong": (("luu dong",), ("luu dong",)),
    "con_nuoi": (("con nuoi",), ("con nuoi",)),
    "tam_hoan": (("tam hoan",), ("tam hoan",)),
    # "ra xã hỏi thì sổ cũ cũng ko còn": with the register gone no copy can be issued; the event is registered again
    # ("sổ ở xã cũng không còn", "cơ quan cũng ko còn sổ lưu")
    "dang_ky_lai": (("dang ky lai", *(f"{book} {when}{also}{gone}"
                                      for book in ("so cu", "so goc", "so ho tich", "so sach", "so luu", "so o xa",
                                                   "so cua xa", "so tai xa")
                                      for when in ("", "thoi do ", "luc do ", "ngay xua ", "cu ")
                                      for also in ("", "cung ")
                                      for gone in ("khong con", "ko con", "k con", "mat", "bi mat", "bi chay")),
                     *(f"{gone} {book}" for gone in ("khong con", "ko con", "k con", "khong luu", "ko luu")
                       for book in ("so goc", "so ho tich", "so luu"))),
                    ("dang ky lai",)),
    # "ngã giàn giáo ... có được hưởng chế độ tai nạn lao động không": not sickness benefit
    "tai_nan_lao_dong": (("tai nan lao dong", "tnld", "benh nghe nghiep"), ("tai nan lao dong", "benh nghe nghiep")),
    # "người gốc Việt Nam chưa xác định được quốc tịch ... ngày sinh trong dữ liệu dân cư bị ghi sai": the records for
    # the stateless, not a citizen's civil status correction (their identity paper is the "giấy chứng nhận căn cước")
    "khong_quoc_tich": (("chua xac dinh duoc quoc tich", "chua xac dinh quoc tich", "khong quoc tich"),
                        ("chua xac dinh duoc quoc tich", "khong quoc tich", "giay chung nhan can cuoc")),
    # "chứng thực chữ ký của tôi trên bản dịch": the translator's signature, not any signature
    "ban_dich": (("ban dich", "tu dich", "nguoi dich", "dich thuat"), ("dich",)),
    # "nhờ viên chức lãnh sự dịch giấy tờ và chứng thực chữ ký người dịch": the mission's record, not the commune's
    "lanh_su": (("vien chuc lanh su", "vien chuc ngoai giao", "can bo lanh su"), ("lanh su", "ngoai giao")),
    # "giấy phép lái xe quân sự hạng C ... muốn đổi sang bằng lái dân sự": not the civilian licence's procedures
    "quan_su": (("lai xe quan su", "bang lai quan su", "bang quan su", "lai xe quan doi", "bang lai quan doi"),
                ("quan su",)),
    # "được cấp giấy phép lái xe Công an nhân dân hạng B ... muốn đổi sang bằng lái thường": the police licence's
    # exchange
    "cong_an": (tuple(f"{paper} {force}" for paper in ("lai xe", "bang lai", "bang lai xe", "gplx", "blx")
                      for force in ("cong an nhan dan", "cand", "nganh cong an")),
                ("cong an nhan dan",)),
    # "trung tâm hòa giải thương mại của bọn em muốn chuyển trụ sở": the mediation centre's, not a company's
    "hoa_giai_thuong_mai": (("hoa giai thuong mai",), ("hoa giai thuong mai",)),
    # "muốn chuyển thị thực còn hạn sang hộ chiếu mới": a foreigner's visa moved to a new passport, not the passport
    "chuyen_thi_thuc": (tuple(f"chuyen {how}{visa}" for how in ("", "ngang ", "ngang gia tri ")
                              for visa in ("thi thuc", "visa")), ("thi thuc", "visa")),
    # "Cơ quan tố tụng xin phiếu LLTP dùng mẫu nào": the record issued at a procedural body's request, not a citizen's
    "to_tung": (("co quan to tung", "co quan tien hanh to tung"), ("to tung",)),
    # "đổi bằng lái quốc tế cần giấy tờ gì": the international permit (IDP), not the domestic licence's exchange
    "quoc_te": (("bang lai quoc te", "bang lai xe quoc te", "bang quoc te", "giay phep lai xe quoc te", "gplx quoc te",
                 "blx quoc te", "idp"),
                ("quoc te",)),
    # "vết thương cũ tái phát": the benefit for an injury that recurs, not the first claim for the accident
    "tai_phat": (tuple(f"{what} {old}tai phat" for what in ("vet thuong", "thuong tat", "benh tat", "benh nghe nghiep",
                                                            "tai nan lao dong", "tnld") for old in ("", "cu ")),
                 ("tai phat",)),
    # "năm 2021 bị tai nạn lao động ... tháng 4/2026 tôi lại bị tai nạn lao động lần nữa": the benefit for one who
    # had an accident and has another, not the first accident's
    # ("chồng em năm 2022 bị tai nạn lao động … tháng trước lại bị tai nạn ở xưởng lần nữa")
    "tiep_tuc": (tuple(f"{again} {what}" for again in ("lai bi", "tiep tuc bi", "lai tiep tuc bi", "bi them")
                       for what in ("tai nan lao dong", "tnld", "benh nghe nghiep", "bnn", "tai nan"))
                 + tuple(f"{what} {again}" for what in ("tai nan lao dong", "tnld", "benh nghe nghiep", "bnn")
                         for again in ("lan nua", "lan thu hai", "lan thu 2", "lan 2")),
                 ("tiep tuc",)),
    # "báo mất hộ chiếu hồi tháng 3, đến giờ lại tìm thấy": its value restored, not the loss reported again
    "khoi_phuc": (("lai tim thay", "da tim thay", "tim lai duoc", "tim thay roi", "nay tim thay", "gio tim thay",
                   "tim thay lai"),
                  ("khoi phuc", "tim lai")),
    # "muốn báo tạm ngừng kinh doanh" is not the household business's registration
    # "quán ăn đã đăng ký hộ kinh doanh, giờ muốn tạm nghỉ 2 tháng": the same notice, as citizens say it
    "tam_ngung": (("tam ngung", "tam ngung kinh doanh", "tam dung kinh doanh", "ngung kinh doanh",
                   "tam nghi kinh doanh", "tam nghi ban", "tam dong cua", "tam nghi mot thoi gian",
                   # "muốn nghỉ bán vài tháng", "nghỉ kinh doanh 2 tháng"
                   *(f"{rest} {n} thang" for rest in ("tam nghi", "nghi ban", "nghi kinh doanh")
                     for n in (*map(str, range(1, 13)), "vai", "may", "mot", "hai", "ba", "bon", "nam", "sau"))),
                  ("tam ngung", "tam dung", "ngung kinh doanh")),
    # "muốn ly hôn thuận tình, giấy kết hôn làm ở xã": a court's matter, not the marriage registration. A divorce
    # that is over is context ("đã ly hôn, giờ xin giấy xác nhận tình trạng hôn nhân"): only the asking of one.
    "ly_hon": (("muon ly hon", "xin ly hon", "don ly hon", "thu tuc ly hon", "ly hon thuan tinh", "an phi",
                "neu ly hon", "ly hon don phuong", "don phuong ly hon", "ly hon thi nop"),
               ("ly hon", "toa an")),
    # Services of a company, not of the state: "nhà mạng nhắn tin bắt chuẩn hóa thông tin thuê bao", "chuyển hợp
    # đồng mua bán điện sang tên tôi", a bank's loan ("vay thế chấp sổ đỏ ... lãi suất bao nhiêu"); not a paper asked
    # for a loan ("giấy tthn xin để làm vay ngân hàng"); an airline's rules ("hãng hàng không có cho ông lên máy bay
    # bằng giấy hẹn trả thẻ căn cước không"; not "hãng bay ... cấp giấy chứng nhận thành viên tổ bay")
    "dich_vu": (("nha mang", "chuan hoa thong tin thue bao", "chuan hoa thue bao", "cong to dien",
                 "hop dong mua ban dien", "vay the chap", "lai suat vay", "lai suat ngan hang", "lai suat bao nhieu",
                 "hoc phi", "bao hiem nhan tho", "gui tiet kiem", "len may bay"),
                ("nha mang", "thue bao", "dien luc", "mua ban dien", "ngan hang", "hoc phi", "nhan tho",
                 "may bay")),
    # "tôi tự dịch bằng của mình, không phải cộng tác viên dịch thuật của xã": the translator who is no collaborator
    # (2.001008), not the collaborators' procedure whose name the message negates
    "tu_dich": (("tu dich", "khong phai cong tac vien", "khong phai la cong tac vien", "khong phai ctv",
                 "khong la cong tac vien"),
                ("khong phai la cong tac vien", "khong phai cong tac vien")),
    # "cách nào có lợi hơn cho tôi": advice, which no record gives
    "loi_hon": (("co loi hon", "loi hon cho", "thi loi hon", "cach nao loi", "cach nao co loi", "nen chon cach nao",
                 "phuong an nao loi"),
                ("tu van",)),
    # "xây tòa văn phòng 15 tầng, công trình cấp II": not a private house's permit
    "cong_trinh": (("cong trinh cap", "toa van phong", "toa nha van phong", "cao oc"), ("cong trinh",)),
    # "thuận tình ly hôn thì căn nhà mua chung ... được chia như thế nào": dividing property is a court's or the
    # parties' matter, not the marriage registration the letter mentions
    # "khi ly hôn thì con 3 tuổi sẽ do ai nuôi": custody too
    "chia_tai_san": (("chia tai san", "phan chia tai san", "chia nha", "chia dat", "duoc chia nhu the nao",
                      "chia nhu the nao", "quyen nuoi con", "do ai nuoi", "ai nuoi con", "ai duoc nuoi con",
                      "con nho ai nuoi", "con ai nuoi",
                      "gianh quyen nuoi"),
                     ("chia", "thua ke", "toa an")),
    # "lương 18tr, đã đăng ký mst ... mỗi tháng bị trừ thuế tncn bn tiền": computing a tax, not registering for it
    # "muốn tự quyết toán để được hoàn phần thuế nộp thừa": the tax return, not the registration
    "tinh_thue": (("bi tru thue", "tru thue bao nhieu", "tinh thue", "thue tncn bao nhieu", "dong thue bao nhieu",
                   "nop thue bao nhieu", "muc thue bao nhieu", "bao nhieu tien thue", "tu quyet toan",
                   "quyet toan thue", "ho so quyet toan", "nop quyet toan", "han quyet toan", "hoan thue",
                   "hoan phan thue", "hoan tien thue",
                   "nop thua thue", "nop thua tien thue", "thue nop thua", "khai thue", "ke khai thue", "to khai thue"),
                  ("quyet toan", "khau tru", "khai thue", "nop thue", "tinh thue", "hoan thue", "mien thue",
                   "giam thue")),
    # "khám ở bệnh viện tỉnh khác không có giấy chuyển tuyến thì thẻ BHYT được thanh toán bao nhiêu phần trăm": the
    # health insurance's benefit, not the card's issue
    "muc_huong_bhyt": (("thanh toan bao nhieu phan tram", "chi tra bao nhieu phan tram", "trai tuyen",
                        "giay chuyen tuyen", "giay chuyen vien", "khong chuyen tuyen", "muc huong bhyt",
                        "muc huong bao hiem y te"),
                       ("kham chua benh", "chuyen tuyen", "muc huong", "thanh toan truc tiep")),
    # "dịch vụ làm hộ chiếu lấy nhanh ở tphcm bên nào uy tín, giá bn": a private go-between, not the state's fee
    "trung_gian": (("ben nao uy tin", "cho nao uy tin", "noi nao uy tin", "dich vu lam nhanh", "dich vu lay nhanh",
                    "lay nhanh ben nao", "co dich vu nao", "dich vu nao lam", "lay ngay trong ngay",
                    "lay trong 1 ngay", "lay trong mot ngay", "nao uy tin"),
                   ("dich vu",)),
    # "hộ kinh doanh muốn lên doanh nghiệp, Sở có tư vấn miễn phí không": the office's advice, not the procedure's fee
    "tu_van": (("tu van mien phi", "tu van khong mat phi", "tu van co mat phi", "tu van co mat tien",
                "tu van co thu phi"),
               ("tu van",)),
    # "lịch thi sát hạch bằng lái tháng 9 là ngày nào": each test centre sets its dates; no record publishes them
    # (not "lịch thì": "năm dương lịch thì")
    "lich_thi": (("lich thi sat hach", "lich thi bang", "lich thi lai xe", "lich thi gplx", "lich sat hach",
                  "ngay thi sat hach", "khi nao co dot thi", "dot sat hach"),
                 ("lich thi", "ky thi")),
    # "xe bị trộm trước nhà, giờ trình báo công an sao để tìm xe": a police investigation
    "tim_tai_san": (("de tim xe", "tim lai xe", "tim xe", "tim lai tai san", "truy tim"), ("tim",)),
    # "giấy khai sinh của e ghi sai năm sinh, giờ muốn cải chính lại": the correction of the civil-status record, not
    # the registration the paper comes from (the social-insurance book's "điều chỉnh thông tin" corrects too)
    # "tên mẹ bị ghi sai dấu ... muốn sửa", "sổ đỏ ghi sai ngày sinh", "quyết định giao đất ghi diện tích lệch ... muốn
    # xin điều chỉnh lại": a paper that says something wrong is corrected
    # (the card's exchange says "sai thông tin" in an alias, a land certificate's "đính chính ... có sai sót")
    "cai_chinh": (("cai chinh", "ghi sai", "bi sai", "in sai", "viet sai", "ghi nham", "sai sot", "xin dieu chinh",
                   "muon dieu chinh", "dieu chinh lai", "de nghi dieu chinh",
                   *(f"sai {what}" for what in ("ten", "ho ten", "ten dem", "ngay sinh", "nam sinh", "que quan",
                                                "thong tin", "dan toc", "gioi tinh"))),
                  ("cai chinh", "dieu chinh", "sua", "dinh chinh", "sai")),
    # "cty e nhập khẩu rượu ... báo kết quả hủy tem cho hải quan": trade and customs, not the "nhập khẩu" citizens
    # say for a permanent residence
    # ("kiểm dịch thực vật nhập khẩu làm online?": goods brought in, not a household's "nhập khẩu"; "cá ngừ … để nhập
    # khẩu qua cảng Nha Trang … trước khi tàu cập cảng": a ship's catch)
    "hai_quan": (("hai quan", "xuat nhap khau", "thue nhap khau", "hang nhap khau", "hang hoa nhap khau",
                  "nhap khau hang", "nguyen lieu nhap khau", "nhap khau nguyen lieu", "to khai nhap khau",
                  "nhap khau qua cang", "nhap khau qua cua khau", "cap cang",
                  *(f"{goods} nhap khau" for goods in ("thuc vat", "dong vat", "thuc pham", "san pham", "may moc",
                                                       "thiet bi", "giong cay", "phan bon", "thuc an chan nuoi",
                                                       # "cách ly kiểm dịch tôm giống nhập khẩu bao lâu"
                                                       "giong", "thuy san", "hai san"))),
                 ("hai quan", "nhap khau", "xuat khau", "hang hoa")),
    # "mới mua ô tô nhập khẩu, định đăng ký online": a vehicle brought in, registered as a vehicle, not the "nhập
    # khẩu" citizens say for a permanent residence
    "xe_nhap_khau": (tuple(f"{vehicle} nhap khau" for vehicle in ("xe", "o to", "oto", "xe hoi", "xe may", "xe tai")),
                     ("nhap khau", "xe")),
    # "xin visa du lịch Nhật Bản cần giấy tờ gì": another state's visa, which no Vietnamese procedure issues (not
    # the e-visa of a foreigner coming here)
    # "hộ chiếu còn hạn 5 tháng, đi Thái Lan thì bên đó có cho nhập cảnh không": another state's entry rule too, and
    # its licence ("đổi bằng lái Việt Nam sang bằng lái của Đức ở bên đó"; not a foreign licence changed for ours),
    "visa_nuoc_ngoai": ((*(f"{visa} {kind}{country}" for visa in ("visa", "thi thuc")
                           for kind in ("", "du lich ", "lao dong ", "du hoc ", "di ", "sang ", "cua ", "nao cua ")
                           for country in _STATES),
                         *(f"nhap canh {country}" for country in _STATES),
                         # a people's short name after the visa's kind or whose it is: "xin visa du lịch Nhật", "loại
                         # visa nào của Úc" (not "visa đi Úc", which a criminal record extract may be asked for)
                         *(f"{visa} {kind} {people}" for visa in ("visa", "thi thuc")
                           for kind in ("du lich", "lao dong", "du hoc", "ket hon", "tham than", "cua", "nao cua")
                           for people in _PEOPLES),
                         # or right after it, asked for: "xin visa Nhật" (not one held, "em mới có visa Mỹ" to settle
                         # there, nor "visa hạn 3 tháng", a foreigner's here)
                         *(f"{verb} {visa} {people}" for verb in ("xin", "lam") for visa in ("visa", "thi thuc")
                           for people in _PEOPLES if people != "han"),
                         *(f"sang {licence} {kind}{country}" for licence in ("bang lai", "giay phep lai xe", "bang")
                           for kind in ("", "cua ")
                           for country in (*_STATES, *_PEOPLES, "thai")),
                         # and its passport, asked for ("làm hộ chiếu Mỹ cho bé"; not one held, "chồng tôi mang hộ
                         # chiếu Mỹ", nor "hộ chiếu hạn …", hence "hàn quốc" whole)
                         *(f"{verb} ho chieu {kind}{country}" for verb in ("lam", "xin", "cap", "gia han", "doi")
                           for kind in ("", "cua ", "nuoc ")
                           for country in (*_STATES, *(c for c in _PEOPLES if c != "han"))),
                         "ben do co cho nhap canh", "ben do cho nhap canh", "nuoc do co cho nhap canh",
                         # a marriage visa is the spouse's state's ("phía Hàn Quốc yêu cầu những giấy tờ gì để xin
                         # visa kết hôn F-6"), not the marriage registered here
                         *(f"{visa} {kind}" for visa in ("visa", "thi thuc")
                           for kind in ("ket hon", "f6", "f 6", "vo chong"))),
                        ("dai su quan nuoc ngoai cap",)),
    # "hộ chiếu Việt Nam miễn visa nước nào": the states that waive a visa, which no record lists; not the waiver
    # certificate of Vietnamese abroad, whose names say it
    "mien_visa": (("mien visa", "mien thi thuc"), ("mien thi thuc",)),
    # "tập đoàn … thuộc diện áp dụng thuế tối thiểu toàn cầu … hạn chót đăng ký mã số thuế lần đầu": the registration of
    # the group's declaring unit, not a person's first tax number
    "thue_toan_cau": (("toi thieu toan cau",), ("toi thieu toan cau",)),
    # "công ty TNHH ... thống nhất chia thành hai công ty mới ... hồ sơ đăng ký doanh nghiệp cho công ty mới": the
    # registration of companies split off, not a new company's
    "chia_cong_ty": (tuple(f"{verb} {firm}" for verb in ("chia", "tach", "chia thanh hai", "chia thanh 2",
                                                         "tach thanh hai", "tach thanh 2")
                           for firm in ("cong ty", "cty", "doanh nghiep")),
                     ("chia cong ty", "tach cong ty", "chia doanh nghiep", "tach doanh nghiep")),
    # "mua căn hộ chung cư của chủ đầu tư ... cđt vẫn chưa làm sổ hồng": a home in a developer's project, whose
    # certificate has a procedure of its own, not the first registration of land one has used (not "chủ đầu tư là
    # tôi", the owner building a house)
    "du_an": (("cua chu dau tu", "cua cdt", *(f"{who} {late}" for who in ("chu dau tu", "cdt")
                                                   for late in ("chua", "van chua", "cham", "khong chiu"))),
              ("du an",)),
    # "tạm trú sắp hết hạn, phải gia hạn trước mấy ngày", "giấy phép xây dựng sắp hết hạn ... xin gia hạn": the
    # renewal, where one exists for the paper (``SOFT``); not what a paper is for ("lý lịch tư pháp để gia hạn visa")
    "gia_han": (("gia han",), ("gia han",)),
    # "đã có mst rồi, giờ đổi số điện thoại và email … khai tờ khai mẫu nào để cập nhật": a change of what is
    # registered, not the registration
    "thay_doi_thong_tin": (("cap nhat thong tin", "thay doi thong tin", "dieu chinh thong tin", "sua thong tin",
                            "doi so dien thoai", "thay so dien thoai", "doi email", "de cap nhat"),
                           ("thay doi", "dieu chinh", "cap nhat", "sua", "dinh chinh", "cai chinh", "doi", "bo sung")),
    # "cty e vừa nhận sáp nhập 1 cty khác, giờ đăng ký tăng vốn điều lệ sau sáp nhập": the change of the company that
    # absorbs another, not any change of capital. Not the provinces' merger ("sau sáp nhập tỉnh"). Not switching: "sáp
    # nhập công ty luật" and a dozen more mergers share "công ty" with the change asked.
    # (Not one absorbed: "trung tâm của e bị sáp nhập … chấm dứt mst" closes its tax number.)
    "sap_nhap": (("nhan sap nhap", *(f"sap nhap {n}{firm}" for n in ("", "1 ", "mot ", "them ")
                                                    for firm in ("cong ty", "cty", "doanh nghiep"))),
                 ("sap nhap",)),
    # "anh họ vay tiền không trả ... làm gì để đòi lại tiền": a civil claim
    "doi_no": (("doi lai tien", "doi tien", "doi no", "doi lai no", "quyt no", "xiet no"),
               ("doi no", "doi tien", "thi hanh an")),
}
_LEVEL_ORDER = {Level.xa: 0, Level.tinh: 1, Level.trung_uong: 2}
_QUALIFIER = re.compile(r"\((?:[^()]*)\)")
_WORDS = re.compile(r"[a-z0-9]+")


def folded_words(text: str) -> List[str]:
    """The words of ``text`` without marks, lower case: the form names and markers are compared in."""
    return _WORDS.findall(fold(text).lower())


def _phrase_at(phrase: str, words: Sequence[str]) -> List[int]:
    """Where ``phrase`` (folded, whole words) starts in ``words``."""
    needle = phrase.split()
    n = len(needle)
    return [i for i in range(len(words) - n + 1) if list(words[i:i + n]) == needle]


def _phrase_in(phrase: str, words: Sequence[str]) -> bool:
    return bool(_phrase_at(phrase, words))


@lru_cache(maxsize=16384)
def name_variants(name: str) -> FrozenSet[str]:
    """The variants an official name marks; the central level only where no other level is named ("... thực hiện tại
    cấp trung ương, cấp tỉnh, cấp xã" is every level's)."""
    words = folded_words(name)
    found = frozenset(v for v, markers in _NAME_MARKERS.items() if any(_phrase_in(m, words) for m in markers))
    if CENTRAL in found and any(_phrase_in(level, words) for level in ("cap tinh", "cap xa", "cap huyen")):
        found -= {CENTRAL}
    return found


def asked_variants(text: str) -> FrozenSet[str]:
    """The variants a citizen's message asks for. A country where someone of the letter only works or studies asks
    no foreign variant (``_only_at_work``)."""
    words = folded_words(text)
    return frozenset(v for v, markers in _QUERY_MARKERS.items() if any(_phrase_in(m, words) for m in markers)
                     and not (v == FOREIGN and _only_at_work(markers, words)))


# Where a Vietnamese works or studies for a while ("chồng em đi xklđ ở Đài Loan", "đang làm việc tại Hàn Quốc", "học
# ở nước ngoài về") is no foreign element of a marriage, a birth or a criminal record extract here; living or settled
# there may be ("sinh sống và làm việc tại Hàn Quốc", "định cư ở nước ngoài").
_AT = frozenset({"o", "tai", "ben", "sang", "qua"})
_AT_WORK = frozenset({"lam", "viec", "xkld", "lao", "hoc"})
# "sống", "sinh sống", "định cư", "cư trú" (not "cũ" or "Nam Định" alone, which fold alike)
_LIVING = ("song", "dinh cu", "cu tru")
WORK_WORDS, LIVING_WORDS = 3, 6


def _only_at_work(markers: Sequence[str], words: Sequence[str]) -> bool:
    """Every marker ``words`` hold is the place someone works or studies: right after "ở", "tại", "bên", "sang" (or
    starting with it: "ở nước ngoài"), with "làm", "việc", "xklđ", "lao [động]" or "học" a few words before and no
    word of living there (``_LIVING``) a few more words before."""
    def at_work(at: int) -> bool:
        prep = at if words[at] in _AT else at - 1
        if prep < 0 or words[prep] not in _AT:
            return False
        living = words[max(0, prep - LIVING_WORDS):prep]
        return bool(set(words[max(0, prep - WORK_WORDS):prep]) & _AT_WORK) \
            and not any(_phrase_in(phrase, living) for phrase in _LIVING)

    found = [i for marker in markers for i in _phrase_at(marker, words)]
    return bool(found) and all(at_work(i) for i in found)


# Reasons read from the whole letter, not only its question: the context says what the citizen holds ("được cấp
# giấy phép lái xe quân sự ... Xin hỏi cần giấy tờ gì") or what is gone ("sổ lưu cũng mất"), or what is built ("làm
# chủ đầu tư một nhà xưởng cấp II ... Xin hỏi nộp hồ sơ xin giấy phép xây dựng ở đâu"), or what tax it owes
# ("thuộc diện áp dụng thuế tối thiểu toàn cầu ... Xin hỏi hạn chót đăng ký mã số thuế"), or who asks ("Hội chúng
# tôi ... vừa có quyết định thành lập ... Cho tôi hỏi hội phải đăng ký mã số thuế trong bao lâu", "Tôi là người gốc
# Việt Nam chưa xác định được quốc tịch ... Cho tôi hỏi muốn điều chỉnh lại thì đến đâu làm").
LETTER_WIDE = frozenset({"quan_su", "cong_an", "hoa_giai_thuong_mai", "dang_ky_lai", "tai_phat", "tu_dich",
                         "tiep_tuc", "cap_cong_trinh", "thue_toan_cau", "xe_nhap_khau", "to_chuc", "khong_quoc_tich"})
# Between close candidates, what the context says is wrong with the paper sets apart the one that does not correct
# it: "Giấy khai sinh của tôi ... bị ghi sai tên đệm, tôi muốn sửa lại ... Cho tôi hỏi giấy ủy quyền cho mẹ tôi có
# phải chứng thực không" is the correction's question, not the birth registration's. (Not for one procedure found:
# "vừa làm cải chính tên xong, giờ muốn đổi cccd" asks no correction.)
CANDIDATES_WIDE = LETTER_WIDE | {"cai_chinh"}


def set_apart(text: str, proc: Procedure, keys: FrozenSet[str] | None = None) -> FrozenSet[str]:
    """What the message asks that the procedure's name and aliases do not say: reasons not to answer it (only those
    of ``keys``, when given)."""
    words = folded_words(text)
    travel = _names_say(proc, _TRAVEL)
    asked = [k for k, (said, _) in _SET_APART.items()
             if (keys is None or k in keys) and any(_phrase_in(m, words) for m in said)
             and not (k == "nuoc_ngoai" and (travel and _only_destinations(said, words) or _only_at_work(said, words)))
             and not (k in ("nuoc_ngoai", "visa_nuoc_ngoai", "gia_han") and _only_purposes(said, words))]
    found = frozenset(k for k in asked if not _names_say(proc, _SET_APART[k][1], official=k in _OFFICIAL_ONLY))
    if (keys is None or ORGANISATION in keys) and _ORGANISATION_ASKS.search(" ".join(words)) \
            and not _serves_organisations(proc):
        found |= {ORGANISATION}
    if (keys is None or GRADE in keys) and _other_grade(words, proc):
        found |= {GRADE}
    return found


# A construction's grade ("nhà xưởng công trình cấp II trong KCN", "nhà xưởng cấp II", "nhà cấp 4"): a procedure
# whose official name lists other grades ("công trình cấp III, cấp IV ... và nhà ở riêng lẻ") is not the one asked.
# Not "trường cấp 2" (a school), "cán bộ cấp 2".
GRADE = "cap_cong_trinh"
_GRADE_DIGITS = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}
_ASKED_GRADE = re.compile(
    r"\b(?:cong trinh|nha xuong|nha may|nha kho|toa nha|cao oc|nha) cap (dac biet|iv|iii|ii|i|1|2|3|4)\b")
_NAMED_GRADE = re.compile(r"\bcap (dac biet|iv|iii|ii|i)\b")


def _other_grade(words: Sequence[str], proc: Procedure) -> bool:
    """The message says a construction's grade and the procedure's official name (a curated entry's: its record's,
    "Cấp giấy phép xây dựng nhà ở riêng lẻ" stands for "... công trình cấp III, cấp IV ...") lists grades without
    it."""
    asked = {_GRADE_DIGITS.get(g, g) for g in _ASKED_GRADE.findall(" ".join(words))}
    if not asked:
        return False
    record = getattr(proc, "record", None)
    official = " ".join(w for n in (proc.name, record.name if record is not None else "") for w in folded_words(n))
    named = set(_NAMED_GRADE.findall(official))
    return bool(named) and not asked & named


# An organisation asking for itself ("doanh nghiệp bên em có dự án cần chuyển mục đích sử dụng rừng", "cơ quan nhà
# nước muốn xin phiếu lltp của người sắp tuyển dụng", "cty e muốn xin evisa cho chuyên gia", "công ty e đang sử
# dụng đất làm nhà xưởng ... xin cấp sổ đỏ lần đầu"): a procedure whose
# record serves only individuals is not the one it asks about. Not a company asking its worker ("công ty muốn em
# nộp lý lịch tư pháp"), nor one a worker only mentions ("công ty em nợ bảo hiểm") or works at ("mình đi làm công
# ty, muốn đk người phụ thuộc").
# An association just founded asks for itself too ("hội từ thiện của e vừa có quyết định thành lập của UBND tỉnh ...
# phải đăng ký mst"); not a company just founded, whose registration gave it its tax number. "hội" only with what
# it is for or whose it is: "hoi" alone is "hỏi".
ORGANISATION = "to_chuc"
_PRONOUN = r"(?:\s+(?:ben|cua))?(?:\s+(?:em|e|toi|minh|chung toi|chung em))?"
_ORGANISATION_ASKS = re.compile(
    r"(?<!\blam )(?<!\bo )(?<!\btai )"
    r"\b(?:doanh nghiep|cong ty|cty|co quan nha nuoc|to chuc|hop tac xa|htx|ngan hang thuong mai|nhtm)" + _PRONOUN
    + r"\s+(?:muon|can|dinh|xin|de nghi|co du an|lam thu tuc|(?:dang )?su dung dat)\b"
    r"(?!\s+(?:em|e|toi|minh|nguoi lao dong|nld|nhan vien)\b)"
    r"|\b(?:to chuc|(?:hoi|quy) (?:tu thien|bao tro|khuyen hoc)|hiep hoi)" + _PRONOUN
    + r"\s+(?:vua|moi) (?:duoc )?(?:co quyet dinh )?thanh lap\b"
    # "Hội chúng tôi là một hội nghề nghiệp ở Cần Thơ, vừa có quyết định thành lập": the association says so of
    # itself; not "cho em hỏi chúng tôi mới thành lập công ty" (asking)
    r"|(?<!\bcho )(?<!\bxin )(?<!\bmuon )(?<!\bcan )(?<!\bem )(?<!\be )(?<!\btoi )(?<!\bminh )"
    r"\b(?:hoi|quy|hiep hoi) (?:chung toi|chung em|cua (?:em|e|toi|minh|chung toi))\b(?:\s+\w+){0,10}?"
    r"\s+(?:vua|moi) (?:duoc )?(?:co )?(?:quyet dinh )?thanh lap\b")
_ORGANISATION_APPLICANTS = re.compile(r"\b(?:to chuc|doanh nghiep|hop tac xa)\b")
_ORGANISATION_NAMES = ("doanh nghiep", "to chuc", "cong ty", "co quan", "hop tac xa")


def _serves_organisations(proc: Procedure) -> bool:
    """The record lists an organisation among who may file it, or the names say one. A procedure whose record lists
    no one (a curated entry without a record) is not set apart: nothing says it serves individuals only. An official
    name for individuals alone serves none, whoever files it for them ("Đăng ký thuế lần đầu đối với người nộp thuế
    là cá nhân" lists organisations, which register their workers)."""
    if _names_say(proc, _ORGANISATION_NAMES):
        return True
    record = getattr(proc, "record", None)
    if any(_phrase_in("ca nhan", folded_words(n)) for n in (proc.name, record.name if record is not None else "")):
        return False
    applicants = getattr(proc, "applicants", "") or getattr(record, "applicants", "")
    if not applicants:
        return True
    return bool(_ORGANISATION_APPLICANTS.search(fold(applicants).lower()))


# Reasons the official name alone must explain: the aliases citizens give a permanent residence say "nhập khẩu" in
# another sense (the household book), not the import of goods.
_OFFICIAL_ONLY = frozenset({"hai_quan", "xe_nhap_khau"})


# Reasons that name another action on the same paper: the procedure whose names say it is the one asked ("làm lại gks
# ... sổ cũ cũng ko còn" is the birth's registration again). Not the others: "người nước ngoài", "công trình cấp II"
# set a procedure apart from many close ones, and the development questions got a wrong neighbour for each.
SWITCHING = frozenset({"dang_ky_lai", "quan_su", "cong_an", "hoa_giai_thuong_mai", "cai_chinh", "khoi_phuc", "quoc_te",
                       "tai_phat", "tu_dich", "tam_ngung", "tiep_tuc", "du_an", "gia_han", "chia_cong_ty", "to_tung"})
# Reasons that switch to the procedure whose names say them where one is found, and are no reason to decline where
# none is: "hộ chiếu sắp hết hạn xin gia hạn được không" is the passport's own question (it is not renewed).
SOFT = frozenset({"gia_han"})


def explains(proc: Procedure, keys: FrozenSet[str]) -> bool:
    """The procedure's name or aliases say what each of ``keys`` (from ``set_apart``, all of ``SWITCHING``) needs
    them to say."""
    return bool(keys) and keys <= SWITCHING and all(_names_say(proc, _SET_APART[k][1]) for k in keys)


# Words of official names that say what is done, not to which paper: "đăng ký", "cấp lại", "giấy chứng nhận".
_ACTION_WORDS = frozenset({"thu", "tuc", "dang", "ky", "cap", "lai", "doi", "moi", "giay", "chung", "nhan", "va", "cho",
                           "cua", "nguoi", "viec", "thay", "bo", "sung", "thong", "tin", "tai", "o", "trong", "theo",
                           "lam", "xin", "sua", "cai", "chinh", "dieu", "phep", "thanh", "lap"})


def same_paper(proc: Procedure, other: Procedure, whole: bool = False) -> bool:
    """``other``'s name or an alias shares a word of the paper with ``proc``'s name ("khai sinh", "kết hôn", "xe"): a
    procedure on the same paper, not one that only shares the action ("đăng ký lại"). ``whole``: every word of it
    ("hộ kinh doanh", not the "kinh doanh" of a company's)."""
    own = set(folded_words(proc.name)) - _ACTION_WORDS
    if whole:
        return bool(own) and any(own <= set(folded_words(n)) for n in (other.name, *other.aliases))
    return any(own & set(folded_words(n)) for n in (other.name, *other.aliases))


# Not the border's words: "khu vực", "biển" are the papers of other names ("Quyết định giao khu vực biển").
_VARIANT_WORDS = frozenset(w for v, markers in _NAME_MARKERS.items() if v != BORDER for m in markers for w in m.split())


def paper_said(text: str, proc: Procedure) -> bool:
    """The message says the paper the procedure's official name acts on, word for word, its variant aside: "mất giấy
    đăng ký kết hôn" says the "kết hôn" of "Thủ tục đăng ký lại kết hôn có yếu tố nước ngoài"."""
    paper = [w for w in folded_words(proc.name) if w not in _ACTION_WORDS | _VARIANT_WORDS]
    return bool(paper) and _phrase_in(" ".join(paper), folded_words(text))


# A passport is for going abroad: "cho bé đi du lịch Thái Lan", "sang Nhật du học" name where the holder goes, not a
# foreign element of the procedure ("mất hộ chiếu ở Nhật" still is one).
_TRAVEL = ("ho chieu",)
_TOWARDS = frozenset({"di", "sang", "qua", "lich", "hoc", "toi", "den", "ra"})


PURPOSE_WORDS = 6


# What comes before a "để" that asks for the thing itself, not for a paper it is for.
_ASKING_WHAT = frozenset({("thu", "tuc"), ("to", "gi"), ("to", "nao"), ("so", "gi"), ("can", "gi"), ("nhung", "gi")})


def _only_purposes(markers: Sequence[str], words: Sequence[str]) -> bool:
    """Every marker ``words`` hold says what the paper is for, a few words after "để": "xin giấy xác nhận độc thân
    để kết hôn với người nước ngoài" is the domestic certificate. Not after "đề nghị" ("đề nghị cấp thẻ cho người
    nước ngoài"), which folds alike; nor after "thủ tục để", which asks for the thing itself ("thủ tục để đổi bằng
    lái Việt Nam sang bằng lái của Đức"), nor after asking which papers, which asks for the thing itself too ("phía
    Hàn Quốc yêu cầu những giấy tờ gì để xin visa kết hôn F-6")."""
    def purpose(at: int) -> bool:
        start = max(0, at - PURPOSE_WORDS)
        return any(w == "de" and words[i + 1:i + 2] != ["nghi"] and tuple(words[max(0, i - 2):i]) not in _ASKING_WHAT
                   for i, w in enumerate(words[start:at], start))

    found = [i for marker in markers for i in _phrase_at(marker, words)]
    return bool(found) and all(purpose(i) for i in found)


def _only_destinations(markers: Sequence[str], words: Sequence[str]) -> bool:
    """Every marker ``words`` hold is a place gone to: written right after "đi", "sang", "du lịch"..."""
    return all(i > 0 and words[i - 1] in _TOWARDS for marker in markers for i in _phrase_at(marker, words))


def _names_say(proc: Procedure, phrases: Sequence[str], official: bool = False) -> bool:
    """The procedure's name or one of its aliases (``official``: its name alone) says one of ``phrases`` (folded,
    whole words)."""
    names = [folded_words(n) for n in (proc.name, *(() if official else proc.aliases))]
    return any(_phrase_in(m, n) for m in phrases for n in names)


# A paper the citizen has lost ("bị mất giấy khai sinh", "làm mất sổ đỏ", "giấy đăng ký xe bị mất", "thất lạc"): it
# is issued again, copied or reported lost, not applied for the first time. Not "mất việc", "mất tích", "bố mất".
_PAPER = (r"(?:giay|so|the|bang|ho chieu|can cuoc|cccd|cmnd|chung minh|phieu|ban chinh|ban goc|bhyt|gplx|ho so"
          r"|dang ky xe|dang ky kinh doanh|dkkd)")
# "bị cháy mất", "bị trộm mất", "bị cuốn trôi mất", "không may rơi mất": gone all the same
_HOW_LOST = r"(?:(?:chay|trom|cuop|giat|cuon troi|troi|lu cuon|roi)\s+)?"
_LOST = re.compile(
    r"\b(?:bi|lam|danh|da|vua|lo|lo lam)\s+" + _HOW_LOST + r"mat\s+(?:\w+\s+){0,2}?" + _PAPER + r"\b"
    # "mất ví, mất luôn cả thẻ"
    r"|\bmat\s+(?:luon\s+)?(?:ca\s+)?(?:cai\s+)?" + _PAPER + r"\b"
    r"|\b" + _PAPER + r"\b(?:\s+\w+){0,10}?\s+(?:bi|da|vua|khong may)\s+" + _HOW_LOST + r"(?:mat|that lac|danh roi)\b"
    r"(?!\s+(?:viec|tich|nang luc|gia tri|hieu luc))"
    r"|\b(?:that lac|danh roi)\b"
)
# How the name of a procedure for a lost paper reads.
_REISSUE = ("cap lai", "bi mat", "ban sao", "trich luc", "dang ky lai", "trinh bao mat", "khoi phuc")


# "mặt bằng" (premises) folds as "mất bằng" (a lost licence) does: written with marks it is told apart; without them,
# premises are rented ("thuê mat bang").
_PREMISES = re.compile(r"\bmặt\b|\bthue mat\b")


def reports_loss(text: str) -> bool:
    """The message says a paper was lost (see ``_LOST``), within one clause: "sổ đỏ đứng tên bố tôi, bố tôi bị mất năm
    ngoái" is a parent who died."""
    return bool(loss_clause(text))


def loss_clause(text: str) -> str:
    """The clause of the message that says a paper was lost, folded ("" if none)."""
    kept = _PREMISES.sub(" ", unicodedata.normalize("NFC", text).lower())
    return next((folded for clause in CLAUSE_BREAKS.split(kept)
                 if _LOST.search(folded := " ".join(folded_words(clause)))), "")


# A paper named right after a copy verb is what is copied ("sao y cccd", "công chứng sổ đỏ", "chứng thực giấy khai
# sinh"): the citizen asks for a certified copy, not for the procedure that issues the paper. Not a signature, a
# contract or a translation, which have certifications of their own.
_COPIED = re.compile(
    r"\b(?:sao y|photo cong chung|photo|cong chung|chung thuc)\s+"
    r"((?:ban sao\s+|ban chinh\s+)?)((?!chu ky|chu ki|hop dong|giao dich|ban dich|di chuc|van ban|nguoi dich|thoa thuan"
    r"|mua ban|chuyen nhuong|tang cho|thua ke|uy quyen|cam ket)[a-z0-9]+(?:\s+[a-z0-9]+){0,5})"
)


def copied_paper(text: str) -> Tuple[str, ...]:
    """The words after a copy verb, up to the end of its clause, that may name the paper copied (see ``_COPIED``):
    with "bản sao" when it is written ("chứng thực bản sao giấy khai sinh") and without; () when none."""
    for clause in re.split(r"[,.;:?!()\n]", fold(text).lower()):
        found = _COPIED.search(" ".join(_WORDS.findall(clause)))
        if found:
            return tuple(dict.fromkeys((found.group(1) + found.group(2), found.group(2))))
    return ()


# A letter whose writer lives abroad ("tôi đang sống ở nước ngoài từ năm 1978"): wherever its question turns, a
# procedure for residents here is not theirs unless its names say abroad.
_ABROAD = re.compile(r"\b(?:dang song|song|dinh cu|cu tru|sinh song|dang o)\s+(?:o|tai)\s+nuoc ngoai\b")


def lives_abroad(text: str, proc: Procedure) -> bool:
    """The message says its writer lives abroad and the procedure's names do not say abroad (see ``_ABROAD``)."""
    if not _ABROAD.search(" ".join(folded_words(text))):
        return False
    return not _names_say(proc, _SET_APART["nuoc_ngoai"][1])


def reissues(proc: Procedure) -> bool:
    """The procedure's name or an alias says it is for a paper issued again, copied or lost."""
    return _names_say(proc, _REISSUE)


def reports_the_loss(proc: Procedure) -> bool:
    """The procedure reports a paper lost ("Trình báo mất hộ chiếu phổ thông"); it issues nothing."""
    return _names_say(proc, ("trinh bao mat",), official=True)


# The reissue verbs a reissue's name starts its parts with; what follows is the paper ("Cấp lại Giấy chứng nhận đăng
# ký hộ kinh doanh, Cấp đổi sang Giấy chứng nhận ..."). A paper of fewer words is too vague to name one procedure.
_REISSUE_VERB = re.compile(r"^(?:thu tuc\s+)?(?:cap lai|cap doi sang|cap doi|cap ban sao|cap)\s+")
REISSUED_PAPER_WORDS = 4


@lru_cache(maxsize=16384)
def reissued_papers(name: str) -> Tuple[str, ...]:
    """The papers a reissue's name says it issues again, folded: "cấp lại giấy chứng nhận đăng ký hộ kinh doanh" gives
    "giay chung nhan dang ky ho kinh doanh"; none of fewer than ``REISSUED_PAPER_WORDS`` words ("giấy chứng nhận")."""
    papers = []
    for part in re.split(r"[,;(]", name):
        words = " ".join(folded_words(part))
        if not _REISSUE_VERB.match(words):
            continue
        paper = _REISSUE_VERB.sub("", words).split(" do ")[0].strip()
        if len(paper.split()) >= REISSUED_PAPER_WORDS:
            papers.append(paper)
    return tuple(papers)


# The office a name says it is filed at, which its other levels' names say differently or not at all ("Cấp thẻ tạm trú
# cho người nước ngoài tại Cục Quản lý xuất nhập cảnh, Bộ Công an" and "... tại Việt Nam tại Công an cấp tỉnh"): the
# level, not the procedure. "tại Việt Nam" says where a foreigner is, which every such name says or implies.
_AGENCY = re.compile(
    r" tai (?:(?:cuc|phong) quan ly xuat nhap canh(?: bo cong an| cong an tinh thanh pho truc thuoc trung uong)?"
    r"|cong an|viet nam)(?= )")


@lru_cache(maxsize=16384)
def family_key(name: str) -> str:
    """The name without level qualifiers, variant markers and 'thủ tục': what the variants share."""
    text = fold(_QUALIFIER.sub(" ", name)).lower()
    words = _WORDS.findall(text)
    if words[:2] == ["thu", "tuc"]:
        words = words[2:]
    joined = f" {' '.join(words)} "
    for markers in _NAME_MARKERS.values():
        for marker in markers:
            joined = joined.replace(f" {marker} ", " ")
    for level in ("cap xa", "cap tinh", "cap huyen", "cap trung uong", "cap bo"):
        joined = re.sub(rf" (?:thuc hien )?(?:tai |o )?{level} ", " ", joined)
    return " ".join(_AGENCY.sub(" ", joined).split())


def _level_rank(proc: Procedure) -> float:
    rank = min((_LEVEL_ORDER.get(level, 3) for level in proc.levels), default=3)
    # District level ended on 1 July 2025; a record still named for it comes after its successors.
    return rank + (0.5 if "cap huyen" in fold(proc.name).lower() else 0)


def _variants(proc: Procedure) -> FrozenSet[str]:
    """The variants a member of a family is: those its name marks, and the central or provincial level when it is
    filed only there ("Xác nhận, cung cấp thông tin liên quan đến xuất nhập cảnh" at the Immigration Department,
    whose name says nothing of it, and at the commune police)."""
    levels = set(proc.levels)
    only = {CENTRAL} if levels == {Level.trung_uong} else {PROVINCE} if levels == {Level.tinh} else set()
    return name_variants(proc.name) | only


@dataclass(frozen=True)
class Member:
    procedure_id: str
    variants: FrozenSet[str]
    rank: float
    imported: bool


class Families:
    """Procedures grouped by :func:`family_key`, to find a variant or the default member."""

    def __init__(self, procedures: Iterable[Procedure], names: Dict[str, List[str]] | None = None):
        self._key_of: Dict[str, List[str]] = {}
        self._members: Dict[str, List[Member]] = {}
        for proc in procedures:
            own_names = [proc.name, *(names or {}).get(proc.id, [])]
            keys = list(dict.fromkeys(family_key(n) for n in own_names if family_key(n)))
            self._key_of[proc.id] = keys
            member = Member(proc.id, _variants(proc), _level_rank(proc), isinstance(proc, NationalProcedure))
            for key in keys:
                self._members.setdefault(key, []).append(member)

    def choose(self, procedure_id: str, asked: FrozenSet[str]) -> str:
        """The member of ``procedure_id``'s family the citizen means.

        The members with exactly the asked variants (none: the domestic one), else
        those with at least them; among those, the level that serves citizens, a
        curated entry before an imported record. ``procedure_id`` itself when its
        family has nothing that fits.
        """
        members = [m for key in self._key_of.get(procedure_id, []) for m in self._members.get(key, [])]
        # An audience is no variant of a name: "bố tôi công tác ở Bộ Công an ... hộ chiếu" still asks the passport of
        # the variant the rest of the message asks for (``KnowledgeBase.search`` reads the audience).
        asked = asked - AUDIENCES
        fitting = [m for m in members if m.variants == asked] or [m for m in members if asked <= m.variants]
        if not fitting:
            return procedure_id
        return min(fitting, key=lambda m: (len(m.variants), m.rank, m.imported, m.procedure_id)).procedure_id

"""Generated documents that read like a provincial office's: numbers and symbols, trích yếu, senders, text.

Decree 30 / 36-HD/VPTW numbers and symbols (``1234/SNV-TCBC``, ``15/QĐ-UBND``, ``12/2024/NQ-HĐND``,
``57-NQ/TW``, ``123-CV/TU``), Vietnamese abstracts citing real resolutions, realistic senders (Sở, Ban,
UBND huyện/xã, Bộ) and about 2 KB of body text built from real administrative phrasing, with topics
drawn by a Zipf law (some words in half the documents, some in a handful). Document ``i`` of a corpus
depends only on the seed, the corpus size and ``i``.

Two users: the search benchmarks' corpus (``bench/doc_corpus.py``: ten years, 2016-2025, loaded in
bulk) and the demo office's previous-year register (``documents.demo_history``), which borrows the
vocabulary and the symbol rules. Pure Python: no Django imports.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

INCOMING_SHARE = 700 / 860
FIRST_DAY = datetime.date(2016, 1, 1)
DAYS = (datetime.date(2025, 12, 31) - FIRST_DAY).days + 1
BODY_CHARS = 2_000

# --- vocabulary --------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


PLACE_SYLLABLES = _words(
    "An Bình Tân Hòa Phú Thạnh Long Vĩnh Đức Sơn Hải Quảng Nghĩa Trà Ba Minh Thanh Xuân Đông Tây Nam Bắc "
    "Hưng Lộc Phước Cẩm Diên Ninh Kim Hồng Lập Thịnh Thuận Mỹ Lợi Khánh Hiệp Trung Thượng Hạ"
)
FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Mai Tạ")
MIDDLE = _words("Văn Thị Minh Hữu Đức Thanh Quốc Ngọc Xuân Thu Công Đình Kim Bảo")
GIVEN = _words(
    "An Anh Bình Cường Dũng Dung Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Nga "
    "Nghĩa Phong Phúc Quang Sơn Tâm Thảo Thắng Thủy Trang Trung Tuấn Vân Việt Yến"
)
POSITIONS = ["Chánh Văn phòng", "Phó Chánh Văn phòng", "Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch",
             "Bí thư", "Phó Bí thư", "Trưởng ban", "Phó Trưởng ban"]  # fmt: skip

# Senders: (name, issuer abbreviation in symbols, party?, weight)
SENDERS: list[tuple[str, str, bool, float]] = [
    ("Ban Chấp hành Trung ương", "TW", True, 1.0),
    ("Văn phòng Trung ương Đảng", "VPTW", True, 2.0),
    ("Ban Tổ chức Tỉnh ủy", "BTCTU", True, 5.0),
    ("Ban Tuyên giáo Tỉnh ủy", "BTGTU", True, 4.0),
    ("Ban Dân vận Tỉnh ủy", "BDVTU", True, 3.0),
    ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU", True, 3.0),
    ("Ban Nội chính Tỉnh ủy", "BNCTU", True, 2.0),
    ("Đảng ủy Khối các cơ quan tỉnh", "ĐUK", True, 4.0),
    ("Ủy ban nhân dân tỉnh Sơn Hà", "UBND", False, 12.0),
    ("Hội đồng nhân dân tỉnh Sơn Hà", "HĐND", False, 3.0),
    ("Sở Nội vụ", "SNV", False, 5.0),
    ("Sở Tài chính", "STC", False, 5.0),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", False, 4.0),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", False, 3.0),
    ("Sở Y tế", "SYT", False, 3.0),
    ("Sở Tài nguyên và Môi trường", "STNMT", False, 3.0),
    ("Sở Xây dựng", "SXD", False, 2.0),
    ("Sở Giao thông vận tải", "SGTVT", False, 2.0),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNN", False, 3.0),
    ("Sở Công Thương", "SCT", False, 2.0),
    ("Sở Thông tin và Truyền thông", "STTTT", False, 2.0),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", False, 2.0),
    ("Sở Tư pháp", "STP", False, 2.0),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", False, 2.0),
    ("Sở Khoa học và Công nghệ", "SKHCN", False, 1.5),
    ("Công an tỉnh", "CAT", False, 2.0),
    ("Bộ Chỉ huy Quân sự tỉnh", "BCHQS", False, 1.5),
    ("Bộ Nội vụ", "BNV", False, 1.0),
    ("Bộ Tài chính", "BTC", False, 1.0),
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT", False, 0.8),
    ("Văn phòng Chính phủ", "VPCP", False, 1.0),
    ("Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQ", False, 1.5),
]
DISTRICTS = ["Sơn Tịnh", "Bình Sơn", "Tư Nghĩa", "Mộ Đức", "Đức Phổ", "Ba Tơ", "Minh Long", "Nghĩa Hành",
             "Sơn Tây", "Trà Bồng", "Lý Sơn", "Sơn Hà"]  # fmt: skip

# (key, name, State abbreviation, Party abbreviation, weight)
TYPES: list[tuple[str, str, str, str, float]] = [
    ("cong-van", "Công văn", "", "CV", 40.0),
    ("bao-cao", "Báo cáo", "BC", "BC", 12.0),
    ("ke-hoach", "Kế hoạch", "KH", "KH", 9.0),
    ("quyet-dinh", "Quyết định", "QĐ", "QĐ", 8.0),
    ("thong-bao", "Thông báo", "TB", "TB", 8.0),
    ("giay-moi", "Giấy mời", "GM", "GM", 8.0),
    ("to-trinh", "Tờ trình", "TTr", "TTr", 4.0),
    ("nghi-quyet", "Nghị quyết", "NQ", "NQ", 3.0),
    ("huong-dan", "Hướng dẫn", "HD", "HD", 3.0),
    ("chi-thi", "Chỉ thị", "CT", "CT", 1.5),
    ("chuong-trinh", "Chương trình", "CTr", "CTr", 1.5),
    ("ket-luan", "Kết luận", "KL", "KL", 1.0),
    ("cong-dien", "Công điện", "CĐ", "CĐ", 1.0),
]
UNITS = ["VX", "KT", "NC", "TH", "KTN", "TCBC", "HCTC", "QLĐT", "NV", "KGVX"]

# Topics, most frequent first; a document draws them with Zipf weights, so the tail is rare.
TOPICS = [
    "chuyển đổi số", "cải cách hành chính", "phát triển kinh tế - xã hội", "công tác cán bộ",
    "xây dựng Đảng và hệ thống chính trị", "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "giải ngân vốn đầu tư công", "xây dựng nông thôn mới", "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "sắp xếp tổ chức bộ máy tinh gọn", "tinh giản biên chế", "bảo đảm trật tự an toàn giao thông",
    "bảo vệ môi trường", "đại hội đảng bộ các cấp", "giảm nghèo bền vững", "công tác dân vận",
    "quốc phòng, an ninh", "thu ngân sách nhà nước", "quy hoạch tỉnh thời kỳ 2021-2030",
    "giáo dục và đào tạo", "y tế cơ sở", "phòng, chống dịch Covid-19", "bảo hiểm xã hội, bảo hiểm y tế",
    "công tác kiểm tra, giám sát của Đảng", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "bầu cử đại biểu Quốc hội và Hội đồng nhân dân", "thi đua, khen thưởng", "công tác tuyên giáo",
    "phát triển đảng viên mới", "thực hành tiết kiệm, chống lãng phí", "quản lý đất đai",
    "giải quyết khiếu nại, tố cáo", "tiếp công dân", "văn thư, lưu trữ", "an toàn thông tin mạng",
    "xây dựng chính quyền điện tử", "dịch vụ công trực tuyến", "đầu tư xây dựng cơ bản", "phát triển du lịch",
    "chương trình mục tiêu quốc gia", "nhà ở xã hội", "xóa nhà tạm, nhà dột nát", "an sinh xã hội",
    "đền ơn đáp nghĩa", "phòng cháy, chữa cháy", "khai thác khoáng sản trái phép", "quản lý thị trường",
    "xuất khẩu lao động", "chăm sóc sức khỏe nhân dân", "phổ biến, giáo dục pháp luật", "công tác tôn giáo",
    "đồng bào dân tộc thiểu số", "phát triển hợp tác xã", "kinh tế tư nhân", "thu hút đầu tư",
    "khu công nghiệp Dung Quất", "cao tốc Quảng Ngãi - Hoài Nhơn", "cảng biển nước sâu", "điện gió ngoài khơi",
    "điện mặt trời mái nhà", "thủy điện nhỏ", "hồ chứa nước Nước Trong", "kênh mương nội đồng",
    "nước sạch nông thôn", "sạt lở bờ biển", "xâm nhập mặn", "bão số 9 (Molave)", "lũ quét và sạt lở đất",
    "dịch tả lợn châu Phi", "cúm gia cầm A/H5N1", "trồng rừng gỗ lớn", "phòng cháy chữa cháy rừng",
    "khai thác hải sản bất hợp pháp, không báo cáo (IUU)", "tàu cá vỏ thép", "huyện đảo Lý Sơn",
    "tỏi Lý Sơn", "quế Trà Bồng", "sâm Ngọc Linh", "di tích Thành cổ Châu Sa", "văn hóa Sa Huỳnh",
    "lễ hội Khao lề thế lính Hoàng Sa", "Trường Lũy", "chè Minh Long", "bò Ba Tơ", "đường Trường Sơn Đông",
    "voọc chà vá chân xám", "rừng ngập mặn An Khánh", "đầm An Khê", "gốm Mỹ Thiện", "mạch nha Thi Phổ",
    "cá bống sông Trà", "kẹo gương", "don Quảng Ngãi", "hát bài chòi", "cồng chiêng Hrê", "thổ cẩm Ca Dong",
    "nhà rông Xơ Đăng", "ruộng bậc thang Ba Tơ", "suối khoáng nóng Nghĩa Thuận", "thác Trắng Minh Long",
]  # fmt: skip
REFERENCES = [
    "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, "
    "đổi mới sáng tạo và chuyển đổi số quốc gia",
    "Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII "
    "một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động "
    "hiệu lực, hiệu quả",
    "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh",
    "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW",
    "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
    "Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số "
    "quốc gia đến năm 2025, định hướng đến năm 2030",
    "Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị về đổi mới công tác xây dựng và thi hành pháp luật",
    "Nghị quyết số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị về phát triển kinh tế tư nhân",
    "Quy định số 144-QĐ/TW ngày 09/5/2024 của Bộ Chính trị về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên",
    "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
]
OPENINGS = [
    "Căn cứ {ref};",
    "Thực hiện {ref};",
    "Thực hiện chỉ đạo của Thường trực Tỉnh ủy tại Công văn số {cv} ngày {date};",
    "Theo đề nghị của {sender} tại Tờ trình số {tt} ngày {date};",
    "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XX, nhiệm kỳ 2020-2025;",
]
SENTENCES = [
    "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố triển khai "
    "thực hiện nghiêm túc các nội dung về {topic}.",
    "Giao {sender} chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu triển khai {topic}, báo cáo "
    "kết quả về Văn phòng Tỉnh ủy trước ngày {date}.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo về {sender} "
    "để tổng hợp, trình cấp có thẩm quyền xem xét, giải quyết.",
    "Năm {year}, toàn tỉnh đã hoàn thành {pct}% kế hoạch về {topic}, vượt {small} chỉ tiêu so với cùng kỳ.",
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tăng cường lãnh đạo, chỉ đạo công tác {topic}, "
    "gắn với trách nhiệm người đứng đầu.",
    "Đồng chí {person}, {position} {sender}, chủ trì hội nghị; dự có đại diện lãnh đạo các sở, ngành và "
    "Ủy ban nhân dân huyện {district}.",
    "Tổ chức hội nghị sơ kết {small} năm thực hiện {topic} tại hội trường Ủy ban nhân dân huyện {district} "
    "vào lúc {hour} giờ 00 ngày {date}.",
    "Kinh phí thực hiện từ nguồn ngân sách tỉnh năm {year}, tổng số {money} triệu đồng, được phân bổ cho "
    "xã {commune}, huyện {district}.",
    "Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện {topic}, định kỳ hằng quý báo cáo Thường trực Tỉnh ủy.",
    "Đề nghị Ủy ban nhân dân xã {commune} rà soát, thống kê số liệu về {topic} trên địa bàn, gửi về {sender} "
    "trước ngày {date} để tổng hợp.",
    "Qua kiểm tra tại xã {commune}, đoàn công tác nhận thấy việc triển khai {topic} còn chậm, chưa đạt tiến độ "
    "đề ra; một số cán bộ, công chức chưa phát huy hết trách nhiệm.",
    "Kết quả giải ngân đến ngày {date} đạt {money} triệu đồng, bằng {pct}% kế hoạch vốn được giao.",
    "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về kết quả {topic} "
    "tại cơ quan, đơn vị mình.",
    "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy phụ trách địa bàn tăng cường kiểm tra, giám sát việc "
    "thực hiện {topic} ở cơ sở.",
    "Văn bản này thay thế Công văn số {cv} ngày {date} của {sender}.",
]
CLOSINGS = [
    "Nơi nhận: Như trên; Thường trực Tỉnh ủy (báo cáo); Lưu Văn phòng Tỉnh ủy.",
    "Nơi nhận: Các sở, ban, ngành; UBND các huyện, thị xã, thành phố; Lưu: VT, {unit}.",
    "T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ {upper}.",
    "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH {upper}.",
]


# The topics any province has (the rest of TOPICS are places and products of one real province).
GENERIC_TOPICS = TOPICS[: TOPICS.index("khu công nghiệp Dung Quất")]


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


TOPIC_WEIGHTS = zipf_weights(len(TOPICS))
SENDER_WEIGHTS = [s[3] for s in SENDERS]
TYPE_WEIGHTS = [t[4] for t in TYPES]


@dataclass(frozen=True)
class Generated:
    incoming: bool
    type_key: str
    number_symbol: str
    abstract: str
    sender_index: int  # -1 for outgoing
    sender_name: str
    signer_name: str
    signer_position: str
    document_date: datetime.date
    arrived_days: int
    urgency: int
    secrecy: int
    status: str
    body: str
    assigned_unit: int  # index into the office's units, -1 when not assigned


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def place_name(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_SYLLABLES)} {rng.choice(PLACE_SYLLABLES)}"


def date_text(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def symbol(rng: random.Random, number: int, abbreviation: str, issuer: str, party: bool, year: int,
            normative: bool) -> str:  # fmt: skip
    if party:
        return f"{number}-{abbreviation or 'CV'}/{issuer}"
    if normative:
        return f"{number}/{year}/{abbreviation}-{issuer}"
    if not abbreviation:  # Công văn: issuer-drafting unit
        return f"{number}/{issuer}-{rng.choice(UNITS)}"
    return f"{number}/{abbreviation}-{issuer}"


def abstract_for(
    rng: random.Random, type_name: str, topic: str, year: int, districts: Sequence[str] = DISTRICTS
) -> str:
    """A trích yếu for a document of ``type_name`` about ``topic`` (one of six shapes, citing real resolutions)."""
    reference = rng.choice(REFERENCES)
    return rng.choice(
        [
            f"Về việc triển khai thực hiện {reference}",
            f"Về việc {rng.choice(['tăng cường', 'đẩy mạnh', 'chấn chỉnh', 'tổ chức'])} {topic}",
            f"{type_name} {topic} năm {year}",
            f"{type_name} kết quả {topic} {rng.choice(['quý I', 'quý II', '6 tháng đầu năm', 'năm'])} {year}",
            f"Về việc góp ý dự thảo {rng.choice(['Đề án', 'Kế hoạch', 'Quy chế'])} {topic}",
            f"Giấy mời dự hội nghị về {topic} tại huyện {rng.choice(districts)}",
        ]
    )


def generate(seed: int, index: int, count: int) -> Generated:
    """Document ``index`` of a corpus of ``count`` for ``seed``, independent of every other document.

    Dates rise with the index over the ten years whatever the size, as registration numbers do.
    """
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 (repeatable made-up data, not a secret)
    incoming = rng.random() < INCOMING_SHARE
    day = FIRST_DAY + datetime.timedelta(days=min(DAYS - 1, DAYS * index // max(count, 1)))
    type_key, type_name, state_abbr, party_abbr, _ = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    topics = rng.choices(TOPICS, TOPIC_WEIGHTS, k=3)
    doy = day.timetuple().tm_yday
    number = max(1, int(doy * rng.uniform(0.5, 6.0)))
    if incoming:
        sender_index = rng.choices(range(len(SENDERS)), SENDER_WEIGHTS)[0]
        sender, issuer, party, _ = SENDERS[sender_index]
        if rng.random() < 0.15:  # a district or commune People's Committee
            sender, issuer, party = f"Ủy ban nhân dân huyện {rng.choice(DISTRICTS)}", "UBND", False
        normative = type_key in ("nghi-quyet", "quyet-dinh") and not party and rng.random() < 0.3
        if normative:
            issuer = "HĐND" if type_key == "nghi-quyet" else "UBND"
        abbreviation = party_abbr if party else state_abbr
    else:
        sender_index, sender, issuer, party, normative = -1, "", "TU", True, False
        abbreviation = party_abbr
    number_symbol = symbol(rng, number, abbreviation, issuer, party, day.year, normative)
    abstract = abstract_for(rng, type_name, topics[0], day.year)
    slots: dict[str, Any] = {}

    def fill(template: str) -> str:
        when = day + datetime.timedelta(days=rng.randint(-60, 40))
        slots.update(
            ref=rng.choice(REFERENCES), topic=rng.choice(topics), date=date_text(when), year=day.year,
            cv=f"{rng.randint(1, 3000)}-CV/TU", tt=f"{rng.randint(1, 400)}/TTr-{rng.choice(SENDERS)[1]}",
            sender=sender or "Văn phòng Tỉnh ủy", person=person_name(rng), position=rng.choice(POSITIONS),
            district=rng.choice(DISTRICTS), commune=place_name(rng), pct=rng.randint(40, 120), small=rng.randint(2, 15),
            hour=rng.choice([7, 8, 13, 14]), money=f"{rng.randint(100, 90_000):,}".replace(",", "."),
            unit=rng.choice(UNITS), upper=person_name(rng).upper(),
        )  # fmt: skip
        return template.format(**slots)

    sentences = [fill(rng.choice(OPENINGS))]
    while sum(len(s) for s in sentences) < BODY_CHARS * rng.uniform(0.8, 1.2):
        sentences.append(fill(rng.choice(SENTENCES)))
    sentences.append(fill(rng.choice(CLOSINGS)))
    age = (datetime.date(2025, 12, 31) - day).days
    if incoming:
        status = "completed" if age > 60 else rng.choice(["registered", "presented", "in_progress", "completed"])
    else:
        status = "dispatched" if age > 5 else rng.choice(["draft", "in_review", "issued"])
    return Generated(
        incoming=incoming,
        type_key=type_key,
        number_symbol=number_symbol,
        abstract=abstract,
        sender_index=sender_index,
        sender_name=sender,
        signer_name=person_name(rng),
        signer_position=rng.choice(POSITIONS),
        document_date=day,
        arrived_days=rng.randint(0, 5),
        urgency=rng.choices([0, 1, 2, 3], [90, 7, 2, 1])[0],
        secrecy=1 if rng.random() < 0.005 else 0,
        status=status,
        body=" ".join(sentences),
        assigned_unit=rng.randrange(8) if incoming and rng.random() < 0.10 else -1,
    )

"""What the demo province looks like: bodies, units, staffing, restructurings, names and logins.

Everything here is invented. Tỉnh Sơn Hà is a fictional province that kept its borders in 2025;
its three districts (huyện Hòa An, Tân Phú, Lạc Sơn) lost their level on 1 July 2025, when their
72 communes merged into 30 larger ones placed directly under the province. The identifier codes
use the level-1 groups H70 (People's Committee) and K70 (People's Council), which we invented;
Party bodies and mass organisations have no code because the Party letters of QCVN 102 are
unconfirmed (docs/reference: documents.md §1a). The decision numbers are invented too.

Plain data only: ``build`` turns it into organisations, persons, positions, roles and accounts.
Organisation kinds, levels and roles are spelled as their stored values (see ``core.models``).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

PROVINCE = "Sơn Hà"
UBND_LETTER = "H70"  # invented level-1 group: the provincial People's Committee and the bodies under it
HDND_LETTER = "K70"  # invented level-1 group: the provincial People's Council
PARTY_DOMAIN = "sonha.dcs.vn"  # e-mail of the Party bodies
STATE_DOMAIN = "sonha.gov.vn"  # e-mail of every other body

# Security clearance levels, as stored (core.models.Clearance).
NONE, MAT, TOI_MAT, TUYET_MAT = 0, 1, 2, 3

PROVINCE_FOUNDED = date(1989, 7, 1)
DISTRICTS_FOUNDED = date(1990, 1, 1)
LAST_HIRING_DAY = date(2024, 6, 30)  # random staff all started before the 2025 restructurings


class Org(NamedTuple):
    """One body or internal unit; ``parent`` is another entry's key."""

    key: str
    parent: str | None
    kind: str
    full_name: str
    abbreviation: str
    short_name: str = ""
    code: str | None = None
    established_on: date = PROVINCE_FOUNDED
    level: str = "province"


def code(level2: int, level3: int = 0, letter: str = UBND_LETTER) -> str:
    """A classic 13-character identifier code ``000.Z1Z2.Y1Y2.MX1X2`` (QCVN 102 §1a)."""
    return f"000.{level3:02d}.{level2:02d}.{letter}"


# The tables below keep one record per line (or per short block) so they read as tables.
# fmt: off

# --- the province before 2025 (departments and districts are listed further down) ---------------------

ORGANIZATIONS: tuple[Org, ...] = (
    # The Party committee and its advisory bodies.
    Org("tu", None, "party_committee", "Tỉnh ủy Sơn Hà", "TU", "Tỉnh ủy"),
    Org("vptu", "tu", "party_advisory", "Văn phòng Tỉnh ủy", "VPTU"),
    Org("vptu.th", "vptu", "internal_unit", "Phòng Tổng hợp", "PTH"),
    Org("vptu.hclt", "vptu", "internal_unit", "Phòng Hành chính – Lưu trữ", "PHCLT"),
    Org("vptu.qttv", "vptu", "internal_unit", "Phòng Quản trị – Tài vụ", "PQTTV"),
    Org("vptu.thcy", "vptu", "internal_unit", "Phòng Tin học – Cơ yếu", "PTHCY", established_on=date(2008, 1, 1)),
    Org("btctu", "tu", "party_advisory", "Ban Tổ chức Tỉnh ủy", "BTCTU"),
    Org("btctu.vp", "btctu", "internal_unit", "Văn phòng Ban Tổ chức", "VPB", "Văn phòng Ban"),
    Org("btctu.tcd", "btctu", "internal_unit", "Phòng Tổ chức đảng – Đảng viên", "PTCĐ"),
    Org("btctu.bvct", "btctu", "internal_unit", "Phòng Bảo vệ chính trị nội bộ", "PBVCT"),
    Org("btgtu", "tu", "party_advisory", "Ban Tuyên giáo Tỉnh ủy", "BTGTU"),
    Org("btgtu.tt", "btgtu", "internal_unit", "Phòng Tuyên truyền – Báo chí", "PTTBC"),
    Org("bdvtu", "tu", "party_advisory", "Ban Dân vận Tỉnh ủy", "BDVTU"),
    Org("bdvtu.dv", "bdvtu", "internal_unit", "Phòng Dân vận chính quyền – Mặt trận", "PDVCQ"),
    Org("ubkttu", "tu", "party_advisory", "Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"),
    Org("ubkttu.kt1", "ubkttu", "internal_unit", "Phòng Kiểm tra số 1", "PKT1"),
    Org("ubkttu.kt2", "ubkttu", "internal_unit", "Phòng Kiểm tra số 2", "PKT2"),
    Org("bnctu", "tu", "party_advisory", "Ban Nội chính Tỉnh ủy", "BNCTU", established_on=date(2013, 6, 1)),
    Org(
        "bnctu.pctn", "bnctu", "internal_unit", "Phòng Phòng, chống tham nhũng, tiêu cực", "PPCTN",
        established_on=date(2013, 6, 1),
    ),
    # The People's Council and its office.
    Org(
        "hdnd", None, "peoples_council", "Hội đồng nhân dân tỉnh Sơn Hà", "HĐND", "HĐND tỉnh",
        code(0, letter=HDND_LETTER),
    ),
    Org("hdnd.pc", "hdnd", "internal_unit", "Ban Pháp chế", "BPC"),
    Org("hdnd.ktns", "hdnd", "internal_unit", "Ban Kinh tế – Ngân sách", "BKTNS"),
    Org("hdnd.vhxh", "hdnd", "internal_unit", "Ban Văn hóa – Xã hội", "BVHXH"),
    Org(
        "vpdbqh", "hdnd", "state_agency", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Sơn Hà",
        "VPĐĐBQHHĐND", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", code(1, letter=HDND_LETTER), date(2021, 3, 1),
    ),
    # The People's Committee and its office; the departments follow in DEPARTMENTS.
    Org("ubnd", None, "peoples_committee", "Ủy ban nhân dân tỉnh Sơn Hà", "UBND", "UBND tỉnh", code(0)),
    Org(
        "vpubnd", "ubnd", "state_agency", "Văn phòng Ủy ban nhân dân tỉnh Sơn Hà", "VP", "Văn phòng UBND tỉnh",
        code(1),
    ),
    Org("vpubnd.th", "vpubnd", "internal_unit", "Phòng Tổng hợp", "TH"),
    Org("vpubnd.kt", "vpubnd", "internal_unit", "Phòng Kinh tế", "KT"),
    Org("vpubnd.vx", "vpubnd", "internal_unit", "Phòng Văn hóa – Xã hội", "VX"),
    Org("vpubnd.nc", "vpubnd", "internal_unit", "Phòng Nội chính", "NC"),
    Org("vpubnd.hctc", "vpubnd", "internal_unit", "Phòng Hành chính – Tổ chức", "HCTC"),
    Org(
        "vpubnd.ttpvhcc", "vpubnd", "internal_unit", "Trung tâm Phục vụ hành chính công", "TTPVHCC",
        established_on=date(2019, 1, 1),
    ),
    # Mass organisations.
    Org("mttq", None, "mass_organization", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Sơn Hà", "MTTQ", "Ủy ban MTTQ tỉnh"),
    Org(
        "tinhdoan", None, "mass_organization", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Sơn Hà", "TĐTN",
        "Tỉnh đoàn",
    ),
    Org("hlhpn", None, "mass_organization", "Hội Liên hiệp Phụ nữ tỉnh Sơn Hà", "HLHPN", "Hội LHPN tỉnh"),
    Org("hnd", None, "mass_organization", "Hội Nông dân tỉnh Sơn Hà", "HND", "Hội Nông dân tỉnh"),
    Org("ldld", None, "mass_organization", "Liên đoàn Lao động tỉnh Sơn Hà", "LĐLĐ", "LĐLĐ tỉnh"),
    Org("hccb", None, "mass_organization", "Hội Cựu chiến binh tỉnh Sơn Hà", "HCCB", "Hội CCB tỉnh"),
)


class Department(NamedTuple):
    """A department (sở) of the People's Committee: the first unit is always its office."""

    key: str
    name: str  # "Sở Nội vụ"; the full name adds "tỉnh Sơn Hà"
    abbreviation: str
    number: int  # the level-2 group of its identifier code
    units: tuple[tuple[str, str, str], ...]  # (key suffix, name, abbreviation)
    established_on: date = PROVINCE_FOUNDED
    head: str = "Giám đốc"  # the title of its head; "" where it is not among the Position titles
    deputy: str = "Phó Giám đốc"
    deputies: int = 1


DEPARTMENTS: tuple[Department, ...] = (
    Department("snv", "Sở Nội vụ", "SNV", 2, (
        ("vp", "Văn phòng Sở Nội vụ", "VP"),
        ("tcbc", "Phòng Tổ chức – Biên chế", "TCBC"),
        ("ccvc", "Phòng Công chức, viên chức", "CCVC"),
    )),
    Department("stc", "Sở Tài chính", "STC", 3, (
        ("vp", "Văn phòng Sở Tài chính", "VP"),
        ("qlns", "Phòng Quản lý ngân sách", "QLNS"),
        ("tcdn", "Phòng Tài chính doanh nghiệp", "TCDN"),
    )),
    Department("stp", "Sở Tư pháp", "STP", 4, (
        ("vp", "Văn phòng Sở Tư pháp", "VP"),
        ("xdkt", "Phòng Xây dựng và kiểm tra văn bản", "XDKTVB"),
    )),
    Department("sxd", "Sở Xây dựng", "SXD", 5, (
        ("vp", "Văn phòng Sở Xây dựng", "VP"),
        ("qlxd", "Phòng Quản lý xây dựng", "QLXD"),
    )),
    Department("sct", "Sở Công Thương", "SCT", 6, (
        ("vp", "Văn phòng Sở Công Thương", "VP"),
        ("qltm", "Phòng Quản lý thương mại", "QLTM"),
        ("qlcn", "Phòng Quản lý công nghiệp", "QLCN"),
    ), established_on=date(2008, 4, 1)),
    Department("sgddt", "Sở Giáo dục và Đào tạo", "SGDĐT", 7, (
        ("vp", "Văn phòng Sở Giáo dục và Đào tạo", "VP"),
        ("gdpt", "Phòng Giáo dục phổ thông", "GDPT"),
        ("tccb", "Phòng Tổ chức cán bộ", "TCCB"),
    )),
    Department("syt", "Sở Y tế", "SYT", 8, (
        ("vp", "Văn phòng Sở Y tế", "VP"),
        ("nvy", "Phòng Nghiệp vụ Y", "NVY"),
        ("khtc", "Phòng Kế hoạch – Tài chính", "KHTC"),
    )),
    Department("skhcn", "Sở Khoa học và Công nghệ", "SKHCN", 9, (
        ("vp", "Văn phòng Sở Khoa học và Công nghệ", "VP"),
        ("qlkh", "Phòng Quản lý khoa học", "QLKH"),
    )),
    Department("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", 10, (
        ("vp", "Văn phòng Sở Văn hóa, Thể thao và Du lịch", "VP"),
        ("qlvh", "Phòng Quản lý văn hóa", "QLVH"),
        ("qldl", "Phòng Quản lý du lịch", "QLDL"),
    ), established_on=date(2008, 4, 1)),
    # The Chief Inspector's titles (Chánh Thanh tra…) are not among the Position titles yet.
    Department("ttr", "Thanh tra tỉnh", "TTr", 11, (
        ("vp", "Văn phòng Thanh tra tỉnh", "VP"),
        ("nv1", "Phòng Nghiệp vụ 1", "NV1"),
        ("nv2", "Phòng Nghiệp vụ 2", "NV2"),
    ), head="", deputy="", deputies=0),
    Department("bdt", "Ban Dân tộc", "BDT", 12, (
        ("vp", "Văn phòng Ban Dân tộc", "VP"),
        ("csdt", "Phòng Chính sách dân tộc", "CSDT"),
    ), established_on=date(2004, 8, 1), head="Trưởng ban", deputy="Phó Trưởng ban"),
    Department("sngv", "Sở Ngoại vụ", "SNgV", 13, (
        ("vp", "Văn phòng Sở Ngoại vụ", "VP"),
        ("htqt", "Phòng Hợp tác quốc tế", "HTQT"),
    ), established_on=date(2009, 3, 1)),
    Department("bqlkcn", "Ban Quản lý các khu công nghiệp", "BQLKCN", 14, (
        ("vp", "Văn phòng Ban Quản lý các khu công nghiệp", "VP"),
        ("qldt", "Phòng Quản lý đầu tư", "QLĐT"),
    ), established_on=date(2005, 6, 1), head="Trưởng ban", deputy="Phó Trưởng ban"),
    # Merged away on 1 March 2025 (see DEPARTMENT_MERGES).
    Department("skhdt", "Sở Kế hoạch và Đầu tư", "SKHĐT", 15, (
        ("vp", "Văn phòng Sở Kế hoạch và Đầu tư", "VP"),
        ("dkkd", "Phòng Đăng ký kinh doanh", "ĐKKD"),
    ), deputies=0),
    Department("sgtvt", "Sở Giao thông vận tải", "SGTVT", 16, (
        ("vp", "Văn phòng Sở Giao thông vận tải", "VP"),
        ("qlvt", "Phòng Quản lý vận tải", "QLVT"),
    ), deputies=0),
    Department("stttt", "Sở Thông tin và Truyền thông", "STTTT", 17, (
        ("vp", "Văn phòng Sở Thông tin và Truyền thông", "VP"),
        ("bcvt", "Phòng Bưu chính, Viễn thông", "BCVT"),
    ), established_on=date(2008, 4, 1), deputies=0),
    Department("sldtbxh", "Sở Lao động – Thương binh và Xã hội", "SLĐTBXH", 18, (
        ("vp", "Văn phòng Sở Lao động – Thương binh và Xã hội", "VP"),
        ("ldvl", "Phòng Lao động – Việc làm", "LĐVL"),
    ), deputies=0),
    Department("stnmt", "Sở Tài nguyên và Môi trường", "STNMT", 19, (
        ("vp", "Văn phòng Sở Tài nguyên và Môi trường", "VP"),
        ("qldd", "Phòng Quản lý đất đai", "QLĐĐ"),
    ), established_on=date(2003, 10, 1), deputies=0),
    Department("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT", 20, (
        ("vp", "Văn phòng Sở Nông nghiệp và Phát triển nông thôn", "VP"),
        ("tt", "Phòng Trồng trọt", "TT"),
    ), deputies=0),
)

# How a department is staffed: (title, how many, clearance) for the body itself, its office and its
# other units. "{head}" and "{deputy}" stand for the department's own titles.
DEPARTMENT_STAFF: dict[str, tuple[tuple[str, int, int], ...]] = {
    "body": (("{head}", 1, MAT), ("{deputy}", 1, NONE)),
    "office": (("Chánh Văn phòng", 1, NONE), ("Văn thư", 1, MAT)),
    "first_unit": (("Trưởng phòng", 1, NONE), ("Chuyên viên", 1, NONE)),
    "other_unit": (("Trưởng phòng", 1, NONE),),
}

# Everyone else in the provincial bodies: (title, how many, clearance). The demo logins below take
# the first matching places; the rest are random persons.
STAFF: dict[str, tuple[tuple[str, int, int], ...]] = {
    "tu": (("Bí thư", 1, TUYET_MAT), ("Phó Bí thư Thường trực", 1, TOI_MAT), ("Phó Bí thư", 1, TOI_MAT)),
    "vptu": (("Chánh Văn phòng", 1, TOI_MAT), ("Phó Chánh Văn phòng", 2, MAT)),
    "vptu.th": (
        ("Trưởng phòng", 1, MAT), ("Phó Trưởng phòng", 1, MAT), ("Chuyên viên chính", 2, MAT), ("Chuyên viên", 2, NONE),
    ),
    "vptu.hclt": (("Trưởng phòng", 1, MAT), ("Văn thư", 2, TOI_MAT), ("Lưu trữ viên", 2, NONE)),
    "vptu.qttv": (("Trưởng phòng", 1, NONE), ("Kế toán", 1, NONE), ("Nhân viên", 1, NONE)),
    "vptu.thcy": (("Trưởng phòng", 1, TOI_MAT), ("Phó Trưởng phòng", 1, MAT), ("Chuyên viên", 2, MAT)),
    "btctu": (("Trưởng ban", 1, TOI_MAT), ("Phó Trưởng ban", 1, MAT)),
    "btctu.vp": (("Chánh Văn phòng", 1, MAT), ("Văn thư", 1, MAT)),
    "btctu.tcd": (("Trưởng phòng", 1, MAT), ("Chuyên viên", 2, NONE)),
    "btctu.bvct": (("Trưởng phòng", 1, TOI_MAT), ("Chuyên viên", 1, MAT)),
    "btgtu": (("Trưởng ban", 1, MAT), ("Phó Trưởng ban", 1, NONE)),
    "btgtu.tt": (("Trưởng phòng", 1, NONE), ("Chuyên viên", 1, NONE)),
    "bdvtu": (("Trưởng ban", 1, MAT), ("Phó Trưởng ban", 1, NONE)),
    "bdvtu.dv": (("Trưởng phòng", 1, NONE), ("Chuyên viên", 1, NONE)),
    "ubkttu": (("Chủ nhiệm", 1, TOI_MAT), ("Phó Chủ nhiệm", 1, MAT)),
    "ubkttu.kt1": (("Trưởng phòng", 1, MAT), ("Chuyên viên", 1, MAT)),
    "ubkttu.kt2": (("Trưởng phòng", 1, MAT), ("Chuyên viên", 1, MAT)),
    "bnctu": (("Trưởng ban", 1, TOI_MAT), ("Phó Trưởng ban", 1, MAT)),
    "bnctu.pctn": (("Trưởng phòng", 1, MAT), ("Chuyên viên", 1, NONE)),
    "hdnd": (("Chủ tịch", 1, TOI_MAT), ("Phó Chủ tịch", 1, MAT)),
    "hdnd.pc": (("Trưởng ban", 1, NONE),),
    "hdnd.ktns": (("Trưởng ban", 1, NONE),),
    "hdnd.vhxh": (("Trưởng ban", 1, NONE),),
    "vpdbqh": (
        ("Chánh Văn phòng", 1, MAT), ("Phó Chánh Văn phòng", 1, NONE), ("Văn thư", 1, MAT), ("Chuyên viên", 1, NONE),
    ),
    "ubnd": (("Chủ tịch", 1, TOI_MAT), ("Phó Chủ tịch", 3, MAT)),
    "vpubnd": (("Chánh Văn phòng", 1, TOI_MAT), ("Phó Chánh Văn phòng", 2, MAT)),
    "vpubnd.th": (("Trưởng phòng", 1, MAT), ("Phó Trưởng phòng", 1, NONE), ("Chuyên viên", 2, NONE)),
    "vpubnd.kt": (("Trưởng phòng", 1, NONE), ("Chuyên viên", 1, NONE)),
    "vpubnd.vx": (("Trưởng phòng", 1, NONE), ("Chuyên viên", 1, NONE)),
    "vpubnd.nc": (("Trưởng phòng", 1, MAT), ("Chuyên viên", 1, NONE)),
    "vpubnd.hctc": (("Trưởng phòng", 1, NONE), ("Văn thư", 2, MAT), ("Chuyên viên", 1, NONE)),
    "vpubnd.ttpvhcc": (("Giám đốc", 1, NONE), ("Chuyên viên", 1, NONE)),
    "mttq": (("Chủ tịch", 1, MAT), ("Phó Chủ tịch", 1, NONE)),
    "tinhdoan": (("Bí thư", 1, NONE), ("Phó Bí thư", 1, NONE)),
    "hlhpn": (("Chủ tịch", 1, NONE), ("Phó Chủ tịch", 1, NONE)),
    "hnd": (("Chủ tịch", 1, NONE), ("Phó Chủ tịch", 1, NONE)),
    "ldld": (("Chủ tịch", 1, NONE), ("Phó Chủ tịch", 1, NONE)),
    "hccb": (("Chủ tịch", 1, NONE),),
}
WOMEN_ONLY = frozenset({"hlhpn"})  # the Women's Union is led and staffed by women


# --- 2025 restructurings ---------------------------------------------------------------------------

PARTY_MERGE_ON = date(2025, 2, 1)
PARTY_MERGE = (
    ("btgtu", "bdvtu"),  # the first keeps its head; the other's head becomes a deputy
    Org(
        "btgdvtu", "tu", "party_advisory", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU",
        established_on=PARTY_MERGE_ON,
    ),
    "Quyết định số 1250-QĐ/TU ngày 24/01/2025 của Ban Thường vụ Tỉnh ủy Sơn Hà",
    "Hợp nhất Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy.",
)

DEPARTMENTS_MERGED_ON = date(2025, 3, 1)
DEPARTMENT_DECISION = "Quyết định số 215/QĐ-UBND ngày 25/02/2025 của Ủy ban nhân dân tỉnh Sơn Hà"
# (absorbed department, the department that takes it over): the absorbed office joins the other's office.
DEPARTMENT_MERGES: tuple[tuple[str, str], ...] = (
    ("skhdt", "stc"),
    ("sgtvt", "sxd"),
    ("stttt", "skhcn"),
    ("sldtbxh", "snv"),
)
NEW_DEPARTMENT = (
    ("snnptnt", "stnmt"),  # merged into a new department; the first one's head heads it
    Department("snnmt", "Sở Nông nghiệp và Môi trường", "SNNMT", 21, (), established_on=DEPARTMENTS_MERGED_ON),
)
RENAMED_DEPARTMENT = (
    "bdt",
    "Sở Dân tộc và Tôn giáo",
    "SDTTG",
    {"Trưởng ban": "Giám đốc", "Phó Trưởng ban": "Phó Giám đốc"},  # the titles change with the name
)


class District(NamedTuple):
    """A former district. ``groups``: (new commune, the former communes merged into it); the first
    group is the district seat, whose new commune takes over the district's bodies and leaders."""

    key: str
    name: str
    number: int  # the level-2 group of its identifier code; its communes number the level-3 group
    groups: tuple[tuple[str, tuple[str, ...]], ...]


DISTRICTS: tuple[District, ...] = (
    District("hoa_an", "Hòa An", 31, (
        ("Hòa An", ("thị trấn Hòa An", "xã Hòa Bình", "xã Hòa Thuận")),
        ("Hòa Lợi", ("xã Hòa Lợi", "xã Hòa Phú")),
        ("Hòa Tiến", ("xã Hòa Tiến", "xã An Thạnh", "xã An Ninh")),
        ("An Hiệp", ("xã An Hiệp", "xã Bình Minh")),
        ("Bình Phước", ("xã Bình Đức", "xã Phước Hưng", "xã Phước Long")),
        ("Tân Hòa", ("xã Tân Hòa", "xã Tân Lợi")),
        ("Đông Sơn", ("xã Đông Sơn", "xã Đông Hưng")),
        ("Mỹ Thạnh", ("xã Mỹ Lộc", "xã Mỹ Thành", "xã Thạnh Mỹ")),
        ("Vĩnh Phúc", ("xã Vĩnh Phúc", "xã Vĩnh Tường")),
        ("Quang Trung", ("xã Quang Trung", "xã Nghĩa Hòa")),
    )),
    District("tan_phu", "Tân Phú", 32, (
        ("Tân Phú", ("thị trấn Tân Phú", "xã Tân Thành", "xã Tân Thịnh")),
        ("Phú Cường", ("xã Phú Cường", "xã Phú Hòa")),
        ("Phú Nhuận", ("xã Phú Mỹ", "xã Phú Nhuận", "xã Phú Vinh")),
        ("Gia Hòa", ("xã Gia Lộc", "xã Gia Thuận", "xã Gia Tân")),
        ("Long Giao", ("xã Long Giao", "xã Long Hưng")),
        ("Suối Cát", ("xã Suối Cát", "xã Suối Nho")),
        ("Bàu Sen", ("xã Bàu Sen", "xã Bàu Trâm")),
        ("Xuân Định", ("xã Xuân Định", "xã Xuân Thọ", "xã Xuân Tâm")),
        ("Ngọc Định", ("xã Ngọc Định", "xã Ngọc Hòa")),
        ("Đồng Tâm", ("xã Thạch Bàn", "xã Thạch Lâm", "xã Đồng Tâm")),
    )),
    District("lac_son", "Lạc Sơn", 33, (
        ("Lạc Sơn", ("thị trấn Lạc Sơn", "xã Lạc Hưng", "xã Lạc Thịnh", "xã Lạc Phú")),
        ("Sơn Thủy", ("xã Sơn Thủy", "xã Sơn Lương")),
        ("Sơn Nham", ("xã Sơn Nham", "xã Kim Tân")),
        ("Yên Lập", ("xã Yên Lập", "xã Yên Hòa", "xã Yên Thái")),
        ("Ngọc Sơn", ("xã Ngọc Sơn", "xã Ngọc Lũng")),
        ("Hợp Tiến", ("xã Hợp Tiến", "xã Hợp Thành")),
        ("Tam Sơn", ("xã Tam Sơn", "xã Tam Lộc")),
        ("Chiềng Khương", ("xã Chiềng Khương", "xã Chiềng Sại")),
        ("Nà Phẩm", ("xã Nà Phẩm", "xã Nà Lừa")),
        ("Đồng Ngòi", ("xã Đồng Ngòi", "xã Đồng Chum")),
    )),
)
FIRST_NEW_COMMUNE_NUMBER = 41  # the new communes are numbered 41, 42… in the level-2 group
TOWNS_FOUNDED = date(1994, 5, 1)  # the district towns (thị trấn)

# The two units of every district People's Committee: (key suffix, name pattern, abbreviation).
DISTRICT_UNITS = (
    ("vp", "Văn phòng HĐND và UBND huyện {name}", "VP"),
    ("tckh", "Phòng Tài chính – Kế hoạch", "TCKH"),
)
DISTRICT_STAFF: dict[str, tuple[tuple[str, int, int], ...]] = {
    "hu": (("Bí thư", 1, MAT), ("Phó Bí thư", 1, MAT), ("Chánh Văn phòng", 1, NONE)),
    "ubnd": (("Chủ tịch", 1, MAT), ("Phó Chủ tịch", 1, NONE)),
    "vp": (("Chánh Văn phòng", 1, NONE), ("Văn thư", 1, NONE)),
    "tckh": (("Trưởng phòng", 1, NONE), ("Kế toán", 1, NONE)),
    "commune": (("Chủ tịch", 1, NONE),),
}
# District titles that have no match in a commune: the holders become senior specialists.
DISTRICT_TO_COMMUNE_TITLES = {"Chánh Văn phòng": "Chuyên viên chính", "Trưởng phòng": "Chuyên viên chính"}

COMMUNES_MERGED_ON = date(2025, 7, 1)
COMMUNE_DECISION = (
    "Nghị quyết số 1790/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội "
    "về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Sơn Hà năm 2025"
)
DISTRICT_DECISION = "Luật Tổ chức chính quyền địa phương năm 2025: chính quyền địa phương cấp huyện kết thúc hoạt động"
PARTY_DISTRICT_DECISION = (
    "Quyết định số 1399-QĐ/TU ngày 27/6/2025 của Ban Thường vụ Tỉnh ủy Sơn Hà về kết thúc hoạt động của đảng bộ huyện"
)


# --- the demo logins --------------------------------------------------------------------------------


class Login(NamedTuple):
    """A demo account and its person. ``org``/``position``: where they worked before the 2025
    restructurings (the restructurings carry them on); ``roles``: (role, org key) as of today."""

    username: str
    full_name: str
    gender: str
    born: date
    org: str
    position: str
    since: date
    clearance: int
    roles: tuple[tuple[str, str], ...]
    history: tuple[tuple[str, str, date, date], ...] = ()  # earlier posts: (title, org key, from, until)
    extra: tuple[tuple[str, str, date], ...] = ()  # further current posts: (title, org key, from)
    superuser: bool = False
    active: bool = True


TERM_2020 = date(2020, 10, 20)  # the provincial Party congress of the 2020–2025 term (invented day)

LOGINS: tuple[Login, ...] = (
    Login("admin", "Lê Minh Tuấn", "male", date(1988, 4, 12), "vptu.thcy", "Chuyên viên", date(2012, 9, 1), MAT,
          (), superuser=True),
    Login("quantritu", "Đỗ Thị Hạnh", "female", date(1985, 11, 3), "vptu.thcy", "Phó Trưởng phòng",
          date(2019, 7, 1), MAT, (("administrator", "tu"),),
          history=(("Chuyên viên", "vptu.thcy", date(2009, 8, 1), date(2019, 6, 30)),)),
    Login("quantri", "Phạm Quốc Huy", "male", date(1987, 2, 21), "vpubnd.hctc", "Chuyên viên", date(2011, 3, 1),
          NONE, (("administrator", "ubnd"),)),
    Login("bithu", "Vũ Đức Thịnh", "male", date(1967, 8, 19), "tu", "Bí thư", TERM_2020, TUYET_MAT,
          (("leader", "tu"),),
          history=(("Phó Bí thư Thường trực", "tu", date(2015, 10, 20), date(2020, 10, 19)),)),
    Login("phobithu", "Trần Thị Thu Hà", "female", date(1970, 3, 8), "tu", "Phó Bí thư Thường trực", TERM_2020,
          TOI_MAT, (("deputy", "tu"),)),
    Login("chanhvp", "Nguyễn Thị Lan Anh", "female", date(1975, 6, 14), "vptu", "Chánh Văn phòng",
          date(2021, 3, 1), TOI_MAT, (("leader", "vptu"),),
          history=(("Phó Chánh Văn phòng", "vptu", date(2016, 1, 4), date(2021, 2, 28)),),
          extra=(("Ủy viên Ban Chấp hành", "tu", TERM_2020),)),
    Login("phochanhvp", "Lê Quang Vinh", "male", date(1978, 12, 2), "vptu", "Phó Chánh Văn phòng",
          date(2021, 4, 1), MAT, (("deputy", "vptu"),),
          history=(("Trưởng phòng", "vptu.th", date(2014, 5, 1), date(2021, 3, 31)),)),
    Login("vanthu", "Phạm Thị Ngọc Ánh", "female", date(1990, 9, 25), "vptu.hclt", "Văn thư", date(2014, 2, 10),
          TOI_MAT, (("clerk", "vptu"),)),
    Login("truongphong", "Đặng Minh Khoa", "male", date(1976, 1, 30), "vptu.th", "Trưởng phòng", date(2021, 4, 1),
          MAT, (("head", "vptu.th"),),
          history=(("Phó Trưởng phòng", "vptu.th", date(2016, 7, 1), date(2021, 3, 31)),)),
    Login("photruongphong", "Ngô Thị Hồng Nhung", "female", date(1984, 5, 5), "vptu.th", "Phó Trưởng phòng",
          date(2021, 6, 1), MAT, (("deputy", "vptu.th"),)),
    Login("chuyenvienchinh", "Bùi Thị Thanh Thủy", "female", date(1983, 10, 17), "vptu.th", "Chuyên viên chính",
          date(2017, 1, 1), MAT, (("specialist", "vptu.th"),)),
    Login("chuyenvien", "Hoàng Văn Nam", "male", date(1994, 7, 7), "vptu.th", "Chuyên viên", date(2019, 3, 1),
          NONE, (("specialist", "vptu.th"),)),
    Login("luutru", "Dương Thị Mai", "female", date(1992, 4, 1), "vptu.hclt", "Lưu trữ viên", date(2016, 9, 5),
          NONE, (("specialist", "vptu.hclt"),)),
    Login("vanthucu", "Hồ Thị Loan", "female", date(1966, 2, 14), "vptu.hclt", "", date(1990, 3, 1), MAT, (),
          history=(("Văn thư", "vptu.hclt", date(1990, 3, 1), date(2024, 12, 31)),), active=False),
    Login("truongbantc", "Phan Văn Hùng", "male", date(1969, 11, 11), "btctu", "Trưởng ban", TERM_2020, TOI_MAT,
          (("leader", "btctu"),), extra=(("Ủy viên Ban Thường vụ", "tu", TERM_2020),)),
    Login("vanthubtc", "Lý Thị Kim Oanh", "female", date(1989, 8, 8), "btctu.vp", "Văn thư", date(2013, 4, 1), MAT,
          (("clerk", "btctu"),)),
    Login("truongbantgdv", "Trịnh Xuân Trường", "male", date(1971, 5, 19), "btgtu", "Trưởng ban", TERM_2020, MAT,
          (("leader", "btgdvtu"),), extra=(("Ủy viên Ban Thường vụ", "tu", TERM_2020),)),
    Login("chunhiemubkt", "Đinh Công Bằng", "male", date(1970, 9, 2), "ubkttu", "Chủ nhiệm", TERM_2020, TOI_MAT,
          (("leader", "ubkttu"),), extra=(("Ủy viên Ban Thường vụ", "tu", TERM_2020),)),
    Login("truongbannc", "Mai Thị Phương", "female", date(1972, 12, 24), "bnctu", "Trưởng ban", date(2021, 1, 4),
          TOI_MAT, (("leader", "bnctu"),), extra=(("Ủy viên Ban Thường vụ", "tu", date(2021, 1, 4)),)),
    Login("chutich", "Trần Quốc Bảo", "male", date(1968, 4, 30), "ubnd", "Chủ tịch", date(2021, 6, 25), TOI_MAT,
          (("leader", "ubnd"),),
          history=(("Phó Chủ tịch", "ubnd", date(2016, 6, 28), date(2021, 6, 24)),),
          extra=(("Phó Bí thư", "tu", date(2021, 6, 1)),)),
    Login("phochutich", "Lê Thị Hồng Vân", "female", date(1974, 7, 21), "ubnd", "Phó Chủ tịch", date(2021, 6, 25),
          MAT, (("deputy", "ubnd"),)),
    Login("chanhvpubnd", "Nguyễn Hữu Phước", "male", date(1975, 3, 3), "vpubnd", "Chánh Văn phòng",
          date(2020, 8, 1), TOI_MAT, (("leader", "vpubnd"),)),
    Login("phochanhvpubnd", "Võ Thị Kim Chi", "female", date(1980, 1, 9), "vpubnd", "Phó Chánh Văn phòng",
          date(2020, 9, 1), MAT, (("deputy", "vpubnd"),)),
    Login("vanthuubnd", "Huỳnh Thị Bích Ngọc", "female", date(1991, 6, 6), "vpubnd.hctc", "Văn thư",
          date(2015, 10, 1), MAT, (("clerk", "vpubnd"),)),
    Login("truongphongth", "Cao Minh Đức", "male", date(1979, 2, 2), "vpubnd.th", "Trưởng phòng", date(2019, 1, 2),
          MAT, (("head", "vpubnd.th"),)),
    Login("chuyenvienkt", "Tạ Thị Thu Trang", "female", date(1993, 11, 29), "vpubnd.kt", "Chuyên viên",
          date(2018, 5, 2), NONE, (("specialist", "vpubnd.kt"),)),
    Login("chuyenvienvx", "Lương Văn Toàn", "male", date(1995, 8, 15), "vpubnd.vx", "Chuyên viên", date(2020, 2, 3),
          NONE, (("specialist", "vpubnd.vx"),)),
    Login("chutichhdnd", "Hà Văn Long", "male", date(1966, 10, 10), "hdnd", "Chủ tịch", date(2021, 6, 25), TOI_MAT,
          (("leader", "hdnd"),)),
    Login("chanhvphdnd", "Đoàn Thị Huyền", "female", date(1976, 4, 22), "vpdbqh", "Chánh Văn phòng",
          date(2021, 3, 1), MAT, (("leader", "vpdbqh"),)),
    Login("giamdocsnv", "Nguyễn Đình Khánh", "male", date(1971, 1, 16), "snv", "Giám đốc", date(2020, 1, 2), MAT,
          (("leader", "snv"),)),
    Login("vanthusnv", "Trần Thị Yến", "female", date(1996, 3, 19), "snv.vp", "Văn thư", date(2019, 8, 1), MAT,
          (("clerk", "snv"),)),
    Login("giamdocstc", "Phạm Văn Lợi", "male", date(1970, 6, 27), "stc", "Giám đốc", date(2019, 4, 1), MAT,
          (("leader", "stc"),)),
    Login("giamdocsnnmt", "Vũ Thị Thanh Hương", "female", date(1973, 9, 9), "snnptnt", "Giám đốc",
          date(2019, 10, 1), MAT, (("leader", "snnmt"),)),
    Login("phogiamdocsnnmt", "Bùi Quang Hải", "male", date(1975, 12, 12), "stnmt", "Giám đốc", date(2020, 5, 4),
          MAT, (("deputy", "snnmt"),)),
    Login("giamdocsyt", "Lâm Thị Ngọc Hân", "female", date(1972, 2, 29), "syt", "Giám đốc", date(2018, 11, 1), MAT,
          (("leader", "syt"),)),
    Login("giamdocsdttg", "Lò Văn Thanh", "male", date(1972, 5, 1), "bdt", "Trưởng ban", date(2019, 2, 11), MAT,
          (("leader", "bdt"),)),
    Login("chuyenvienstp", "Châu Thị Ngọc Diệp", "female", date(1997, 12, 1), "stp.xdkt", "Chuyên viên",
          date(2021, 10, 1), NONE, (("specialist", "stp.xdkt"),)),
    Login("chutichxa", "Nguyễn Văn Hiếu", "male", date(1972, 8, 18), "ubnd.hoa_an", "Chủ tịch", date(2021, 6, 1),
          MAT, (("leader", "xa.hoa_an"),),
          history=(("Phó Chủ tịch", "ubnd.hoa_an", date(2016, 6, 1), date(2021, 5, 31)),)),
    Login("bithuxa", "Hoàng Thị Xuân", "female", date(1973, 1, 26), "hu.hoa_an", "Bí thư", date(2020, 8, 15), MAT,
          (("leader", "du.hoa_an"),)),
    Login("vanthuxa", "Phạm Thị Diệu Linh", "female", date(1994, 10, 3), "ubnd.hoa_an.vp", "Văn thư",
          date(2017, 3, 1), NONE, (("clerk", "xa.hoa_an"),)),
    Login("chutichmttq", "Hoàng Văn Tiến", "male", date(1969, 3, 12), "mttq", "Chủ tịch", date(2019, 9, 20), MAT,
          (("leader", "mttq"),)),
    Login("bithutinhdoan", "Nguyễn Thị Quỳnh", "female", date(1986, 7, 26), "tinhdoan", "Bí thư", date(2022, 8, 10),
          NONE, (("leader", "tinhdoan"),)),
)

# Delegations (ủy quyền), relative to the moment the demo is loaded: (delegator, delegate, role, org key,
# starts in days, ends in days, reason, revoked at once).
DELEGATIONS: tuple[tuple[str, str, str, str, float, float, str, bool], ...] = (
    ("chanhvp", "phochanhvp", "leader", "vptu", -1, 5, "Đi công tác tại Hà Nội", False),
    ("chutich", "phochutich", "leader", "ubnd", 10, 17, "Đi công tác nước ngoài", False),
    ("truongphong", "photruongphong", "head", "vptu.th", -3, 2, "Nghỉ ốm", True),
)

# Login events for the audit log: (user name as typed, succeeded, address).
LOGIN_EVENTS: tuple[tuple[str, bool, str], ...] = (
    ("chanhvp", True, "10.70.1.21"),
    ("vanthu", False, "10.70.1.35"),
    ("vanthu", True, "10.70.1.35"),
    ("chutich", True, "10.70.2.11"),
    ("vanthuubnd", True, "10.70.2.40"),
    ("vanthuu", False, "10.70.3.9"),  # a typo: no such account
    ("phochanhvp", True, "10.70.1.22"),
)


# --- names ------------------------------------------------------------------------------------------

# Family names with rough weights from their frequency in Việt Nam.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4), ("Vũ", 4), ("Huỳnh", 2),
    ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Đinh", 1),
    ("Trịnh", 1), ("Hà", 1), ("Đoàn", 1), ("Lương", 1), ("Mai", 1), ("Cao", 1), ("Tạ", 1), ("Lâm", 1),
)
MIDDLE_NAMES = {
    "male": ("Văn", "Văn", "Văn", "Minh", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Xuân", "Tiến", "Ngọc", "Đình",
             "Quang", "Trung", "Mạnh", "Duy", "Bá", "Thế", "Việt", "Anh", "Hoàng"),
    "female": ("Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thúy", "Hồng", "Kim", "Phương", "Bích",
               "Diệu", "Khánh", "Thị Thu", "Thị Ngọc", "Thị Thanh", "Thị Hồng", "Thị Minh"),
}
GIVEN_NAMES = {
    "male": ("An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Huy", "Hưng", "Khánh", "Khoa", "Kiên",
             "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành",
             "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hiếu", "Hoàng", "Đạt", "Hậu", "Lợi", "Tâm",
             "Thái", "Trí", "Tú", "Chiến", "Khải", "Luân"),
    "female": ("Anh", "Ánh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
               "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
               "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Vân", "Xuân", "Yến",
               "Nhàn", "Diệp", "Hồng", "Thư"),
}
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098")
# fmt: on

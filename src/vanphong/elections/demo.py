"""The demo congress loaded by ``vanphong demo``: the provincial Party congress of tỉnh Sơn Hà.

A congress of delegates (Đại hội đại biểu) with 348 official delegates summoned, four excluded from
the base (190 Điều 30.3), 340 checked in at the door; the executive committee election with 55
candidates for 50 seats (a 10 % surplus, 190 Điều 14), whose first round was typed at two stations,
one disagreement resolved by the head against the paper, and the count confirmed and sealed; and the
election of delegates to the national congress (officials and alternates) with its list, not yet voted.

The counting committee is made of demo logins (docs/demo-office.md): ``truongphong`` is its head,
``photruongphong`` a member, ``chuyenvienchinh`` and ``chuyenvien`` the operators of stations 1 and 2.
Every write goes through the elections services, so the audit log records it all.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization
from vanphong.elections import services
from vanphong.elections.models import Congress, ReconciledBallot, ReconciliationStatus

SUMMONED = 348
PRESENT = 340
SEATS = 50
CANDIDATES = 55
DELEGATES_OFFICIAL = 13
DELEGATES_ALTERNATE = 2
COMMITTEE = (("truongphong", "head", None), ("photruongphong", "member", None),
             ("chuyenvienchinh", "operator", 1), ("chuyenvien", "operator", 2))  # fmt: skip
# Who is excluded from the base of a delegate congress (190 Điều 30.3), and why.
EXCLUSIONS = (
    ("delegate_absent_no_alternate", "Ốm nặng, điều trị dài ngày; không có đại biểu dự khuyết thay"),
    ("delegate_absent_no_alternate", "Đi công tác nước ngoài theo quyết định của Ban Thường vụ"),
    ("delegate_absent_no_alternate", "Việc gia đình đột xuất, được Ban Thường vụ đồng ý"),
    ("convening_committee_absent", "Ủy viên Ban Chấp hành vắng cả đại hội vì lý do sức khỏe"),
)

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Cao", "Lương", "Tạ", "Hà", "Đoàn", "Lâm", "Tô"]  # fmt: skip
MIDDLES = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Thu", "Đức", "Thị Thu", "Xuân", "Công", "Hồng",
           "Kim", "Anh", "Đình", "Bá", "Thị Kim", "Quang", "Trọng"]  # fmt: skip
GIVENS = ["An", "Bình", "Cường", "Dung", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam",
          "Ngọc", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khải", "Lộc", "Nhân",
          "Quyết", "Thắng", "Việt", "Thành", "Hiếu", "Nga", "Oanh", "Phượng", "Toàn"]  # fmt: skip
UNITS = ["Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ Khối doanh nghiệp tỉnh", "Đảng bộ Quân sự tỉnh",
         "Đảng bộ Công an tỉnh", "Đảng bộ xã Sơn Thủy", "Đảng bộ xã Hà Trung", "Đảng bộ phường Bắc Sơn",
         "Đảng bộ phường Nam Hà"]  # fmt: skip


def _names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FAMILIES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _ballots(rng: random.Random, size: int, seats: int, count: int) -> list[str]:
    """What the stations type: the numbers struck out. Voters favour some names; two ballots invalid."""
    weights = [0.4 + rng.random() for _ in range(size)]
    lines = []
    for _ in range(count - 2):
        strike = rng.randint(size - seats, size - seats + 4)
        keys = sorted(((rng.random() ** (1 / w), n) for n, w in zip(range(1, size + 1), weights, strict=True)))
        lines.append(" ".join(str(n) for _key, n in sorted(keys[:strike], key=lambda pair: pair[1])))
    lines.insert(count // 3, " ".join(str(n) for n in range(1, size + 1)))  # every name struck: invalid
    lines.insert(count // 2, "k1")  # not issued by the committee: ruled invalid
    return lines


def build(organization: Organization, *, say: Callable[[str], None]) -> Congress:
    """Load the demo congress for ``organization`` (the provincial Party committee)."""
    say("Holding the provincial Party congress: check-in, one round counted at two stations…")
    system = Actor.system("cli")
    rng = random.Random(190)  # noqa: S311 (repeatable demo data, not a secret)
    accounts = {a.username: a for a in Account.objects.filter(username__in=[u for u, _r, _s in COMMITTEE])}
    congress = services.create_congress(
        system,
        organization=organization,
        name="Đại hội đại biểu Đảng bộ tỉnh Sơn Hà lần thứ XVIII",
        term="2025–2030",
        kind="delegates",
    )
    for username, role, station in COMMITTEE:
        person = accounts[username].person
        assert person is not None  # noqa: S101 (every demo login has a person)
        services.add_committee_member(system, congress, person=person, role=role, station=station)
    taken = {a.person.full_name for a in accounts.values() if a.person is not None}
    delegates = _names(rng, SUMMONED, taken)
    services.add_summoned(system, congress, "\n".join(f"{name}; {rng.choice(UNITS)}" for name in delegates))
    head = Actor(account=accounts["truongphong"], source="cli")
    door = Actor(account=accounts["photruongphong"], source="cli")
    registry = list(congress.summoned.order_by("id"))
    for summoned, (code, reason) in zip(registry[-len(EXCLUSIONS) :], EXCLUSIONS, strict=True):
        services.set_exclusion(head, summoned, code=code, reason=reason)
    for summoned in registry[:PRESENT]:
        services.check_in(door, summoned)

    executive = services.create_election(system, congress, kind="executive_committee", seats=SEATS, sort_order=10)
    services.add_candidates(system, executive, "\n".join(rng.sample(delegates[: PRESENT - 4], CANDIDATES)))
    national = services.create_election(
        system,
        congress,
        kind="delegates",
        seats=DELEGATES_OFFICIAL,
        alternate_seats=DELEGATES_ALTERNATE,
        sort_order=20,
    )
    services.add_candidates(system, national, "\n".join(rng.sample(delegates[:PRESENT], 17)))

    round_ = services.open_first_round(head, executive, station_count=2)
    lines = _ballots(rng, CANDIDATES, SEATS, PRESENT - 2)  # two delegates present did not hand a ballot in
    disputed_at = len(lines) // 4
    for station, username in ((1, "chuyenvienchinh"), (2, "chuyenvien")):
        operator = Actor(account=accounts[username], source="web")
        for index, line in enumerate(lines):
            typed = line
            if station == 2 and index == disputed_at:
                typed = (line + " " + next(str(n) for n in range(1, CANDIDATES + 1)
                                          if str(n) not in line.split())).strip()  # fmt: skip
            services.enter_ballot(operator, round_, station=station, typed=typed)
    dispute = ReconciledBallot.objects.get(round=round_, status=ReconciliationStatus.DISPUTED)
    reason = "Đối chiếu phiếu gốc: trạm 2 nhập thừa một số"
    services.resolve_ballot(head, dispute, typed=lines[disputed_at], reason=reason)
    services.confirm_round(head, round_, ballots_issued=PRESENT)
    return congress

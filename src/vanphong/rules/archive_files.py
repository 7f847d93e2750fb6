"""Archive files (hồ sơ): their codes and when they go to the agency archive.

Decree 30/2020/NĐ-CP Art. 28–31 and Appendix V
    Each January the body approves its file list (Danh mục hồ sơ); each file in it has a number and
    symbol (số và ký hiệu hồ sơ): its number in the list, two digits from 01, then the abbreviation of
    the unit that keeps it. The handler opens the file, puts the documents in it in order and closes it
    when the work ends. Files kept for five years or more are handed over to the agency archive
    (lưu trữ cơ quan) **within one year after the work ends**; files of capital construction works (hồ sơ
    xây dựng cơ bản) **within three months after the works' final settlement (quyết toán)** (Art. 30
    para. 1). A unit that needs a file past that day may keep it (giữ lại) with the consent of the head
    of the body, **for at most two years after the day it was due** (Art. 30 para. 2). The System alerts
    30 days before the hand-over is due (Appendix VI).

TT 02/2019/TT-BNV (electronic archive data)
    ``FileCode`` = the body's identifier code (OrganId) + the list's year (FileCatalog) + the file's
    notation (FileNotation), joined by dots.

The code shown to people carries the year too ("01.PTH.2026"), so that files of different years can be
told apart in the archive without their list. No Django here: the services and the pages call these.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Final

HANDOVER_ALERT_DAYS: Final = 30  # Decree 30 Appendix VI: the 30-day hand-over alert
CAPITAL_CONSTRUCTION_MONTHS: Final = 3  # Decree 30 Art. 30 para. 1(b): months after the final settlement
HOLD_BACK_YEARS: Final = 2  # Decree 30 Art. 30 para. 2: the longest a unit keeps a file past its due day
MIN_RETENTION_FOR_ARCHIVE: Final = 5  # years; shorter files stay with the unit until destroyed
MAX_ABBREVIATION: Final = 20

_ABBREVIATION = re.compile(r"^[0-9A-ZĐ][0-9A-Za-zĐđ\-]*$")


class CodeError(ValueError):
    """A part of a file code that cannot be used; ``code`` says which rule it broke."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def file_notation(number: int, abbreviation: str) -> str:
    """The file's number and symbol in its list (FileNotation): ``01.PTH``."""
    if number < 1 or number > 9999:  # DocTotal and file numbers are N4 in the input standard
        raise CodeError("bad_number", str(number))
    abbreviation = abbreviation.strip()
    if not abbreviation or len(abbreviation) > MAX_ABBREVIATION or not _ABBREVIATION.match(abbreviation):
        raise CodeError("bad_abbreviation", abbreviation)
    return f"{number:02d}.{abbreviation}"


def file_code(number: int, abbreviation: str, year: int) -> str:
    """The code people write on the file's cover: ``01.PTH.2026``."""
    if year < 1945 or year > 9999:
        raise CodeError("bad_year", str(year))
    return f"{file_notation(number, abbreviation)}.{year}"


def organ_file_code(organ_id: str, year: int, notation: str) -> str:
    """TT 02/2019 FileCode: OrganId + FileCatalog (the year) + FileNotation, e.g.
    ``000.00.00.H70.2026.01.PTH``. Without an identifier code only the year and notation remain."""
    organ_id = organ_id.strip()
    return f"{organ_id}.{year}.{notation}" if organ_id else f"{year}.{notation}"


def must_hand_over(retention_years: int | None) -> bool:
    """Files kept permanently (``None``) or for five years or more go to the agency archive."""
    return retention_years is None or retention_years >= MIN_RETENTION_FOR_ARCHIVE


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; a day the later month lacks becomes its last day (30 November
    + 3 months → 28 or 29 February), so that the period is never exceeded."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def handover_due(work_ended_on: datetime.date) -> datetime.date:
    """The last day to hand the file over: one year after the work ended (Art. 30 para. 1(a); 29 February
    → 28 February, so that the year is never exceeded)."""
    return add_months(work_ended_on, 12)


def file_handover_due(work_ended_on: datetime.date, *, settled_on: datetime.date | None = None) -> datetime.date:
    """The hand-over day of a file (Decree 30 Art. 30 para. 1): a capital construction file, whose works'
    final settlement (quyết toán) was approved on ``settled_on``, is due three months after it; any other
    file one year after its work ended."""
    if settled_on is not None:
        return add_months(settled_on, CAPITAL_CONSTRUCTION_MONTHS)
    return handover_due(work_ended_on)


def hold_back_limit(due: datetime.date) -> datetime.date:
    """The last day a unit may keep a file it should have handed over on ``due`` (Art. 30 para. 2)."""
    return add_months(due, 12 * HOLD_BACK_YEARS)


class HoldBackError(ValueError):
    """A hold-back day that cannot be granted; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_hold_back(until: datetime.date, *, due: datetime.date, today: datetime.date) -> None:
    """A unit keeps the file past ``due`` (the day fixed by Art. 30 para. 1) until ``until``: a day after
    ``due``, not yet past, and at most two years after ``due``."""
    if until <= due:
        raise HoldBackError("not_after_due")
    if until < today:
        raise HoldBackError("in_the_past")
    if until > hold_back_limit(due):
        raise HoldBackError("beyond_limit")


class HandoverState(StrEnum):
    NOT_DUE = "not_due"  # more than 30 days left
    DUE_SOON = "due_soon"  # within the 30-day alert
    OVERDUE = "overdue"  # the day has passed


def handover_state(due: datetime.date, today: datetime.date) -> HandoverState:
    if today > due:
        return HandoverState.OVERDUE
    if (due - today).days <= HANDOVER_ALERT_DAYS:
        return HandoverState.DUE_SOON
    return HandoverState.NOT_DUE


def alert_horizon(today: datetime.date) -> datetime.date:
    """Files due on or before this day are in the reminders (due soon or overdue)."""
    return today + datetime.timedelta(days=HANDOVER_ALERT_DAYS)

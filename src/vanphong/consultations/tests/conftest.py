"""The standing committee of Tỉnh ủy Sơn Hà asked in writing: members, documents, a draft to open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from vanphong.consultations import services
from vanphong.consultations.models import Consultation
from vanphong.core.audit import Actor
from vanphong.core.models import Account
from vanphong.documents.models import Document, Secrecy
from vanphong.documents.services import incoming
from vanphong.documents.tests.conftest import Desk, desk, register_sample  # desk: the documents' fixture, used here
from vanphong.testing import Office, make_account, make_person, now_plus


@dataclass
class Committee:
    """The members consulted and the documents sent with the question."""

    desk: Desk
    office: Office
    secretary: Account  # Bí thư Tỉnh ủy, member, cleared for Tối mật
    vice: Account  # Phó Bí thư, member, cleared for Mật
    member_a: Account  # Trưởng Ban Tổ chức, member, no clearance
    member_b: Account  # Chủ nhiệm Ủy ban Kiểm tra, member, no clearance
    member_c: Account  # Trưởng Ban Tuyên giáo, member, no clearance
    plan: Document  # the office's note on the plan (not secret)
    secret: Document  # a personnel proposal, Mật

    @property
    def members(self) -> list[Account]:
        return [self.secretary, self.vice, self.member_a, self.member_b, self.member_c]

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def data(self, **overrides: object) -> services.ConsultationData:
        data = services.ConsultationData(
            body=self.office.province_party,
            title="Xin ý kiến về Đề án sắp xếp tổ chức bộ máy",
            question="Đề nghị các đồng chí Ủy viên Ban Thường vụ cho ý kiến về Đề án sắp xếp, tinh gọn "
            "tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy Sơn Hà.",
            deadline=now_plus(days=3),
            documents=[self.plan, self.secret],
        )
        for name, value in overrides.items():
            setattr(data, name, value)
        return data

    def draft(self, **overrides: object) -> Consultation:
        return services.create(
            self.actor(self.office.clerk), self.data(**overrides), members=[a.person for a in self.members]
        )  # type: ignore[misc]

    def opened(self, **overrides: object) -> Consultation:
        return services.open_consultation(self.actor(self.office.clerk), self.draft(**overrides))


@pytest.fixture
def committee(desk: Desk) -> Committee:
    office = desk.office
    party = office.province_party

    def member(name: str, username: str, clearance: int = 0) -> Account:
        return make_account(make_person(name, party, clearance=clearance), username)

    clerk = Actor(account=office.clerk, source="web")
    plan = incoming.register_incoming(clerk, register_sample(desk, abstract="Tờ trình về Đề án sắp xếp bộ máy"))
    secret = incoming.register_incoming(
        clerk, register_sample(desk, number_symbol="15/BTC-TU", abstract="Đề xuất nhân sự", secrecy=Secrecy.MAT)
    )
    return Committee(
        desk=desk,
        office=office,
        secretary=member("Nguyễn Hữu Thắng", "bithu", clearance=2),
        vice=member("Lê Văn Phúc", "phobithu", clearance=1),
        member_a=member("Trịnh Thị Hằng", "truongbantc"),
        member_b=member("Đinh Công Khải", "chunhiemubkt"),
        member_c=member("Vũ Thị Thanh", "truongbantg"),
        plan=plan,
        secret=secret,
    )


def english(client: Client) -> Client:
    client.cookies["vanphong_language"] = "en"
    return client


__all__ = ["Committee", "committee", "datetime", "desk", "english"]

"""A written consultation as people make it (issue 5, xin ý kiến bằng văn bản).

The office has sent the standing committee's members a question; a member finds it on the home page,
answers, changes the answer in place; the văn thư who organised it sees every answer, closes it, and
reads the result against the whole committee.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from vanphong.consultations import services
from vanphong.consultations.forms import AnswerForm, CloseForm
from vanphong.consultations.tests import conftest as consultations_conftest
from vanphong.documents.tests import conftest as documents_conftest

from .conftest import Web, control, tr

desk = documents_conftest.desk  # the documents desk: the registry the question's documents come from
committee = consultations_conftest.committee  # the members consulted and the documents sent


@pytest.mark.browser
def test_a_member_answers_and_the_office_closes_with_the_tally(
    web: Web, committee: consultations_conftest.Committee
) -> None:
    consultation = committee.opened()
    for account in (committee.secretary, committee.vice):
        services.answer(committee.actor(account), consultation, choice="agree")

    page = web.page
    web.sign_in("truongbantc")
    panel = page.locator("#consultations-waiting")
    expect(panel).to_contain_text(consultation.title)
    panel.get_by_role("link", name=consultation.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(consultation.title)
    expect(page.locator("[data-withheld]")).to_have_count(1)  # the secret proposal: beyond her clearance

    # "Other opinion" without a comment is refused in place; then she disagrees, then agrees after all.
    page.wait_for_load_state("load")
    form = page.locator("#answer-form")
    form.get_by_label(tr("Other opinion (ý kiến khác)")).check()
    form.get_by_role("button", name=tr("Send my answer")).click()
    expect(page.locator("#answer-form .field__error")).to_contain_text(tr("Write your opinion."))
    page.locator("#answer-form").get_by_label(tr("Disagree (không đồng ý)")).check()
    control(page.locator("#answer-form"), AnswerForm, "comment").fill("Đề nghị lùi thời hạn thực hiện Đề án.")
    page.locator("#answer-form").get_by_role("button", name=tr("Send my answer")).click()
    expect(page.locator("#my-answer")).to_have_attribute("data-answer", "disagree")
    page.locator("#answer-form").get_by_label(tr("Agree (đồng ý)"), exact=True).check()
    page.locator("#answer-form").get_by_role("button", name=tr("Change my answer")).click()
    expect(page.locator("#my-answer")).to_have_attribute("data-answer", "agree")
    expect(page.locator("#members")).to_have_count(0)  # nobody else's answer for a member
    web.screenshot("consultation-member")

    # The văn thư closes it: 3 of 5 agree, more than half of the whole committee.
    page = web.new_page()
    web.sign_in("vanthu", page=page)
    page.goto(f"/consultations/{consultation.pk}/")
    expect(page.locator('#members tr[data-answer="agree"]')).to_have_count(3)
    control(page.locator("#close-form"), CloseForm, "conclusion").fill("Ban Thường vụ thống nhất thông qua Đề án.")
    page.locator("#close-form").get_by_role("button", name=tr("Close the consultation")).click()
    expect(page.locator("#result")).to_have_attribute("data-passed", "yes")
    expect(page.locator('#tally [data-count="not_answered"]')).to_have_text("2")
    expect(page.locator("#summary-pdf")).to_be_visible()
    web.screenshot("consultation-closed", page)

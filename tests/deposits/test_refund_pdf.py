"""The refund approval form (装修保证金退款审批表) as a PDF: its text read back carries the
figures in numbers and in 大写, the checklist and the signature lines."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from deposits.enums import RefundStatus
from tests.factories.deposits import RefundFactory

pytestmark = pytest.mark.django_db
D = Decimal


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_form_prints_the_figures_in_numbers_and_in_words(client, auditor):
    refund = RefundFactory(status=RefundStatus.PAID)
    client.force_login(auditor)
    response = client.get(reverse("deposits:refund_pdf", args=[refund.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response))
    assert "装修保证金退款审批表" in text
    for figure, words in (
        ("¥5,000.00", "伍仟元整"),
        ("¥300.00", "叁佰元整"),
        ("¥4,700.00", "肆仟柒佰元整"),
    ):
        assert figure in text
        assert f"大写：{words}" in text
    assert "地砖破损" in text  # the deduction's reason
    for line in ("经办人（前台）", "审批人（主管）", "付款人（财务）", "收款人签字"):
        assert line in text
    # The checklist: every item of a decoration deposit, ticked.
    for item in (
        "√竣工验收合格",
        "√出入证全部交回或已按遗失处理",
        "√已收回收据原件",
    ):
        assert item in text
    assert text.count("√") == 5
    assert "×" not in text

"""The history reads as Chinese: every field named, values as people read them (a close's
figures under the payment methods' names, money as ¥, yes/no)."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from config.history import display_value
from fees.enums import PayerKind
from fees.history import close_history
from fees.models import Charge, DailyClose, DailyCloseMethod, FeeType
from fees.selectors.days import day_get
from fees.services.days import day_record_count, day_return, day_submit
from fees.services.receipts import LineInput, Payer, receipt_issue

HAN = re.compile(r"[\u4e00-\u9fff]")
# A hash is called by its name. (Keys are left out: a record's key never changes.)
NAMES_KEPT = {"SHA-256"}
# django-simple-history's bookkeeping columns, never shown as changes.
BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type"}
SKIPPED = BOOKKEEPING | {"history_user", "id"}
PROJECT_APPS = ["config", "archives", "fees", "deposits", "complaints", "attendance"]


def test_every_field_of_every_model_has_a_chinese_name():
    untranslated = []
    with translation.override("zh-hans"):
        for label in PROJECT_APPS:
            for model in apps.get_app_config(label).get_models():
                names = [model._meta.verbose_name, model._meta.verbose_name_plural]
                names += [
                    field.verbose_name
                    for field in model._meta.concrete_fields
                    if field.name not in SKIPPED and not field.primary_key
                ]
                untranslated += [
                    f"{model._meta.label}: {name}"
                    for name in map(str, names)
                    if name not in NAMES_KEPT
                    and not HAN.search(name)
                    and not name.startswith("historical ")
                ]
    assert untranslated == []


@pytest.mark.django_db
def test_values_read_as_people_read_them():
    with translation.override("zh-hans"):
        assert display_value(DailyCloseMethod, "counted", Decimal("1350.5")) == "¥1,350.50"
        assert display_value(DailyCloseMethod, "method", "wechat") == "微信支付"
        assert display_value(DailyCloseMethod, "explanation", "少一枚硬币") == "少一枚硬币"
        assert display_value(DailyClose, "state", "submitted") == "已提交"
        assert display_value(Charge, "cancelled", True) == "是"
        assert display_value(Charge, "amount", Decimal("1200")) == "¥1,200.00"
        assert display_value(DailyCloseMethod, "expected", None) == "—"


@pytest.mark.django_db
def test_a_days_history_names_the_count_and_its_figures(assistant, manager, client_as):
    assistant.first_name = "李晓敏"
    assistant.save()
    receipt_issue(
        by=assistant,
        payer=Payer(kind=PayerKind.PERSON, name="王师傅"),
        lines=[LineInput(fee_type=FeeType.objects.get(code="card_fee"), unit_price=Decimal("10"))],
        method="cash",
    )
    today = timezone.localdate()
    day = day_get(today)
    day = day_record_count(
        day=day,
        by=assistant,
        cash_count={Decimal("100"): 3, Decimal("50"): 1, Decimal("0.5"): 2},
        non_cash={"wechat": Decimal("20.00")},
    )
    day_submit(day=day, by=assistant, explanations={"cash": "多收", "wechat": "测试"})
    day_return(day=day, by=manager, comment="再核对")

    with translation.override("zh-hans"):
        returned, submitted, counted, _created = close_history(DailyClose.objects.get(pk=day.pk))
    assert (counted.reason, submitted.reason, returned.reason) == (
        "实点",
        "已提交",
        "退回前台: 再核对",
    )
    assert counted.changes[1:] == [
        ("清点人", "—", "李晓敏"),
        ("实点（现金）", "—", "¥351.00"),
        ("实点（银行卡）", "—", "¥0.00"),
        ("实点（微信支付）", "—", "¥20.00"),
        ("实点（支付宝）", "—", "¥0.00"),
        ("实点（银行转账）", "—", "¥0.00"),
    ]
    assert submitted.changes[-7:] == [
        ("系统应收（现金）", "—", "¥10.00"),
        ("说明（现金）", "—", "多收"),
        ("系统应收（银行卡）", "—", "¥0.00"),
        ("系统应收（微信支付）", "—", "¥0.00"),
        ("说明（微信支付）", "—", "测试"),
        ("系统应收（支付宝）", "—", "¥0.00"),
        ("系统应收（银行转账）", "—", "¥0.00"),
    ]
    assert ("状态", "未日结", "已提交") in submitted.changes
    # Returned: the expected figures go until the next submission, the explanations stay.
    assert [change for change in returned.changes if "（" in change[0]] == [
        ("系统应收（现金）", "¥10.00", "—"),
        ("系统应收（银行卡）", "¥0.00", "—"),
        ("系统应收（微信支付）", "¥0.00", "—"),
        ("系统应收（支付宝）", "¥0.00", "—"),
        ("系统应收（银行转账）", "¥0.00", "—"),
    ]

    page = client_as(assistant)
    page.cookies.pop("django_language")
    html = page.get(reverse("fees:day_detail", args=[today.isoformat()])).content.decode()
    history = html[html.index('id="history-title"') :]
    assert "实点（现金）" in history and "¥351.00" in history
    assert "{" not in history and "counted by" not in history

"""The history reads as Chinese: every field named, values as people read them (the cash
count as 面额 × 张数, figures under the payment methods' names, money as ¥, yes/no)."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from config.history import display_value, history_entries
from fees.enums import PayerKind
from fees.history import cash_count_display
from fees.models import Charge, DailyClose, FeeType
from fees.selectors.days import day_get
from fees.services.days import day_record_count, day_submit
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


def test_cash_count_reads_as_denomination_times_pieces():
    with translation.override("zh-hans"):
        assert cash_count_display({"50": 1, "0.5": 2, "100": 3, "0.1": 4}) == (
            "100元 × 3，50元 × 1，5角 × 2，1角 × 4"
        )
    with translation.override("en"):
        assert cash_count_display({"100": 3, "0.5": 2}) == "100 yuan × 3, 5 jiao × 2"


@pytest.mark.django_db
def test_values_read_as_people_read_them():
    with translation.override("zh-hans"):
        assert display_value(DailyClose, "counted", {"wechat": "20.00", "cash": "1350.5"}) == (
            "现金 ¥1,350.50，微信支付 ¥20.00"
        )
        assert display_value(DailyClose, "explanations", {"cash": "少一枚硬币"}) == (
            "现金：少一枚硬币"
        )
        assert display_value(DailyClose, "state", "submitted") == "已提交"
        assert display_value(Charge, "cancelled", True) == "是"
        assert display_value(Charge, "amount", Decimal("1200")) == "¥1,200.00"
        assert display_value(DailyClose, "cash_count", {}) == "—"


@pytest.mark.django_db
def test_a_days_history_names_the_count_and_its_figures(assistant, client_as):
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

    with translation.override("zh-hans"):
        submitted, counted, _created = history_entries(DailyClose.objects.get(pk=day.pk))
    counted_changes = {label: (old, new) for label, old, new in counted.changes}
    assert counted_changes["现金分面额清点"] == ("—", "100元 × 3，50元 × 1，5角 × 2")
    assert counted_changes["清点人"] == ("—", "李晓敏")
    assert counted_changes["各付款方式实点金额"] == (
        "—",
        "现金 ¥351.00，银行卡 ¥0.00，微信支付 ¥20.00，支付宝 ¥0.00，银行转账 ¥0.00",
    )
    submitted_changes = {label: (old, new) for label, old, new in submitted.changes}
    assert submitted_changes["状态"] == ("未日结", "已提交")
    assert submitted_changes["差异说明"] == ("—", "现金：多收；微信支付：测试")

    page = client_as(assistant)
    page.cookies.pop("django_language")
    html = page.get(reverse("fees:day_detail", args=[today.isoformat()])).content.decode()
    history = html[html.index('id="history-title"') :]
    assert "100元 × 3，50元 × 1，5角 × 2" in history
    assert "{" not in history and "counted by" not in history

"""The exact money, quantity and date fields: what they take, what they refuse and say."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.dates import DateBounds, date_bounds
from config.fields import (
    BoundedDateField,
    ExactDecimalField,
    MoneyField,
    QuantityField,
    YearMonthField,
)
from config.money import MAX_AMOUNT, MAX_DAY_TOTAL

MONEY_RULE = (
    "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most two decimals, "
    "e.g. 35 or 35.50 (no commas)."
)
COUNT_RULE = "Enter a whole number from 0 to 100000 in plain digits."

# Each one is refused by the money fields; Django's DecimalField takes the first five
# (Decimal() reads exponents, NaN, Infinity and full-width digits) and the last.
BAD_MONEY = [
    "1e3",
    "NaN",
    "Infinity",
    "１２３",
    "99999999999",
    "1.005",
    " ",
    "1,000",
    "+5",
    "0x10",
    "-5",
    "-0.01",
    ".5",
    "5.",
    "1 000",
    "35元",
    "¥35",
    "٣٥",  # Arabic-Indic digits, which int() and Decimal() also read
    "0",
    "0.00",
    "1000000.01",
]


def clean(field, value):
    class OneField(forms.Form):
        pass

    OneField.base_fields = {"value": field}
    form = OneField({"value": value})
    form.is_valid()
    return form


@pytest.mark.parametrize("value", BAD_MONEY)
def test_money_refuses_anything_but_plain_digits_with_the_rule(value):
    form = clean(MoneyField(), value)
    assert form.errors == {"value": [MONEY_RULE]}


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("35", "35.00"),
        ("35.5", "35.50"),
        ("35.50", "35.50"),
        ("0.01", "0.01"),
        ("1000000", "1000000.00"),
        ("1000000.00", "1000000.00"),
        (" 35.50 ", "35.50"),  # spaces around a figure are not part of it
        ("0035", "35.00"),
    ],
)
def test_money_takes_plain_digits_exactly(value, amount):
    form = clean(MoneyField(), value)
    assert form.errors == {}
    cleaned = form.cleaned_data["value"]
    assert (cleaned, str(cleaned)) == (Decimal(amount), amount)


def test_optional_money_left_blank_is_none_and_a_required_one_says_the_rule():
    assert clean(MoneyField(required=False), " ").cleaned_data == {"value": None}
    assert clean(MoneyField(), "").errors == {"value": [MONEY_RULE]}


def test_money_from_zero_and_up_to_a_days_total():
    field = MoneyField(min_value=Decimal("0"), max_value=MAX_DAY_TOTAL)
    assert clean(field, "0").cleaned_data == {"value": Decimal("0.00")}
    assert clean(field, "100000000.00").cleaned_data == {"value": MAX_DAY_TOTAL}
    assert clean(field, "100000000.01").errors == {
        "value": [
            "Enter an amount from 0.00 to 100000000.00 yuan in plain digits with at most two "
            "decimals, e.g. 35 or 35.50 (no commas)."
        ]
    }


def test_a_negative_only_where_the_limits_allow_one():
    field = ExactDecimalField(
        min_value=Decimal("-10"), max_value=Decimal("10"), message="%(min)s..%(max)s"
    )
    assert clean(field, "-2.5").cleaned_data == {"value": Decimal("-2.50")}
    assert str(clean(field, "-0").cleaned_data["value"]) == "0.00"
    assert clean(field, "-10.01").errors == {"value": ["-10.00..10.00"]}


def test_money_widget_is_text_with_a_decimal_keyboard():
    html = str(clean(MoneyField(), "35")["value"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert r'pattern="[0-9]+(\.[0-9]{1,2})?"' in html


def test_the_money_limit_is_the_one_in_config_money():
    assert MAX_AMOUNT == Decimal("1000000.00")
    assert MoneyField().max_value == MAX_AMOUNT


@pytest.mark.parametrize(
    "value",
    ["1e2", "１２", "1.5", "1.0", "-1", "+1", "100001", "NaN", "1,000", "0x10", "٣", "1 0"],
)
def test_quantity_refuses_anything_but_a_whole_number_in_range(value):
    form = clean(QuantityField(min_value=0, max_value=100000), value)
    assert form.errors == {"value": [COUNT_RULE]}


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("7", 7), ("100000", 100000)])
def test_quantity_takes_whole_numbers(value, number):
    form = clean(QuantityField(min_value=0, max_value=100000), value)
    assert form.cleaned_data == {"value": number}
    assert type(form.cleaned_data["value"]) is int


def test_quantity_widget_has_a_digit_keyboard_and_no_spinner():
    html = str(clean(QuantityField(max_value=999), "1")["value"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'pattern="[0-9]+"' in html


def test_an_unchanged_initial_quantity_is_not_a_change():
    # An empty line of the receipt form keeps its initial quantity of 1.
    field = QuantityField(max_value=999, initial=1, required=False)
    assert field.has_changed(1, "1") is False
    assert field.has_changed(1, "１") is True


# --- dates -----------------------------------------------------------------------------

TODAY = date(2027, 1, 1)


def test_bounds_from_a_fixed_today(settings):
    settings.EARLIEST_RECORD_DATE = date(2015, 3, 1)
    assert date_bounds(TODAY) == DateBounds(date(2015, 3, 1), TODAY)
    assert date_bounds(TODAY, days_ahead=731) == DateBounds(date(2015, 3, 1), date(2029, 1, 1))
    assert date_bounds(TODAY, days_back=0, days_ahead=90) == DateBounds(TODAY, date(2027, 4, 1))
    assert date_bounds(TODAY, days_back=40000) == DateBounds(date(2015, 3, 1), TODAY)
    assert date_bounds(TODAY, not_before=date(2026, 12, 30)) == DateBounds(
        date(2026, 12, 30), TODAY
    )


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2015, 2, 28), False),
        (date(2015, 3, 1), True),
        (TODAY, True),
        (TODAY + timedelta(days=1), False),
    ],
)
def test_a_date_just_inside_and_just_outside(settings, day, inside):
    settings.EARLIEST_RECORD_DATE = date(2015, 3, 1)
    bounds = date_bounds(TODAY)
    assert (day in bounds) is inside
    if inside:
        bounds.check(day)
    else:
        with pytest.raises(ValidationError) as caught:
            bounds.check(day)
        assert caught.value.messages == ["Enter a date from 2015-03-01 to 2027-01-01."]


@pytest.mark.parametrize(
    ("offset", "error"),
    [(-1, True), (0, False), (30, False), (31, True)],
)
def test_the_date_field_checks_against_todays_date(offset, error):
    today = timezone.localdate()
    form = clean(
        BoundedDateField(days_back=0, days_ahead=30), (today + timedelta(days=offset)).isoformat()
    )
    expected = [f"Enter a date from {today} to {today + timedelta(days=30)}."] if error else []
    assert form.errors.get("value", []) == expected


def test_the_date_field_before_the_first_records(settings):
    settings.EARLIEST_RECORD_DATE = date(2010, 1, 1)
    today = timezone.localdate()
    assert clean(BoundedDateField(), "2009-12-31").errors == {
        "value": [f"Enter a date from 2010-01-01 to {today}."]
    }
    assert clean(BoundedDateField(), "2010-01-01").errors == {}


def test_a_form_narrows_the_start_for_one_record():
    today = timezone.localdate()
    field = BoundedDateField()
    field.not_before = today - timedelta(days=3)
    assert clean(field, (today - timedelta(days=4)).isoformat()).errors == {
        "value": [f"Enter a date from {today - timedelta(days=3)} to {today}."]
    }
    assert clean(field, (today - timedelta(days=3)).isoformat()).errors == {}


def test_the_date_picker_offers_only_the_accepted_days():
    today = timezone.localdate()
    html = str(clean(BoundedDateField(days_back=0, days_ahead=90), "")["value"])
    assert f'min="{today}"' in html
    assert f'max="{today + timedelta(days=90)}"' in html


@pytest.mark.parametrize("value", ["2026-02-30", "14/05/2026x", "tomorrow", "99999-01-01"])
def test_a_date_that_is_not_one_says_how_to_write_it(value):
    assert clean(BoundedDateField(), value).errors == {
        "value": ["Enter a date as year-month-day, e.g. 2026-05-14."]
    }


# --- every form uses them ----------------------------------------------------------------

PROJECT_APPS = ("fees", "archives", "deposits", "complaints", "attendance", "config")


def every_form_class():
    """Every form class of the project's own modules, found through the pages (the URL
    configuration imports every view, and the views their forms)."""
    import config.urls  # noqa: F401

    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in PROJECT_APPS),
        key=lambda cls: (cls.__module__, cls.__name__),
    )


@pytest.mark.django_db
def test_no_form_takes_a_number_or_a_date_through_djangos_loose_fields():
    loose = []
    for cls in every_form_class():
        try:
            fields = cls().fields  # with the fields a form adds when it is made
        except TypeError:  # a form that needs its record: the declared fields
            fields = cls.base_fields
        for name, field in fields.items():
            if isinstance(field, (forms.DecimalField, forms.IntegerField, forms.FloatField)):
                loose.append(f"{cls.__name__}.{name}")
            if isinstance(field, forms.DateField) and not isinstance(field, BoundedDateField):
                loose.append(f"{cls.__name__}.{name}")
    assert loose == []
    assert len(every_form_class()) >= 25


@pytest.mark.parametrize(
    "value", ["0000-05", "2026-13", "2026-0", "２０２６-05", "2026/05", "1999-12"]
)
def test_a_month_field_refuses_what_is_not_a_month_with_the_rule(value):
    # Year 0 is no date's year: refused, not a crash of the page that reads the month.
    form = clean(YearMonthField(min_year=2000), value)
    assert form.errors == {"value": ["Enter a month as year-month, e.g. 2026-05."]}
    assert clean(YearMonthField(), "0000-05").errors == form.errors


def test_a_month_field_takes_year_and_month():
    assert clean(YearMonthField(), "2026-05").cleaned_data == {"value": (2026, 5)}
    assert clean(YearMonthField(min_year=2000), "2000-1").cleaned_data == {"value": (2000, 1)}

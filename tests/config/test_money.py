from decimal import Decimal

import pytest
from django.template import Context, Template

from config.money import amount_in_words, format_money


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("1.00", "壹元整"),
        ("10.50", "壹拾元伍角"),
        ("150", "壹佰伍拾元整"),
        ("1005", "壹仟零伍元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("100000.10", "壹拾万元壹角"),
        ("-35", "负叁拾伍元整"),
        ("1.05", "壹元零伍分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("2.675", "贰元陆角捌分"),  # half-up, not banker's rounding
        ("0.005", "壹分"),
        ("-0.004", "零元整"),  # rounds to zero: no "负"
    ],
)
def test_amount_in_words_rounds_half_up_to_cents(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_accepts_int_and_str():
    assert amount_in_words(150) == "壹佰伍拾元整"
    assert amount_in_words("150.00") == "壹佰伍拾元整"


@pytest.mark.parametrize("amount", ["1e12", "-1e12", "999999999999.995", "1e40", "NaN", "Infinity"])
def test_amount_in_words_rejects_out_of_range(amount):
    with pytest.raises(ValueError):
        amount_in_words(Decimal(amount))


def test_amount_in_words_rejects_garbage():
    with pytest.raises(ValueError):
        amount_in_words("12元")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1234.5", "¥1,234.50"),
        ("0", "¥0.00"),
        ("-35", "-¥35.00"),
        ("1234567.891", "¥1,234,567.89"),
    ],
)
def test_format_money(amount, text):
    assert format_money(Decimal(amount)) == text


def render(source: str, **context) -> str:
    return Template("{% load money %}" + source).render(Context(context))


def test_template_filters():
    assert render("{{ a|money }} {{ a|daxie }}", a=Decimal("150")) == "¥150.00 壹佰伍拾元整"


@pytest.mark.parametrize("value", [None, "", "abc", Decimal("1e12")])
def test_template_filters_fail_quietly(value):
    assert render("[{{ a|money }}|{{ a|daxie }}]", a=value) == "[|]"

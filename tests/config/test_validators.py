import random

import pytest
from django.core.exceptions import ValidationError

from config.demo import make_credit_code, make_resident_id
from config.validators import validate_credit_code, validate_mobile, validate_resident_id


def error_code(validator, value):
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


def test_resident_id_accepts_real_numbers_with_x_check_digit():
    validate_resident_id("11010519491231002X")
    validate_resident_id("11010519491231002x")  # typed in lower case
    # Hangzhou Shangcheng's code dates from 1983; people born before keep it on their cards.
    body = "33010219600101123"
    from stdnum.cn import ric

    validate_resident_id(body + ric.calc_check_digit(body + "0"))


@pytest.mark.parametrize(
    "value, code",
    [
        ("1101051949123100", "length"),
        ("11010519491231002Y", "format"),
        ("99010519491231002X", "province"),
        ("110105194913310025", "birth_date"),
        ("110105194912310021", "checksum"),
    ],
)
def test_resident_id_says_what_is_wrong(value, code):
    assert error_code(validate_resident_id, value) == code


def test_generated_identifiers_pass_the_checks():
    rng = random.Random(5)
    for _ in range(500):
        validate_resident_id(make_resident_id(rng))
        validate_credit_code(make_credit_code(rng))


@pytest.mark.parametrize(
    "value, code",
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y44", "checksum"),
        ("91350100M0001OOY43", "format"),
    ],
)
def test_credit_code_says_what_is_wrong(value, code):
    assert error_code(validate_credit_code, value) == code


def test_credit_code_accepts_a_valid_code():
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("value", ["13812345678", "+86 138 1234 5678", "199-1234-5678"])
def test_mobile_accepts(value):
    validate_mobile(value)


@pytest.mark.parametrize(
    "value, code",
    [("1381234567", "length"), ("12812345678", "prefix"), ("138abc45678", "format")],
)
def test_mobile_says_what_is_wrong(value, code):
    assert error_code(validate_mobile, value) == code

"""config.privacy: the one masking of ID and mobile numbers, the one rule of who sees them whole,
and every personal field of every model masked in the history."""

import pytest
from django.apps import apps

from config.history import is_masked
from config.privacy import (
    ID_NUMBER,
    MOBILE,
    mask_id_number,
    mask_mobile,
    may_see_whole,
    mobile_for,
)
from config.roles import Role


@pytest.mark.parametrize(
    "number, masked",
    [
        # A resident ID keeps its region and last four: the birth date never shows.
        ("110105199003071234", "110105********1234"),
        ("33010219850615002X", "330102********002X"),
        # The old 15-digit card: at least eight hidden.
        ("110105900307123", "110********7123"),
        # Passports and permits keep their last four at most.
        ("E12345678", "*****5678"),
        ("H1234567890", "*******7890"),
        ("12345678", "****5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_id_numbers_are_masked_keeping_at_most_region_and_last_four(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    "number, masked",
    [("13812345678", "138****5678"), ("1381234", "*******"), ("", "")],
)
def test_mobile_numbers_are_masked_as_chinese_services_print_them(number, masked):
    assert mask_mobile(number) == masked


# Who sees whole: ID numbers (each time recorded) and mobile numbers, by role.
WHOLE_BY_ROLE = {
    Role.ASSISTANT: (True, True),
    Role.MANAGER: (True, True),
    Role.FINANCE: (False, False),
    Role.AUDITOR: (False, False),
    Role.DEPARTMENT: (False, False),
    Role.ADMINISTRATOR: (False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(WHOLE_BY_ROLE))
def test_who_may_see_personal_data_whole(make_user, role):
    user = make_user(f"user-{role}", role)
    seen = (may_see_whole(user, ID_NUMBER), may_see_whole(user, MOBILE))
    assert seen == WHOLE_BY_ROLE[role]
    expected = "13812345678" if WHOLE_BY_ROLE[role][1] else "138****5678"
    assert mobile_for(user, "13812345678") == expected


@pytest.mark.django_db
def test_an_anonymous_user_sees_nothing_whole():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert (may_see_whole(anonymous, ID_NUMBER), may_see_whole(anonymous, MOBILE)) == (False, False)
    assert mobile_for(anonymous, "13812345678") == "138****5678"


PERSONAL_FIELD_NAMES = {"id_number", "phone"}
PROJECT_APPS = ["config", "archives", "fees", "deposits", "complaints", "attendance"]


def test_every_personal_field_of_a_recorded_model_reads_masked_in_the_history():
    """A new model with an ID or mobile number and a history must register its masking
    (config.history.register_personal), or its history would show them whole."""
    unmasked = [
        f"{model._meta.label}.{field.name}"
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if field.name in PERSONAL_FIELD_NAMES and not is_masked(model, field.name)
    ]
    assert unmasked == []

"""Users with roles, for tests and for the factories that act as a member of staff."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from config.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the given roles: ``UserFactory(roles=[Role.MANAGER])``. No password:
    tests log in with ``force_login``, and hashing one costs more than the rest."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(None)

    @factory.post_generation
    def roles(user, create, roles, **kwargs):
        if create and roles:
            user.groups.add(*Group.objects.filter(name__in=roles))


def staff(role: str):
    """The member of staff a factory acts as when the test names nobody (one per role)."""
    return UserFactory(username=f"staff-{role}", roles=[role])


def assistant():
    return staff(Role.ASSISTANT)


def manager():
    return staff(Role.MANAGER)


def finance():
    return staff(Role.FINANCE)

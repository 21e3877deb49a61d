from django.conf import settings

from config.roles import role_label, user_roles


def navigation(request):
    """What the header needs on every page: the centre's name and the user's roles."""
    roles = user_roles(request.user) if hasattr(request, "user") else []
    return {
        "centre_name": settings.CENTRE_NAME,
        "user_roles": roles,
        "user_role_labels": [role_label(role) for role in roles],
    }

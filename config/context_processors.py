from django.utils.functional import SimpleLazyObject

from config.centre import current_centre
from config.roles import role_label, user_roles


def navigation(request):
    """What the header needs on every page: the centre (read only if a template uses it)
    and the user's roles."""
    centre = SimpleLazyObject(lambda: current_centre(request))
    roles = user_roles(request.user) if hasattr(request, "user") else []
    return {
        "centre": centre,
        "centre_name": SimpleLazyObject(lambda: centre.name),
        "user_roles": roles,
        "user_role_labels": [role_label(role) for role in roles],
    }

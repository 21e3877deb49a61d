from django.core.exceptions import PermissionDenied


def require(user, permission: str) -> None:
    """Services call this first: a role without the permission gets 403, whatever the UI showed."""
    if not user.has_perm(permission):
        raise PermissionDenied(permission)

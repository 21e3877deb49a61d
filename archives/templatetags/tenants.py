"""``{{ occupancy.tenant|tenant_name:user }}``: a tenant as the reader may name it
(archives.models.tenant_name_for: an individual's name only for those who read tenants)."""

from django import template

from archives.models import tenant_name_for

register = template.Library()


@register.filter
def tenant_name(tenant, user) -> str:
    return tenant_name_for(user, tenant.name, tenant.kind)

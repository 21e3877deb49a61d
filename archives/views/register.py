from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import F, FilteredRelation, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, DetailView, UpdateView

from archives import filters, forms, services, tables
from archives.models import Contractor, Occupancy, Tenant, Unit
from archives.selectors import SearchScope, access_log_rows, current_occupancy, search_register
from archives.selectors.register import CONTRACTORS, TENANTS
from archives.views.files import file_links
from config.actions import action, form_page
from config.history import history_entries
from config.lists import FilteredList as RegisterList
from config.privacy import ID_NUMBER, MOBILE, WHOLE, masked_form_kwargs, may_see_whole
from config.search import suggestions_view

CURRENT_OCCUPANCIES = Prefetch(
    "occupancies",
    queryset=Occupancy.objects.filter(handed_over_on__isnull=True).select_related("unit"),
    to_attr="current_occupancies",
)


# The area's lists in the order the menu offers them, each with the permission it needs.
LISTS = [
    ("archives:unit_list", "archives.view_unit"),
    ("archives:tenant_list", "archives.view_tenant"),
    ("archives:occupancy_list", "archives.view_occupancy"),
    ("archives:contractor_list", "archives.view_contractor"),
    ("archives:file_list", "archives.view_tenantfile"),
    ("archives:access_log", "archives.view_accesslog"),
    ("archives:record_list", "archives.view_centrerecord"),
]


@require_safe
def index(request):
    """The area's first list that the user may open (403 when none)."""
    for name, permission in LISTS:
        if request.user.has_perm(permission):
            return redirect(name)
    raise PermissionDenied


@require_safe
def search(request):
    """The header's search box: units and tenants, each only for a user who may read them
    (a department user looks up a unit, never the tenants' contacts and phones, nor an
    individual tenant's name), by mobile number only for a user who may read those."""
    user = request.user
    scope = SearchScope(
        units=user.has_perm("archives.view_unit"),
        tenants=user.has_perm("archives.view_tenant"),
        by_mobile=may_see_whole(user, MOBILE),
    )
    if not (scope.units or scope.tenants):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:50]
    results = search_register(query, scope)
    return render(
        request,
        "archives/search.html",
        {
            "query": query,
            "units": results.units if scope.units else None,
            "tenants": results.tenants if scope.tenants else None,
        },
    )


# What a form's lookup field (config.search.LookupField) suggests as the desk types: for
# whoever may read the list of those records.
contractor_suggestions = suggestions_view("archives.view_contractor", CONTRACTORS)
tenant_suggestions = suggestions_view("archives.view_tenant", TENANTS)


class UnitList(RegisterList):
    permission_required = "archives.view_unit"
    filterset_class = filters.UnitFilter
    table_class = tables.UnitTable
    title = _("Units")
    create_url_name = "archives:unit_create"
    create_permission = "archives.add_unit"

    def get_queryset(self):
        # Joins to the current occupancy (one per unit at most: a unique constraint), not a
        # subquery per unit: sorting by the tenant reads each table once.
        current = FilteredRelation(
            "occupancies", condition=Q(occupancies__handed_over_on__isnull=True)
        )
        return Unit.objects.annotate(
            current=current,
            current_tenant=F("current__tenant__name"),
            current_tenant_kind=F("current__tenant__kind"),
        )


class TenantList(RegisterList):
    permission_required = "archives.view_tenant"
    filterset_class = filters.TenantFilter
    table_class = tables.TenantTable
    title = _("Tenants")
    create_url_name = "archives:tenant_create"
    create_permission = "archives.add_tenant"

    def get_queryset(self):
        return Tenant.objects.prefetch_related(CURRENT_OCCUPANCIES)


class OccupancyList(RegisterList):
    permission_required = "archives.view_occupancy"
    filterset_class = filters.OccupancyFilter
    table_class = tables.OccupancyTable
    title = _("Occupancies")

    def get_queryset(self):
        return Occupancy.objects.select_related("unit", "tenant")


class ContractorList(RegisterList):
    permission_required = "archives.view_contractor"
    filterset_class = filters.ContractorFilter
    table_class = tables.ContractorTable
    title = _("Contractors")
    create_url_name = "archives:contractor_create"
    create_permission = "archives.add_contractor"

    def get_queryset(self):
        return Contractor.objects.all()


def _with_files(user, occupancies) -> list[Occupancy]:
    """The occupancies, each with ``file_url``: its tenant file's page, or the page that
    opens one ("" when the user may do neither)."""
    occupancies = list(occupancies)
    links = file_links(user, occupancies)
    for occupancy in occupancies:
        occupancy.file_url = links.get(occupancy.pk, "")
    return occupancies


class RegisterDetail(PermissionRequiredMixin, DetailView):
    raise_exception = True
    context_object_name = "record"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(self.object)
        return context


class UnitDetail(RegisterDetail):
    model = Unit
    permission_required = "archives.view_unit"
    template_name = "archives/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current"] = current_occupancy(self.object)
        context["occupancies"] = _with_files(
            self.request.user, self.object.occupancies.select_related("tenant")
        )
        return context


class TenantDetail(RegisterDetail):
    model = Tenant
    permission_required = "archives.view_tenant"
    template_name = "archives/tenant_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["occupancies"] = _with_files(
            self.request.user, self.object.occupancies.select_related("unit")
        )
        return context


class OccupancyDetail(RegisterDetail):
    model = Occupancy
    permission_required = "archives.view_occupancy"
    template_name = "archives/occupancy_detail.html"
    queryset = Occupancy.objects.select_related("unit", "tenant", "handed_over_to")


class ContractorDetail(RegisterDetail):
    model = Contractor
    permission_required = "archives.view_contractor"
    template_name = "archives/contractor_detail.html"


class RegisterFormView(PermissionRequiredMixin):
    """Create or edit a register record; the history records who saved it."""

    raise_exception = True
    template_name = "form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **masked_form_kwargs(self.form_class, self.request)}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Saved %(record)s.") % {"record": self.object})
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = (
            self.object.get_absolute_url()
            if getattr(self.object, "pk", None)
            else reverse(self.list_url)
        )
        return context


def _create_and_update(model, form_class, new_title, edit_title):
    """The new and edit pages of one kind of register record, with its add and change
    permissions, returning to its list."""
    name = model._meta.model_name
    attrs = {"model": model, "form_class": form_class, "list_url": f"archives:{name}_list"}
    create = type(
        f"{model.__name__}Create",
        (RegisterFormView, CreateView),
        {**attrs, "permission_required": f"archives.add_{name}", "title": new_title},
    )
    update = type(
        f"{model.__name__}Update",
        (RegisterFormView, UpdateView),
        {**attrs, "permission_required": f"archives.change_{name}", "title": edit_title},
    )
    return create, update


UnitCreate, UnitUpdate = _create_and_update(Unit, forms.UnitForm, _("New unit"), _("Edit unit"))
TenantCreate, TenantUpdate = _create_and_update(
    Tenant, forms.TenantForm, _("New tenant"), _("Edit tenant")
)
ContractorCreate, ContractorUpdate = _create_and_update(
    Contractor, forms.ContractorForm, _("New contractor"), _("Edit contractor")
)


@permission_required("archives.add_occupancy", raise_exception=True)
def tenant_move_in(request, pk):
    tenant = get_object_or_404(Tenant, pk=pk)
    form = forms.MoveInForm(request.POST or None, instance=Occupancy(tenant=tenant))
    return form_page(
        request,
        form,
        lambda: services.occupancy_move_in(occupancy=form.save(commit=False), by=request.user),
        success=lambda occupancy: (
            _("%(tenant)s moved into %(unit)s.") % {"tenant": tenant, "unit": occupancy.unit}
        ),
        done=lambda occupancy: occupancy,
        title=_("Move %(tenant)s into a unit") % {"tenant": tenant},
        cancel_url=tenant.get_absolute_url(),
    )


@action("archives.change_tenant", back="archives:tenant_detail")
def tenant_verify(request, pk):
    """Verified with the tenant, no change: one click, from the tenant's page or from the
    list of those due (back to it)."""
    tenant = services.tenant_mark_verified(tenant=get_object_or_404(Tenant, pk=pk), by=request.user)
    text = _("%(tenant)s's details marked verified today.") % {"tenant": tenant}
    if request.POST.get("next") == "due":
        return text, reverse("archives:verification_due")
    return text


@require_POST
@permission_required(WHOLE[ID_NUMBER], raise_exception=True)
def tenant_id_number(request, pk):
    """The tenant's whole ID number, shown once its viewing is in the access log."""
    tenant = get_object_or_404(Tenant.objects.exclude(id_number=""), pk=pk)
    number = services.id_number_reveal(record=tenant, by=request.user, page=request.path)
    return render(
        request,
        "whole_id.html",
        {
            "record": tenant,
            "doc_type": tenant.get_id_doc_type_display(),
            "number": number,
            "back": tenant.get_absolute_url(),
        },
    )


# The access log's filters that its Excel export (archives.exporters.access) reads too.
EXPORTED_FILTERS = ("date_from", "date_to", "user", "file")


class AccessLogList(RegisterList):
    """The access log, read-only: filtered by person, file, document and dates, and
    exported for the auditor with the same filters."""

    permission_required = "archives.view_accesslog"
    filterset_class = filters.AccessLogFilter
    table_class = tables.AccessLogTable
    title = _("Access log")
    template_name = "archives/access/log.html"

    def get_queryset(self):
        return access_log_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kept = {
            name: self.request.GET[name] for name in EXPORTED_FILTERS if self.request.GET.get(name)
        }
        context["export_query"] = urlencode(kept)
        return context

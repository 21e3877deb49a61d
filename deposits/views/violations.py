"""Violations (违规记录): the list, recording one with its evidence and penalty, its page
with the resolve form, and its photos."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from archives.models import AccessKind
from archives.services import access_record
from config.history import history_entries
from config.lists import FilteredList
from config.money import format_money
from deposits.filters.violations import ViolationFilter
from deposits.forms.violations import ResolveForm, ViolationForm
from deposits.models import DecorationApplication, Violation, ViolationPhoto
from deposits.services import violations as service
from deposits.tables.violations import ViolationTable
from deposits.views.common import run, stored_file_response

VIEW = "deposits.view_violation"
MANAGE = service.MANAGE


class ViolationList(FilteredList):
    permission_required = VIEW
    filterset_class = ViolationFilter
    table_class = ViolationTable
    template_name = "deposits/violations/list.html"
    title = gettext_lazy("Violations")
    create_url_name = "deposits:violation_create"
    create_permission = MANAGE

    def get_queryset(self):
        return Violation.objects.select_related("application", "tenant", "unit", "penalty")


def _recorded(violation) -> str:
    text = _("Violation recorded.")
    if violation.penalty is not None:
        text += " " + _("A penalty of %(amount)s is billed to %(tenant)s.") % {
            "amount": format_money(violation.penalty.amount),
            "tenant": violation.tenant.name,
        }
    return text


@permission_required(MANAGE, raise_exception=True)
def violation_create(request):
    initial = {}
    number = request.GET.get("application", "")
    if DecorationApplication.objects.filter(number=number).exists():
        initial["application"] = number
    form = ViolationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run(
            request,
            form,
            lambda: service.violation_record(
                by=request.user,
                description=data["description"],
                occurred_on=data["occurred_on"],
                application=data["application"],
                tenant=None if data["application"] else data["tenant"],
                unit=None if data["application"] else data["unit"],
                penalty=data["penalty"],
                photo=data["photo"] or None,
            ),
            success=_recorded,
            done=lambda violation: violation,
            back=reverse("deposits:violation_create"),
        )
        if done:
            return done
    return render(request, "deposits/violations/form.html", {"form": form})


def _violation(pk) -> Violation:
    return get_object_or_404(
        Violation.objects.select_related(
            "application", "tenant", "unit", "penalty", "recorded_by", "resolved_by"
        ),
        pk=pk,
    )


def _detail(request, pk, *, resolve_form=None, status=200):
    violation = _violation(pk)
    context = {
        "violation": violation,
        "photos": violation.photos.select_related("uploaded_by"),
        "can_resolve": violation.is_open and request.user.has_perm(MANAGE),
        "resolve_form": resolve_form or ResolveForm(),
        "history": history_entries(violation),
    }
    return render(request, "deposits/violations/detail.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
@require_safe
def violation_detail(request, pk):
    return _detail(request, pk)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def violation_resolve(request, pk):
    violation = _violation(pk)
    page = violation.get_absolute_url()
    form = ResolveForm(request.POST)
    if form.is_valid():
        done = run(
            request,
            form,
            lambda: service.violation_resolve(
                by=request.user, violation=violation, resolution=form.cleaned_data["resolution"]
            ),
            success=lambda _v: _("The violation is resolved."),
            done=lambda _v: page,
            back=page,
        )
        if done:
            return done
    return _detail(request, pk, resolve_form=form, status=400)


@permission_required(VIEW, raise_exception=True)
@require_safe
def violation_photo(request, pk):
    """Evidence may show people: served here only, its download recorded."""
    photo = get_object_or_404(ViolationPhoto.objects.select_related("violation"), pk=pk)
    response = stored_file_response(photo.file, f"violation-{photo.violation_id}-{photo.pk}")
    access_record(record=photo.violation, by=request.user, kind=AccessKind.PHOTO, page=request.path)
    return response


urls = [
    path("violations/", ViolationList.as_view(), name="violation_list"),
    path("violations/new/", violation_create, name="violation_create"),
    path("violations/<int:pk>/", violation_detail, name="violation_detail"),
    path("violations/<int:pk>/resolve/", violation_resolve, name="violation_resolve"),
    path("violations/photos/<int:pk>/", violation_photo, name="violation_photo"),
]

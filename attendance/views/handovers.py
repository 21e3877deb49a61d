"""The shift handovers: the list with the acknowledgement statistics (the manager's), a
handover's page (the outgoing person's draft and submission, the incoming person's answers
line by line), drafting and changing one."""

from decimal import Decimal

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attendance.filters.handovers import HandoverFilter
from attendance.forms.handovers import AnswerForm, HandoverForm, SubmitForm
from attendance.models import HandoverItem, HandoverState, ItemAnswer, ItemKind
from attendance.selectors.diary import staff_of
from attendance.selectors.handovers import (
    day_state_label,
    figure_label,
    handover_items,
    handover_statistics,
    handovers_listed,
    open_work,
)
from attendance.services import handovers as service
from attendance.tables.handovers import HandoverTable
from config.actions import action, checked, form_page
from config.history import history_entries
from config.lists import FilteredList

VIEW = "attendance.view_shifthandover"


class HandoverList(FilteredList):
    permission_required = VIEW
    filterset_class = HandoverFilter
    table_class = HandoverTable
    title = gettext_lazy("Shift handovers")
    template_name = "attendance/handovers/list.html"
    create_url_name = "attendance:handover_create"
    create_permission = service.WRITE

    def get_queryset(self):
        return handovers_listed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statistics"] = handover_statistics(self.object_list)
        return context


def _line(item: HandoverItem) -> dict:
    """A line as the page shows it: a figure's label and values in the reader's language."""
    label = figure_label(item.code) if item.kind == ItemKind.OPEN_WORK else item.label
    detail = item.detail
    if item.code == "day_close":
        detail = day_state_label(item.detail)
    if item.quantity is None:
        count = ""
    elif item.kind == ItemKind.CASH_FLOAT:
        count = f"{item.quantity:,.2f}"
    else:
        count = (
            str(int(item.quantity)) if item.quantity == int(item.quantity) else str(item.quantity)
        )
    return {"item": item, "label": label, "count": count, "detail": detail}


@permission_required(VIEW, raise_exception=True)
@require_GET
def handover_detail(request, pk):
    handover = get_object_or_404(handovers_listed(), pk=pk)
    user = request.user
    is_outgoing = handover.outgoing.user_id == user.pk
    is_incoming = handover.incoming.user_id == user.pk
    draft = handover.state == HandoverState.DRAFT
    answering = (
        is_incoming
        and not is_outgoing
        and handover.state == HandoverState.SUBMITTED
        and user.has_perm(service.WRITE)
    )
    context = {
        "handover": handover,
        "lines": [_line(item) for item in handover_items(handover)],
        "can_edit": draft and is_outgoing and user.has_perm(service.WRITE),
        "answering": answering,
        "submit_form": SubmitForm(initial={"notes": handover.notes}),
        "answer_form": AnswerForm(),
        "pending": ItemAnswer.PENDING,
        "history": history_entries(handover),
    }
    if context["can_edit"]:
        # What the system would write in if submitted now (written only on submitting).
        context["preview"] = open_work(timezone.localdate())
    return render(request, "attendance/handovers/detail.html", context)


def _initial(handover=None) -> dict:
    if handover is None:
        return {"date": timezone.localdate(), "cash_float": Decimal("0.00")}
    initial = {
        "date": handover.date,
        "shift": handover.shift,
        "incoming": handover.incoming,
        "notes": handover.notes,
    }
    matters = []
    for item in handover.items.all():
        if item.kind == ItemKind.CASH_FLOAT:
            initial["cash_float"] = item.quantity
        elif item.kind == ItemKind.CABINET_KEYS:
            initial["cabinet_keys"] = int(item.quantity)
        elif item.kind == ItemKind.PERMIT_CARDS:
            initial["permit_cards"] = int(item.quantity)
        elif item.kind == ItemKind.OTHER:
            initial["other_item"], initial["other_count"] = item.label, int(item.quantity)
        elif item.kind == ItemKind.MATTER:
            matters.append(item.label)
    initial["matters"] = "\n".join(matters)
    return initial


@never_cache
@permission_required(service.WRITE, raise_exception=True)
def handover_create(request):
    initial = _initial()
    staff = staff_of(request.user)
    if staff is not None:
        initial["shift"] = staff.shift
    form = HandoverForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.handover_draft(by=request.user, **form.service_arguments()),
        success=_("Handover drafted: check it and submit it."),
        done=lambda handover: handover.get_absolute_url(),
        title=_("Write a shift handover"),
        cancel_url=reverse("attendance:handover_list"),
    )


@never_cache
@permission_required(service.WRITE, raise_exception=True)
def handover_update(request, pk):
    handover = get_object_or_404(handovers_listed(), pk=pk)
    if handover.outgoing.user_id != request.user.pk:
        raise PermissionDenied
    form = HandoverForm(request.POST or None, initial=_initial(handover))
    return form_page(
        request,
        form,
        lambda: service.handover_change(
            handover=handover, by=request.user, **form.service_arguments()
        ),
        success=_("Handover changed."),
        done=lambda changed: changed.get_absolute_url(),
        title=_("Shift handover %(handover)s") % {"handover": handover},
        cancel_url=handover.get_absolute_url(),
    )


@action(service.WRITE, back="attendance:handover_detail")
def handover_submit(request, pk):
    handover = get_object_or_404(handovers_listed(), pk=pk)
    data = checked(SubmitForm(request.POST))
    service.handover_submit(handover=handover, by=request.user, notes=data["notes"])
    return _("Handed over: the open work of the moment is written in.")


@action(service.WRITE, back="attendance:handover_detail")
def handover_acknowledge_all(request, pk):
    handover = get_object_or_404(handovers_listed(), pk=pk)
    service.handover_acknowledge_all(handover=handover, by=request.user)
    return _("Every line acknowledged.")


def _item_back(pk, item_pk) -> str:
    return reverse("attendance:handover_detail", args=[pk])


@action(service.WRITE, back=_item_back)
def handover_item_answer(request, pk, item_pk):
    item = get_object_or_404(
        HandoverItem.objects.select_related("handover"), pk=item_pk, handover=pk
    )
    data = checked(AnswerForm(request.POST))
    service.handover_item_answer(
        item=item, by=request.user, disputed=data["disputed"], note=data["note"]
    )
    return _("Line disputed.") if data["disputed"] else _("Line acknowledged.")


urls = [
    path("handovers/", HandoverList.as_view(), name="handover_list"),
    path("handovers/new/", handover_create, name="handover_create"),
    path("handovers/<int:pk>/", handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/change/", handover_update, name="handover_update"),
    path("handovers/<int:pk>/submit/", handover_submit, name="handover_submit"),
    path(
        "handovers/<int:pk>/acknowledge/",
        handover_acknowledge_all,
        name="handover_acknowledge_all",
    ),
    path(
        "handovers/<int:pk>/items/<int:item_pk>/answer/",
        handover_item_answer,
        name="handover_item_answer",
    ),
]

"""Shop handovers (收铺): the list, starting one from an occupancy, its page with the
checklist and the desk's forms, the manager's completion, and the acceptance sheet."""

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from archives.models import Occupancy
from config.actions import action, checked
from config.duties import took_part
from config.history import history_entries
from config.lists import FilteredList
from config.money import ZERO
from config.pdf import pdf_response, render_pdf
from config.validators import RuleError
from deposits.enums import Meter
from deposits.filters.moveouts import MoveOutFilter
from deposits.forms.moveouts import CancelForm, ItemForm, KeysForm, ReadingForm, StartForm
from deposits.models import MoveOut, MoveOutItem
from deposits.selectors import moveouts as selectors
from deposits.services import moveouts as service
from deposits.tables.moveouts import MoveOutTable

VIEW = "deposits.view_moveout"


class MoveOutList(FilteredList):
    permission_required = VIEW
    filterset_class = MoveOutFilter
    table_class = MoveOutTable
    title = gettext_lazy("Shop handovers")

    def get_queryset(self):
        return selectors.moveouts_with_details()


def _attempt(form, call):
    """Call the service; a refusal goes next to the field it names (else on the form)."""
    try:
        return call()
    except RuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.field_message)
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


@permission_required(service.PREPARE, raise_exception=True)
def moveout_start(request, occupancy_pk):
    occupancy = get_object_or_404(
        Occupancy.objects.select_related("unit", "tenant"), pk=occupancy_pk
    )
    if not occupancy.is_current:
        messages.error(request, _("This occupancy was handed over already."))
        return redirect(occupancy)
    current = selectors.open_moveout(occupancy)
    if current is not None:
        messages.info(request, _("A shop handover of this occupancy is open already."))
        return redirect(current)
    form = StartForm(request.POST or None, occupancy=occupancy)
    if request.method == "POST" and form.is_valid():
        moveout = _attempt(
            form,
            lambda: service.moveout_start(
                by=request.user, occupancy=occupancy, **form.cleaned_data
            ),
        )
        if moveout is not None:
            messages.success(
                request, _("Shop handover of %(unit)s started.") % {"unit": occupancy.unit}
            )
            return redirect(moveout)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "occupancy": occupancy,
            "title": _("Start the shop handover of %(occ)s") % {"occ": occupancy},
            "cancel_url": occupancy.get_absolute_url(),
        },
    )


def _moveout(pk) -> MoveOut:
    return get_object_or_404(
        MoveOut.objects.select_related(
            "occupancy__unit",
            "occupancy__tenant",
            "started_by",
            "keys_counted_by",
            "condition_confirmed_by",
            "completed_by",
            "cancelled_by",
            "late_charge",
        ),
        pk=pk,
    )


def _sheet(moveout: MoveOut) -> dict:
    """What the page and the acceptance sheet both show."""
    readings = list(moveout.readings.select_related("charge"))
    items = list(moveout.items.select_related("charge"))
    deposits = list(selectors.tenant_deposits(moveout).prefetch_related("refunds"))
    billed = [r.amount for r in readings] + [i.price for i in items]
    if moveout.late_charge_id:
        billed.append(moveout.late_charge.amount)
    return {
        "moveout": moveout,
        "occupancy": moveout.occupancy,
        "checklist": selectors.moveout_checklist(moveout),
        "readings": readings,
        "items": items,
        "deposits": deposits,
        "billed_total": sum(billed, ZERO),
        "held_total": sum((d.balance for d in deposits), ZERO),
        "refunded_total": sum((d.refunded for d in deposits), ZERO),
        "deducted_total": sum((d.deducted for d in deposits), ZERO),
    }


def _detail(request, moveout: MoveOut, **forms):
    context = _sheet(moveout)
    read = {r.meter for r in context["readings"]}
    unread = [meter for meter in Meter if meter not in read]
    user = request.user
    context.update(
        keys_form=forms.get("keys_form")
        or KeysForm(initial={"keys_returned": moveout.keys_returned}),
        reading_form=forms.get("reading_form") or ReadingForm(unread=unread),
        item_form=forms.get("item_form") or ItemForm(),
        cancel_form=CancelForm(),
        unread=unread,
        can_prepare=moveout.is_open and user.has_perm(service.PREPARE),
        can_complete=moveout.is_open
        and user.has_perm(service.COMPLETE)
        and not took_part(user, selectors.moveout_doers(moveout)),
        late_due=selectors.late_days_due(moveout),
        late_amount=selectors.late_amount(moveout, selectors.late_days_due(moveout)),
        history=history_entries(moveout),
    )
    return render(request, "deposits/moveouts/detail.html", context)


@permission_required(VIEW, raise_exception=True)
@require_safe
def moveout_detail(request, pk):
    return _detail(request, _moveout(pk))


def _form_post(request, pk, form_class, name, call, success):
    """A form of the page: done, back to the page with a message; refused, the page again
    with the message next to the field."""
    moveout = _moveout(pk)
    extra = {}
    if form_class is ReadingForm:
        extra["unread"] = None
    form = form_class(request.POST, request.FILES, **extra)
    if form.is_valid():
        result = _attempt(form, lambda: call(moveout, form.cleaned_data))
        if result is not None:
            messages.success(request, success)
            return redirect(moveout)
    return _detail(request, moveout, **{name: form})


@require_POST
@permission_required(service.PREPARE, raise_exception=True)
def moveout_keys(request, pk):
    return _form_post(
        request,
        pk,
        KeysForm,
        "keys_form",
        lambda m, data: service.moveout_count_keys(by=request.user, moveout=m, **data),
        _("The keys were counted."),
    )


@require_POST
@permission_required(service.PREPARE, raise_exception=True)
def moveout_reading(request, pk):
    return _form_post(
        request,
        pk,
        ReadingForm,
        "reading_form",
        lambda m, data: service.moveout_read_meter(by=request.user, moveout=m, **data),
        _("The reading was recorded and billed."),
    )


@require_POST
@permission_required(service.PREPARE, raise_exception=True)
def moveout_item(request, pk):
    return _form_post(
        request,
        pk,
        ItemForm,
        "item_form",
        lambda m, data: service.moveout_add_item(by=request.user, moveout=m, **data),
        _("The condition item was recorded."),
    )


@action(service.PREPARE, back="deposits:moveout_detail")
def moveout_condition(request, pk):
    service.moveout_confirm_condition(by=request.user, moveout=_moveout(pk))
    return _("The unit's condition is confirmed.")


@action(service.PREPARE, back="deposits:moveout_detail")
def moveout_late_days(request, pk):
    moveout = service.moveout_charge_late_days(by=request.user, moveout=_moveout(pk))
    return _("%(days)d late days were charged.") % {"days": moveout.late_days}


@action(service.PREPARE, back="deposits:moveout_detail")
def moveout_cancel(request, pk):
    data = checked(CancelForm(request.POST))
    service.moveout_cancel(by=request.user, moveout=_moveout(pk), reason=data["reason"])
    return _("The shop handover was cancelled.")


@action(service.COMPLETE, back="deposits:moveout_detail")
def moveout_complete(request, pk):
    moveout = service.moveout_complete(by=request.user, moveout=_moveout(pk))
    return _("Shop handover complete: unit %(unit)s is vacant from %(date)s.") % {
        "unit": moveout.occupancy.unit,
        "date": moveout.planned_on,
    }


@permission_required(VIEW, raise_exception=True)
@require_safe
def moveout_pdf(request, pk):
    """The three-party acceptance sheet (收铺验收单), to print and sign."""
    moveout = _moveout(pk)
    # A printed sheet is in the centre's language, whoever prints it.
    with translation.override(settings.LANGUAGE_CODE):
        context = _sheet(moveout)
        context["title"] = "收铺验收单"
        context["signature_roles"] = ["租户", "客服中心", "工程部/业主方"]
        pdf = render_pdf("deposits/pdf/moveout.html", context, request=request)
    return pdf_response(pdf, f"moveout-{moveout.occupancy.unit.code}-{moveout.pk}.pdf")


@permission_required(VIEW, raise_exception=True)
@require_safe
def moveout_item_photo(request, pk):
    """A condition item's photo, to those who read handovers, as a download."""
    item = get_object_or_404(MoveOutItem, pk=pk)
    if PurePath(item.photo.name or "").suffix.lower() != ".jpg":
        raise Http404
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"handover-item-{item.pk}.jpg",
        content_type="image/jpeg",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urls = [
    path("moveouts/", MoveOutList.as_view(), name="moveout_list"),
    path("moveouts/start/<int:occupancy_pk>/", moveout_start, name="moveout_start"),
    path("moveouts/<int:pk>/", moveout_detail, name="moveout_detail"),
    path("moveouts/<int:pk>/keys/", moveout_keys, name="moveout_keys"),
    path("moveouts/<int:pk>/readings/", moveout_reading, name="moveout_reading"),
    path("moveouts/<int:pk>/items/", moveout_item, name="moveout_item"),
    path("moveouts/<int:pk>/condition/", moveout_condition, name="moveout_condition"),
    path("moveouts/<int:pk>/late-days/", moveout_late_days, name="moveout_late_days"),
    path("moveouts/<int:pk>/complete/", moveout_complete, name="moveout_complete"),
    path("moveouts/<int:pk>/cancel/", moveout_cancel, name="moveout_cancel"),
    path("moveouts/<int:pk>/sheet.pdf", moveout_pdf, name="moveout_pdf"),
    path("moveouts/items/<int:pk>/photo/", moveout_item_photo, name="moveout_item_photo"),
]

"""The daily close pages: count (blind), submit, approve or return, hand over, slip."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from config.actions import action, checked
from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf
from fees.enums import DENOMINATIONS, PaymentMethod
from fees.filters.days import DayFilter, DiscrepancyFilter
from fees.forms.days import CountForm, HandoverForm, SignOffForm, denomination_field_name
from fees.history import close_history
from fees.models import DailyClose, Discrepancy
from fees.selectors.days import (
    closable_days,
    count_record,
    day_actions,
    day_cash,
    day_get,
    day_takings,
    expected_by_method,
    expected_figures_visible,
    float_prefill,
    method_rows,
    slip_context,
    slip_ready,
)
from fees.selectors.months import month_is_locked
from fees.services import days as service
from fees.tables.days import DayTable, DiscrepancyTable


class DayList(FilteredList):
    permission_required = "fees.view_dailyclose"
    filterset_class = DayFilter
    table_class = DayTable
    title = gettext_lazy("Daily closes")

    def get_queryset(self):
        return DailyClose.objects.select_related("submitted_by", "approved_by")


def _parse_day(value: str) -> date:
    """The day of a day page's address: written exactly YYYY-MM-DD, and a day that can
    have a close (from the first receipt's day to today); anything else has no page."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    bounds = closable_days(timezone.localdate())
    if day.isoformat() != value or day not in bounds:
        raise Http404(
            _("A daily close exists only for the days from %(first)s to %(last)s.")
            % {"first": bounds.first.isoformat(), "last": bounds.last.isoformat()}
        )
    return day


@permission_required("fees.view_dailyclose", raise_exception=True)
@require_safe
def day_today(request):
    return redirect("fees:day_detail", timezone.localdate().isoformat())


@permission_required("fees.view_dailyclose", raise_exception=True)
@require_safe
def day_detail(request, day):
    business_date = _parse_day(day)
    if business_date > timezone.localdate():
        raise Http404
    day = day_get(business_date)
    show_expected = expected_figures_visible(request.user, day)
    takings = day_takings(business_date) if show_expected else None
    expected = expected_by_method(day, takings)
    counts = count_record(day)
    month_locked = month_is_locked(business_date)
    context = {
        "day": day,
        "show_expected": show_expected,
        "takings": takings,
        "rows": method_rows(day, expected) if show_expected else [],
        "cash": day_cash(day, counts, expected, takings.payouts) if show_expected else None,
        "counts": counts,
        "month_locked": month_locked,
        "actions": day_actions(day, request.user, month_locked=month_locked),
        "count_form": CountForm(initial=_count_initial(day, counts.final)),
        "handover_form": HandoverForm(),
        "signoff_form": SignOffForm(),
        "history": close_history(day) if day.pk else [],
        "handover": getattr(day, "handover", None),
        "slip_ready": slip_ready(day),
    }
    return render(request, "fees/days/detail.html", context)


def _count_initial(day: DailyClose, final) -> dict:
    """The form starts from the final count, or, before any, from the float the previous
    close left for this shift."""
    pieces = {row.denomination: row.pieces for row in final.cash.all()} if final else {}
    initial = {denomination_field_name(d): pieces.get(d) for d in DENOMINATIONS}
    counted = day.counted_by_method
    initial.update({f"noncash_{m}": v for m, v in counted.items() if m != PaymentMethod.CASH})
    if final is None:
        opening = float_prefill(day.business_date)
        initial.update(opening_float=opening, float_left=opening)
    else:
        initial.update(opening_float=final.opening_float, float_left=final.float_left)
    return initial


def _day_for_post(value) -> DailyClose:
    return get_object_or_404(DailyClose, business_date=_parse_day(value))


@action("fees.submit_day", back="fees:day_detail")
def day_count(request, day):
    day = day_get(_parse_day(day))
    form = CountForm(request.POST)
    checked(form)
    service.day_record_count(
        day=day,
        by=request.user,
        cash_count=form.cash_count(),
        non_cash=form.non_cash(),
        **form.floats(),
    )
    return _("Count saved. Compare it with the expected takings below.")


@action("fees.submit_day", back="fees:day_detail")
def day_submit(request, day):
    explanations = {m: request.POST.get(f"explain_{m}", "") for m in PaymentMethod.values}
    service.day_submit(day=_day_for_post(day), by=request.user, explanations=explanations)
    return _("The day was submitted to the manager. No receipt can be issued on it any more.")


@action("fees.approve_day", back="fees:day_detail")
def day_approve(request, day):
    service.day_approve(day=_day_for_post(day), by=request.user)
    return _("The day is approved.")


@action("fees.approve_day", back="fees:day_detail")
def day_return(request, day):
    comment = request.POST.get("comment", "")
    service.day_return(day=_day_for_post(day), by=request.user, comment=comment)
    return _("The day was returned to the desk.")


@action("fees.confirm_handover", back="fees:day_detail")
def day_handover(request, day):
    day = _day_for_post(day)
    data = checked(HandoverForm(request.POST))
    service.handover_confirm(day=day, by=request.user, **data)
    return _("Handover confirmed.")


def _discrepancy(pk) -> Discrepancy:
    return get_object_or_404(Discrepancy.objects.select_related("handover__day"), pk=pk)


def _discrepancy_day(pk) -> str:
    return _discrepancy(pk).handover.day.get_absolute_url()


@action("fees.sign_off_discrepancy", back=_discrepancy_day)
def discrepancy_sign_off(request, pk):
    discrepancy = _discrepancy(pk)
    explanation = request.POST.get("explanation", "")
    service.discrepancy_sign_off(discrepancy=discrepancy, by=request.user, explanation=explanation)
    return _("Discrepancy signed off."), discrepancy.handover.day


class DiscrepancyList(FilteredList):
    permission_required = "fees.view_discrepancy"
    title = gettext_lazy("Discrepancy register")
    table_class = DiscrepancyTable
    filterset_class = DiscrepancyFilter

    def get_queryset(self):
        return Discrepancy.objects.select_related("handover__day", "signed_off_by")


@permission_required("fees.view_dailyclose", raise_exception=True)
@require_safe
def handover_slip(request, day):
    day = get_object_or_404(DailyClose, business_date=_parse_day(day))
    if not slip_ready(day):
        messages.error(
            request, _("The handover slip is printed once the manager approved the day.")
        )
        return redirect(day)
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "fees/pdf/handover_slip.html",
            {
                "title": "交款单",
                **slip_context(day),
                "signature_roles": ["交款人", "审核人", "收款人"],
            },
        )
    return pdf_response(pdf, f"handover-{day.business_date}.pdf")


urls = [
    path("days/", DayList.as_view(), name="day_list"),
    path("days/today/", day_today, name="day_today"),
    path("days/<str:day>/", day_detail, name="day_detail"),
    path("days/<str:day>/count/", day_count, name="day_count"),
    path("days/<str:day>/submit/", day_submit, name="day_submit"),
    path("days/<str:day>/approve/", day_approve, name="day_approve"),
    path("days/<str:day>/return/", day_return, name="day_return"),
    path("days/<str:day>/handover/", day_handover, name="day_handover"),
    path("days/<str:day>/slip/", handover_slip, name="handover_slip"),
    path("discrepancies/", DiscrepancyList.as_view(), name="discrepancy_list"),
    path("discrepancies/<int:pk>/sign-off/", discrepancy_sign_off, name="discrepancy_sign_off"),
]

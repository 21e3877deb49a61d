"""The daily close pages: count (blind), submit, approve or return, hand over, slip."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf
from fees.enums import DENOMINATIONS, DayState, PaymentMethod
from fees.filters.days import DayFilter, DiscrepancyFilter
from fees.forms.days import CountForm, HandoverForm, SignOffForm, denomination_field_name
from fees.history import close_history
from fees.models import DailyClose, Discrepancy
from fees.selectors.days import (
    closable_days,
    count_record,
    day_cash,
    day_get,
    day_takings,
    expected_figures_visible,
    float_prefill,
    method_rows,
    slip_context,
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
def day_today(request):
    return redirect("fees:day_detail", timezone.localdate().isoformat())


@permission_required("fees.view_dailyclose", raise_exception=True)
def day_detail(request, day):
    business_date = _parse_day(day)
    if business_date > timezone.localdate():
        raise Http404
    day = day_get(business_date)
    show_expected = expected_figures_visible(request.user, day)
    takings = day_takings(business_date) if show_expected else None
    expected = (
        day.expected_by_method
        if day.state != DayState.OPEN
        else (takings.by_method if takings else {})
    )
    counts = count_record(day)
    context = {
        "day": day,
        "show_expected": show_expected,
        "takings": takings,
        "rows": method_rows(day, expected) if show_expected else [],
        "cash": day_cash(day, counts, expected) if show_expected else None,
        "counts": counts,
        "month_locked": month_is_locked(business_date),
        "count_form": CountForm(initial=_count_initial(day, counts.final)),
        "handover_form": HandoverForm(),
        "signoff_form": SignOffForm(),
        "history": close_history(day) if day.pk else [],
        "handover": getattr(day, "handover", None),
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


def _report_form_errors(request, form) -> None:
    # The day page holds several small forms; their errors come back as messages on it.
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")


def _run(request, day, action, success):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(day)


def _day_for_post(value) -> DailyClose:
    return get_object_or_404(DailyClose, business_date=_parse_day(value))


@require_POST
@permission_required("fees.submit_day", raise_exception=True)
def day_count(request, day):
    day = day_get(_parse_day(day))
    form = CountForm(request.POST)
    if not form.is_valid():
        _report_form_errors(request, form)
        return redirect(day)
    return _run(
        request,
        day,
        lambda: service.day_record_count(
            day=day,
            by=request.user,
            cash_count=form.cash_count(),
            non_cash=form.non_cash(),
            **form.floats(),
        ),
        _("Count saved. Compare it with the expected takings below."),
    )


@require_POST
@permission_required("fees.submit_day", raise_exception=True)
def day_submit(request, day):
    day = _day_for_post(day)
    explanations = {m: request.POST.get(f"explain_{m}", "") for m in PaymentMethod.values}
    return _run(
        request,
        day,
        lambda: service.day_submit(day=day, by=request.user, explanations=explanations),
        _("The day was submitted to the manager. No receipt can be issued on it any more."),
    )


@require_POST
@permission_required("fees.approve_day", raise_exception=True)
def day_approve(request, day):
    day = _day_for_post(day)
    return _run(
        request,
        day,
        lambda: service.day_approve(day=day, by=request.user),
        _("The day is approved."),
    )


@require_POST
@permission_required("fees.approve_day", raise_exception=True)
def day_return(request, day):
    day = _day_for_post(day)
    comment = request.POST.get("comment", "")
    return _run(
        request,
        day,
        lambda: service.day_return(day=day, by=request.user, comment=comment),
        _("The day was returned to the desk."),
    )


@require_POST
@permission_required("fees.confirm_handover", raise_exception=True)
def day_handover(request, day):
    day = _day_for_post(day)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        _report_form_errors(request, form)
        return redirect(day)
    return _run(
        request,
        day,
        lambda: service.handover_confirm(day=day, by=request.user, **form.cleaned_data),
        _("Handover confirmed."),
    )


@require_POST
@permission_required("fees.sign_off_discrepancy", raise_exception=True)
def discrepancy_sign_off(request, pk):
    discrepancy = get_object_or_404(Discrepancy.objects.select_related("handover__day"), pk=pk)
    explanation = request.POST.get("explanation", "")
    return _run(
        request,
        discrepancy.handover.day,
        lambda: service.discrepancy_sign_off(
            discrepancy=discrepancy, by=request.user, explanation=explanation
        ),
        _("Discrepancy signed off."),
    )


class DiscrepancyList(FilteredList):
    permission_required = "fees.view_discrepancy"
    title = gettext_lazy("Discrepancy register")
    table_class = DiscrepancyTable
    filterset_class = DiscrepancyFilter

    def get_queryset(self):
        return Discrepancy.objects.select_related("handover__day", "signed_off_by")


@permission_required("fees.view_dailyclose", raise_exception=True)
def handover_slip(request, day):
    day = get_object_or_404(DailyClose, business_date=_parse_day(day))
    if day.state not in (DayState.APPROVED, DayState.HANDED_OVER):
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

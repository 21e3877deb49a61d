"""The daily register on one screen: everyone employed that day, filled in as planned for a
day not yet taken, recorded with one submit; a past day's changes are amendments."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from attendance.forms.register import RegisterForm
from attendance.selectors.register import register_day
from attendance.services.register import REGISTER, Registered, register_take
from config.actions import submit
from config.dates import earliest_record_date

VIEW = "attendance.view_attendancerecord"


def _day(request) -> date:
    """The day asked for (?day=YYYY-MM-DD), today when none or an impossible one is given."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today
    return day if earliest_record_date() <= day <= today else today


def register_url(day: date) -> str:
    return f"{reverse('attendance:register')}?day={day.isoformat()}"


def _said(result: Registered) -> str:
    return _("%(day)s registered: %(created)s recorded, %(changed)s changed.") % {
        "day": f"{result.day:%Y-%m-%d}",
        "created": result.created,
        "changed": result.changed,
    }


@never_cache
@permission_required(VIEW, raise_exception=True)
def register(request):
    day = _day(request)
    if request.method == "POST" and not request.user.has_perm(REGISTER):
        raise PermissionDenied
    taken = register_day(day)
    form = RegisterForm(request.POST or None, register=taken)
    if request.method == "POST" and form.is_valid():
        response = submit(
            request,
            form,
            lambda: register_take(
                by=request.user,
                day=day,
                entries=form.entries(),
                reason=form.cleaned_data["reason"],
            ),
            success=_said,
            done=lambda result: register_url(result.day),
        )
        if response:
            return response
    today = timezone.localdate()
    context = {
        "title": _("Attendance register of %(day)s") % {"day": f"{day:%Y-%m-%d}"},
        "register": taken,
        "form": form,
        "day": day,
        "past": day < today,
        "previous_url": register_url(date.fromordinal(day.toordinal() - 1)),
        "next_url": register_url(date.fromordinal(day.toordinal() + 1)) if day < today else "",
        "can_register": request.user.has_perm(REGISTER),
        "month_url": reverse("attendance:month_sheet", args=[day.year, day.month]),
    }
    return render(request, "attendance/register/day.html", context)


urls = [path("register/", register, name="register")]

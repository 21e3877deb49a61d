"""The centre's own records (seed 001 篇5): the register (收发文登记) with its filters,
registering a record, its page (filing it into a volume, its scan), the volumes (案卷)
with their catalogues (卷内目录) and its PDF, and a notice's delivery to units (签收)."""

import re

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from archives.filters.records import RecordFilter, VolumeFilter
from archives.forms.records import FileForm, RecordForm, SendForm, SignForm, VolumeForm
from archives.models import CentreRecord, NoticeDelivery, RecordKind, Volume, tenant_name_for
from archives.selectors.records import (
    notice_deliveries,
    records_listed,
    volume_catalogue,
    volumes_listed,
)
from archives.services import records as service
from archives.tables.records import RecordTable, VolumeTable
from archives.views.actions import form_page, submit
from config.actions import action
from config.history import history_entries
from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf

VIEW_RECORD = "archives.view_centrerecord"
ADD_RECORD = "archives.add_centrerecord"
CHANGE_RECORD = "archives.change_centrerecord"
VIEW_VOLUME = "archives.view_volume"
ADD_VOLUME = "archives.add_volume"
CHANGE_VOLUME = "archives.change_volume"
VIEW_DELIVERY = "archives.view_noticedelivery"
SEND = "archives.add_noticedelivery"
SIGN = "archives.change_noticedelivery"

CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png"}
UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


# --- the register ------------------------------------------------------------------------


class RecordList(FilteredList):
    permission_required = VIEW_RECORD
    filterset_class = RecordFilter
    table_class = RecordTable
    title = gettext_lazy("Register of records")
    create_url_name = "archives:record_create"
    create_permission = ADD_RECORD

    def get_queryset(self):
        return records_listed()


@permission_required(ADD_RECORD, raise_exception=True)
def record_create(request):
    return form_page(
        request,
        RecordForm(request.POST or None, request.FILES or None),
        lambda data: service.record_register(
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            correspondent=data["correspondent"],
            summary=data["summary"],
            pages=data["pages"],
            handled_by=data["handled_by"],
            retention=data["retention"],
            volume=data["volume"],
            scan=data["scan"] or None,
        ),
        success=lambda record: _("Registered %(number)s.") % {"number": record.number},
        done=lambda record: record,
        back=reverse("archives:record_create"),
        title=_("Register a record"),
        cancel_url=reverse("archives:record_list"),
        template="archives/records/form.html",
        multipart=True,
    )


def _record(pk) -> CentreRecord:
    return get_object_or_404(CentreRecord.objects.select_related("volume", "registered_by"), pk=pk)


def _record_page(request, record, *, file_form=None, status=200):
    can_file = request.user.has_perm(CHANGE_RECORD) and not (
        record.volume_id and record.volume.is_closed
    )
    deliveries = notice_deliveries(record) if record.is_notice else None
    context = {
        "record": record,
        "can_file": can_file,
        "file_form": file_form or FileForm(year=record.year),
        "deliveries": deliveries,
        "history": history_entries(record),
    }
    return render(request, "archives/records/detail.html", context, status=status)


@permission_required(VIEW_RECORD, raise_exception=True)
@require_safe
def record_detail(request, pk):
    return _record_page(request, _record(pk))


@require_POST
@permission_required(CHANGE_RECORD, raise_exception=True)
def record_file(request, pk):
    record = _record(pk)
    form = FileForm(request.POST, year=record.year)
    # Any volume's number is accepted here: the service says why another year's is refused.
    form.fields["volume"].queryset = Volume.objects.all()
    if form.is_valid() and (
        done := submit(
            request,
            form,
            lambda: service.record_file(
                record=record, volume=form.cleaned_data["volume"], by=request.user
            ),
            success=lambda r: (
                _("%(number)s is filed into volume %(volume)s.")
                % {"number": r.number, "volume": r.volume.code}
            ),
            done=lambda r: r,
            back=record.get_absolute_url(),
        )
    ):
        return done
    form.fields["volume"].queryset = FileForm(year=record.year).fields["volume"].queryset
    return _record_page(request, record, file_form=form, status=400)


@permission_required(VIEW_RECORD, raise_exception=True)
@require_safe
def record_scan(request, pk):
    """The record's scan, as a download of the type its stored suffix says."""
    record = get_object_or_404(CentreRecord.objects.exclude(scan=""), pk=pk)
    name = record.scan.name
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = CONTENT_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        handle = record.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = UNSAFE_IN_NAME.sub("_", f"{record.number} {record.title}").strip()
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename}{suffix}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- a notice's delivery to units ---------------------------------------------------------


def _notice(pk) -> CentreRecord:
    return get_object_or_404(
        CentreRecord.objects.select_related("volume"), pk=pk, kind=RecordKind.NOTICE
    )


def _delivery_page(request, notice, *, send_form=None, sign_forms=None, status=200):
    deliveries = notice_deliveries(notice)
    user = request.user
    today = timezone.localdate()
    sign_forms = sign_forms or {}
    for delivery in deliveries.signed + deliveries.unsigned:
        tenant = delivery.tenant
        delivery.tenant_label = tenant_name_for(user, tenant.name, tenant.kind) if tenant else "—"
    for delivery in deliveries.unsigned:
        delivery.sign_form = sign_forms.get(delivery.pk) or SignForm(
            prefix=f"d{delivery.pk}",
            initial={
                "signed_by": delivery.tenant.contact_name if delivery.tenant else "",
                "signed_on": today,
            },
        )
    context = {
        "notice": notice,
        "deliveries": deliveries,
        "send_form": send_form or SendForm(),
        "can_send": user.has_perm(SEND),
        "can_sign": user.has_perm(SIGN),
    }
    return render(request, "archives/records/deliveries.html", context, status=status)


@permission_required(VIEW_DELIVERY, raise_exception=True)
@require_safe
def notice_delivery(request, pk):
    return _delivery_page(request, _notice(pk))


@require_POST
@permission_required(SEND, raise_exception=True)
def notice_send(request, pk):
    notice = _notice(pk)
    page = reverse("archives:notice_delivery", args=[notice.pk])
    form = SendForm(request.POST)
    if form.is_valid() and (
        done := submit(
            request,
            form,
            lambda: service.notice_send(notice=notice, units=form.chosen_units(), by=request.user),
            success=lambda made: (
                _("The notice is recorded as sent to %(count)d more units.") % {"count": len(made)}
            ),
            done=lambda made: page,
            back=page,
        )
    ):
        return done
    return _delivery_page(request, notice, send_form=form, status=400)


@require_POST
@permission_required(SIGN, raise_exception=True)
def delivery_sign(request, pk):
    delivery = get_object_or_404(NoticeDelivery.objects.select_related("unit"), pk=pk)
    page = reverse("archives:notice_delivery", args=[delivery.notice_id])
    form = SignForm(request.POST, prefix=f"d{delivery.pk}")
    if form.is_valid() and (
        done := submit(
            request,
            form,
            lambda: service.delivery_sign(
                delivery=delivery,
                by=request.user,
                signed_by=form.cleaned_data["signed_by"],
                signed_on=form.cleaned_data["signed_on"],
                note=form.cleaned_data["note"],
            ),
            success=lambda d: _("Unit %(unit)s signed for the notice.") % {"unit": d.unit.code},
            done=lambda d: page,
            back=page,
        )
    ):
        return done
    notice = _notice(delivery.notice_id)
    return _delivery_page(request, notice, sign_forms={delivery.pk: form}, status=400)


# --- volumes ------------------------------------------------------------------------------


class VolumeList(FilteredList):
    permission_required = VIEW_VOLUME
    filterset_class = VolumeFilter
    table_class = VolumeTable
    title = gettext_lazy("Volumes")
    create_url_name = "archives:volume_create"
    create_permission = ADD_VOLUME

    def get_queryset(self):
        return volumes_listed()


def _volume(pk) -> Volume:
    return get_object_or_404(Volume.objects.select_related("created_by", "closed_by"), pk=pk)


@permission_required(ADD_VOLUME, raise_exception=True)
def volume_create(request):
    return form_page(
        request,
        VolumeForm(request.POST or None),
        lambda data: service.volume_open(by=request.user, **data),
        success=lambda v: _("Volume %(volume)s is opened.") % {"volume": v.code},
        done=lambda v: v,
        back=reverse("archives:volume_create"),
        title=_("Open a volume"),
        cancel_url=reverse("archives:volume_list"),
    )


@permission_required(CHANGE_VOLUME, raise_exception=True)
def volume_update(request, pk):
    volume = _volume(pk)
    initial = {
        "title": volume.title,
        "retention": volume.retention,
        "cabinet": volume.cabinet,
        "box": volume.box,
    }
    return form_page(
        request,
        VolumeForm(request.POST or None, initial=initial, volume=volume),
        lambda data: service.volume_change(volume=volume, by=request.user, **data),
        success=lambda v: _("Saved volume %(volume)s.") % {"volume": v.code},
        done=lambda v: v,
        back=volume.get_absolute_url(),
        title=_("Edit volume %(volume)s") % {"volume": volume.code},
        cancel_url=volume.get_absolute_url(),
    )


@permission_required(VIEW_VOLUME, raise_exception=True)
@require_safe
def volume_detail(request, pk):
    volume = _volume(pk)
    catalogue = volume_catalogue(volume)
    context = {
        "volume": volume,
        "catalogue": catalogue,
        "pages": catalogue[-1].last_page if catalogue else 0,
        "can_change": request.user.has_perm(CHANGE_VOLUME) and not volume.is_closed,
        "history": history_entries(volume),
    }
    return render(request, "archives/records/volume_detail.html", context)


@action(CHANGE_VOLUME, back="archives:volume_detail")
def volume_close(request, pk):
    volume = service.volume_close(volume=_volume(pk), by=request.user)
    return _("Volume %(volume)s is closed: nothing more is filed into it.") % {
        "volume": volume.code
    }


@permission_required(VIEW_VOLUME, raise_exception=True)
@require_safe
def volume_catalogue_pdf(request, pk):
    """The volume's catalogue (卷内目录), printed to go into the volume."""
    volume = _volume(pk)
    catalogue = volume_catalogue(volume)
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "archives/pdf/volume_catalogue.html",
            {
                "title": "卷内目录",
                "volume": volume,
                "catalogue": catalogue,
                "pages": catalogue[-1].last_page if catalogue else 0,
            },
            request=request,
        )
    return pdf_response(pdf, f"卷内目录-{volume.code}.pdf")


urls = [
    path("records/", RecordList.as_view(), name="record_list"),
    path("records/new/", record_create, name="record_create"),
    path("records/<int:pk>/", record_detail, name="record_detail"),
    path("records/<int:pk>/file/", record_file, name="record_file"),
    path("records/<int:pk>/scan/", record_scan, name="record_scan"),
    path("records/<int:pk>/delivery/", notice_delivery, name="notice_delivery"),
    path("records/<int:pk>/delivery/send/", notice_send, name="notice_send"),
    path("deliveries/<int:pk>/sign/", delivery_sign, name="delivery_sign"),
    path("volumes/", VolumeList.as_view(), name="volume_list"),
    path("volumes/new/", volume_create, name="volume_create"),
    path("volumes/<int:pk>/", volume_detail, name="volume_detail"),
    path("volumes/<int:pk>/edit/", volume_update, name="volume_update"),
    path("volumes/<int:pk>/close/", volume_close, name="volume_close"),
    path("volumes/<int:pk>/catalogue.pdf", volume_catalogue_pdf, name="volume_catalogue_pdf"),
]

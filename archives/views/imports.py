"""The day-one import: upload and check (a dry run), the report, the confirmation."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from archives.forms.imports import ImportConfirmForm, ImportUploadForm
from archives.models import ImportStatus, RegisterImport
from archives.services.imports import PERMISSION, import_check, import_confirm
from config.actions import action, checked

RECENT = 10
# What a row does (checked: would do; imported: did), by the service's action codes.
ACTIONS = {
    False: {
        "new": pgettext_lazy("import", "would be created"),
        "changed": pgettext_lazy("import", "would change"),
        "unchanged": pgettext_lazy("import", "no change"),
    },
    True: {
        "new": pgettext_lazy("import", "created"),
        "changed": pgettext_lazy("import", "changed"),
        "unchanged": pgettext_lazy("import", "no change"),
    },
}
KINDS = {
    "unit": gettext_lazy("units"),
    "tenant": gettext_lazy("tenants"),
    "occupancy": gettext_lazy("occupancies"),
}


def _rows(register_import: RegisterImport) -> list[dict]:
    labels = ACTIONS[register_import.status == ImportStatus.IMPORTED]
    rows = []
    for row in register_import.report:
        actions = row["actions"]
        rows.append(
            {
                **row,
                **{f"{kind}_action": labels.get(actions.get(kind, ""), "") for kind in KINDS},
            }
        )
    return rows


def _totals(register_import: RegisterImport) -> list[tuple[str, str]]:
    labels = ACTIONS[register_import.status == ImportStatus.IMPORTED]
    lines = []
    for kind, label in KINDS.items():
        done = register_import.counts.get(kind, {})
        parts = [f"{labels[action]} {done[action]}" for action in labels if done.get(action)]
        if parts:
            lines.append((str(label), " · ".join(parts)))
    return lines


@permission_required(PERMISSION, raise_exception=True)
def import_upload(request):
    """The upload form; a valid file is checked at once and its report shown."""
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            register_import = import_check(
                content=form.content, file_name=form.cleaned_data["file"].name, by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(register_import)
    recent = RegisterImport.objects.defer("content", "report").select_related(
        "checked_by", "imported_by"
    )[:RECENT]
    return render(request, "archives/imports/upload.html", {"form": form, "recent": recent})


@permission_required(PERMISSION, raise_exception=True)
@require_safe  # checked after the reader's right, as the other pages do
def import_detail(request, pk):
    register_import = get_object_or_404(
        RegisterImport.objects.defer("content").select_related("checked_by", "imported_by"),
        pk=pk,
    )
    confirm = None
    if register_import.status == ImportStatus.CHECKED:
        confirm = ImportConfirmForm(initial={"sha256": register_import.sha256})
    return render(
        request,
        "archives/imports/detail.html",
        {
            "record": register_import,
            "confirm": confirm,
            "rows": _rows(register_import),
            "totals": _totals(register_import),
        },
    )


@action(PERMISSION, back=lambda pk: reverse("archives:import_detail", args=[pk]))
def register_import_confirm(request, pk):
    data = checked(
        ImportConfirmForm(request.POST),
        _("Check the file first, then confirm its import."),
    )
    register_import = import_confirm(
        register_import=get_object_or_404(RegisterImport, pk=pk),
        sha256=data["sha256"],
        by=request.user,
    )
    return _("Imported %(file)s: %(rows)d rows.") % {
        "file": register_import.file_name,
        "rows": register_import.rows,
    }

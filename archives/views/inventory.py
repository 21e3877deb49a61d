"""The month-end inventory check (帐物相符): the runs and starting one, a run's lines page
by page with a small form on each (and one to mark a page's unmarked lines present), its
completion (which re-checks every stored scan) and its result, as a page and a PDF."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from archives.filters.inventory import RunFilter
from archives.forms.inventory import FOUND_CHOICES, MarkForm, RunStartForm
from archives.models import InventoryItem, InventoryRun, Mark
from archives.selectors.inventory import mark_counts, run_items, run_result, runs_listed
from archives.services import inventory as service
from archives.services.inventory import MARK, START, VIEW
from archives.tables.inventory import RunTable
from config.actions import action, checked
from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf

PER_PAGE = 50


class RunList(FilteredList):
    permission_required = VIEW
    filterset_class = RunFilter
    table_class = RunTable
    title = gettext_lazy("Inventory checks")
    template_name = "archives/inventory/list.html"

    def get_queryset(self):
        return runs_listed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm(START):
            context["start_form"] = RunStartForm()
        return context


@action(START, back="archives:inventory_list")
def inventory_start(request):
    data = checked(RunStartForm(request.POST))
    run = service.inventory_start(by=request.user, year=data["year"], month=data["month"])
    return _("The inventory check of %(month)s is started.") % {"month": run}, run


def _run(pk) -> InventoryRun:
    return get_object_or_404(InventoryRun.objects.select_related("completed_by"), pk=pk)


@permission_required(VIEW, raise_exception=True)
@require_safe
def inventory_detail(request, pk):
    run = _run(pk)
    shown = request.GET.get("mark", "")
    page = Paginator(run_items(run, shown), PER_PAGE).get_page(request.GET.get("page"))
    counts = mark_counts(run)
    context = {
        "run": run,
        "counts": counts,
        "tabs": [(value, label, counts[value]) for value, label in Mark.choices],
        "page": page,
        "shown": shown if shown in Mark.values else "",
        "found_choices": FOUND_CHOICES,
        "can_mark": run.is_open and request.user.has_perm(MARK),
        "here": request.get_full_path(),
    }
    return render(request, "archives/inventory/detail.html", context)


def _back_to_page(request, run_pk) -> str:
    """Where the marking form was (its page of lines), if it is this run's page."""
    here = request.POST.get("next", "")
    own = InventoryRun(pk=run_pk).get_absolute_url()
    if here.startswith(own) and url_has_allowed_host_and_scheme(here, allowed_hosts=None):
        return here
    return own


def _item_run(pk) -> int:
    return get_object_or_404(InventoryItem.objects.only("run_id"), pk=pk).run_id


@action(MARK, back=lambda pk: InventoryRun(pk=_item_run(pk)).get_absolute_url())
def inventory_mark(request, pk):
    item = get_object_or_404(InventoryItem.objects.select_related("run"), pk=pk)
    back = _back_to_page(request, item.run_id)
    data = checked(MarkForm(request.POST))
    item = service.inventory_mark(by=request.user, item=item, mark=data["mark"], note=data["note"])
    return _("%(reference)s: %(mark)s.") % {
        "reference": item.reference,
        "mark": item.get_mark_display(),
    }, back


@action(MARK, back="archives:inventory_detail")
def inventory_mark_page(request, pk):
    run = _run(pk)
    ids = [int(value) for value in request.POST.getlist("items") if value.isdigit()]
    count = service.inventory_mark_present(by=request.user, run=run, item_ids=ids)
    return _("%(count)d lines marked present.") % {"count": count}, _back_to_page(request, pk)


@action(MARK, back="archives:inventory_detail")
def inventory_complete(request, pk):
    run = service.inventory_complete(by=request.user, run=_run(pk))
    done = _("The inventory check of %(month)s is completed.") % {"month": run}
    return done, reverse("archives:inventory_report", args=[run.pk])


@permission_required(VIEW, raise_exception=True)
@require_safe
def inventory_report(request, pk):
    return render(request, "archives/inventory/report.html", {"result": run_result(_run(pk))})


@permission_required(VIEW, raise_exception=True)
@require_safe
def inventory_report_pdf(request, pk):
    result = run_result(_run(pk))
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "archives/pdf/inventory_report.html",
            {
                "title": f"档案月末盘点报告 {result.run}",
                "result": result,
                "signature_roles": ["盘点人", "复核人"],
            },
            request=request,
        )
    return pdf_response(pdf, f"档案盘点-{result.run}.pdf")


urls = [
    path("inventory/", RunList.as_view(), name="inventory_list"),
    path("inventory/start/", inventory_start, name="inventory_start"),
    path("inventory/<int:pk>/", inventory_detail, name="inventory_detail"),
    path("inventory/<int:pk>/mark-page/", inventory_mark_page, name="inventory_mark_page"),
    path("inventory/<int:pk>/complete/", inventory_complete, name="inventory_complete"),
    path("inventory/<int:pk>/report/", inventory_report, name="inventory_report"),
    path("inventory/<int:pk>/report.pdf", inventory_report_pdf, name="inventory_report_pdf"),
    path("inventory/lines/<int:pk>/mark/", inventory_mark, name="inventory_mark"),
]

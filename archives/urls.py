from django.urls import path

from archives.views import access, files, inventory, loans, records, retention, verification
from archives.views import imports as import_views
from archives.views import register as views
from config.exporters import export_download

app_name = "archives"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreate.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdate.as_view(), name="unit_update"),
    path("tenants/", views.TenantList.as_view(), name="tenant_list"),
    path("tenants/new/", views.TenantCreate.as_view(), name="tenant_create"),
    path("tenants/<int:pk>/", views.TenantDetail.as_view(), name="tenant_detail"),
    path("tenants/<int:pk>/edit/", views.TenantUpdate.as_view(), name="tenant_update"),
    path("tenants/<int:pk>/move-in/", views.tenant_move_in, name="tenant_move_in"),
    path("tenants/<int:pk>/verify/", views.tenant_verify, name="tenant_verify"),
    path("tenants/<int:pk>/id-number/", views.tenant_id_number, name="tenant_id_number"),
    path("occupancies/", views.OccupancyList.as_view(), name="occupancy_list"),
    path("occupancies/<int:pk>/", views.OccupancyDetail.as_view(), name="occupancy_detail"),
    path("contractors/", views.ContractorList.as_view(), name="contractor_list"),
    path("contractors/new/", views.ContractorCreate.as_view(), name="contractor_create"),
    path("contractors/<int:pk>/", views.ContractorDetail.as_view(), name="contractor_detail"),
    path("contractors/<int:pk>/edit/", views.ContractorUpdate.as_view(), name="contractor_update"),
    path("access-log/", views.AccessLogList.as_view(), name="access_log"),
    # A form's lookup field's suggestions (config.search).
    path("contractors/suggest/", views.contractor_suggestions, name="contractor_suggestions"),
    path("tenants/suggest/", views.tenant_suggestions, name="tenant_suggestions"),
    # Tenant files (一户一档): archives.views.files
    path("files/", files.FileList.as_view(), name="file_list"),
    path("files/open/<int:occupancy_pk>/", files.file_open, name="file_open"),
    path("files/<int:pk>/", files.file_detail, name="file_detail"),
    path("files/<int:pk>/move/", files.file_move, name="file_move"),
    path("files/<int:pk>/documents/new/", files.document_add, name="document_add"),
    path("files/<int:pk>/catalogue.pdf", files.file_catalogue_pdf, name="file_catalogue_pdf"),
    path("files/documents/<int:pk>/scan/", files.document_scan, name="document_scan"),
    # The centre's own records: the register, notices' delivery, the volumes.
    *records.urls,
    # Access to tenant files (查阅登记), loans (借阅), the six-monthly verification.
    *access.urls,
    *loans.urls,
    *verification.urls,
    # The month-end inventory check; retention, holds and destruction.
    *inventory.urls,
    *retention.urls,
    # The day-one import from Excel (checked first, then imported whole) and the summary.
    path(
        "tenants/summary.xlsx",
        export_download,
        {"name": "tenant_summary_xlsx"},
        name="tenant_summary_xlsx",
    ),
    path("imports/", import_views.import_upload, name="import_upload"),
    path(
        "imports/template.xlsx",
        export_download,
        {"name": "register_import_template"},
        name="import_template",
    ),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path(
        "imports/<int:pk>/confirm/",
        import_views.register_import_confirm,
        name="import_confirm",
    ),
]

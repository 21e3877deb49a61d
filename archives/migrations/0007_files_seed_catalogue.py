"""The catalogue of a tenant file's document types, as the centre starts with it.

Retention follows 国家档案局令第10号 (永久, 30 or 10 years) as minimums; receipts and other
accounting documents 30 years (《会计档案管理办法》). ID copies are confidential (PIPL treats
ID numbers as sensitive personal information).
"""

from django.db import migrations

B, D, M = "in_business", "decorating", "moved_out"

# code, Chinese name, English name, required for, retention years (None: permanent),
# confidential, view only
CATALOGUE = [
    ("business_licence", "营业执照", "Business licence", {B, D, M}, 30, False, True),
    ("id_copy", "身份证复印件", "ID card copy", {B, D, M}, 30, True, True),
    ("lease", "租赁合同", "Lease", {B, D, M}, 30, False, True),
    ("move_in_form", "入驻登记表", "Move-in form", {B, D, M}, 30, False, False),
    ("emergency_contacts", "紧急联系人", "Emergency contacts", {B, D}, 10, True, False),
    ("tenant_register", "租户/商住情况登记表", "Tenant and residence register form", {B, D, M}, 30, False, False),
    ("decoration_application", "装修申请及图纸", "Decoration application and drawings", {D}, None, False, True),
    ("inspection_report", "验收报告", "Inspection report", set(), None, False, True),
    ("moveout_sheet", "收铺验收单", "Shop handover acceptance sheet", {M}, 30, False, False),
    ("refund_form", "退款审批表", "Refund approval form", {M}, 30, False, False),
    ("receipt", "收据", "Receipt", set(), 30, False, False),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("archives", "DocumentType")
    for order, (code, zh, en, kinds, years, confidential, view_only) in enumerate(CATALOGUE, 1):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "for_in_business": B in kinds,
                "for_decorating": D in kinds,
                "for_moved_out": M in kinds,
                "retention_years": years,
                "confidential": confidential,
                "view_only": view_only,
                "order": order * 10,
                "active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("archives", "0006_files_tenant_files")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

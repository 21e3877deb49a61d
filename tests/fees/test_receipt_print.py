"""The printed receipt: the centre's details on it, each copy recorded, reprints marked 重打,
and the QR code built from the centre's public address."""

import base64
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from config.models import Centre
from fees.exporters.audit_pack import audit_pack
from fees.exporters.statements import statement_files
from fees.models import ReceiptPrint
from fees.qr import qr_data_uri
from fees.services.receipts import CopyTaken, receipt_print_record
from tests.factories.finance import issue, void

pytestmark = pytest.mark.django_db

PUBLIC = "https://desk.example-street.cn"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A host other than the public address: the QR must not follow it.
    settings.ALLOWED_HOSTS = ["testserver", "10.0.0.7"]


@pytest.fixture
def centre():
    return Centre.objects.create(
        name="幸福路步行街客户服务中心",
        address="杭州市上城区幸福路88号",
        telephone="0571-8765 4321",
        public_url=PUBLIC,
    )


@pytest.fixture
def desk(assistant):
    assistant.first_name = "李晓敏"
    assistant.save()
    return assistant


@pytest.fixture
def receipt(desk):
    return issue(desk, ("permit_fee", "20.00", 2), ("card_fee", "10.00", 2), payer="王师傅")


def print_url(receipt) -> str:
    return reverse("fees:receipt_print", args=[receipt.pk])


def squeeze(text: str) -> str:
    # Letter-spaced headings and table cells come out with spaces: compare without.
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def qr_pixels(image) -> bytes:
    return image.convert("L").tobytes()


def qr_of(url: str) -> bytes:
    png = base64.b64decode(qr_data_uri(url).split(",", 1)[1])
    return qr_pixels(Image.open(io.BytesIO(png)))


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def test_the_original_has_the_centre_and_no_page_numbers_or_generation_time(
    client, centre, desk, receipt
):
    client.force_login(desk)
    before = timezone.now()

    response = client.post(print_url(receipt), HTTP_HOST="10.0.0.7")

    after = timezone.now()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = squeeze(reader.pages[0].extract_text())
    for expected in (
        "幸福路步行街客户服务中心",
        "收据",
        "地址：杭州市上城区幸福路88号",
        "电话：0571-87654321",
        "收款单位（盖章）",
        f"编号：{receipt.number}",
        "交款人：王师傅",
        "合计人民币（大写）：陆拾元整",
        "¥60.00",
        "收款人：李晓敏",
        "交款人签字",
        "扫码验真",
    ):
        assert expected in text, expected
    for absent in ("第1页", "共1页", "生成时间", "重打", local(before), local(after)):
        assert absent not in text, absent
    [copy] = ReceiptPrint.objects.all()
    assert (copy.receipt, copy.copy, copy.printed_by, copy.is_reprint) == (receipt, 1, desk, False)
    assert before <= copy.printed_at <= after


def test_a_reprint_is_marked_with_its_time_and_recorded(client, centre, desk, receipt):
    client.force_login(desk)
    client.post(print_url(receipt))

    response = client.post(print_url(receipt))

    copies = list(ReceiptPrint.objects.order_by("copy"))
    assert [(c.copy, c.printed_by) for c in copies] == [(1, desk), (2, desk)]
    text = squeeze(pdf_text(response.content))
    assert "重打" in text
    assert f"重打时间：{local(copies[1].printed_at)}".replace(" ", "") in text
    assert "第2次打印" in text and "重打人：李晓敏" in text
    assert "第1页" not in text and "生成时间" not in text
    # A third copy is the second reprint.
    client.post(print_url(receipt))
    assert list(ReceiptPrint.objects.values_list("copy", flat=True)) == [1, 2, 3]


def test_the_receipt_page_lists_the_copies_with_who_and_when(client, centre, desk, receipt):
    client.force_login(desk)
    page = client.get(receipt.get_absolute_url())
    assert page.context["prints"] == []
    assert "Not printed yet: the first print is the original." in page.content.decode()
    assert re.search(r'id="print-receipt">.*\bPrint</button>', page.content.decode(), re.S)

    client.post(print_url(receipt))
    client.post(print_url(receipt))
    page = client.get(receipt.get_absolute_url())

    first, second = ReceiptPrint.objects.order_by("copy")
    assert page.context["prints"] == [first, second]
    html = page.content.decode()
    assert f"copy 1, {local(first.printed_at)}, 李晓敏" in html
    assert f"copy 2, {local(second.printed_at)}, 李晓敏" in html
    assert re.search(r'id="print-receipt">.*\bReprint</button>', html, re.S)


def test_the_qr_opens_the_public_address_not_the_printing_host(client, centre, desk, receipt):
    client.force_login(desk)

    response = client.post(print_url(receipt), HTTP_HOST="10.0.0.7")

    reader = PdfReader(io.BytesIO(response.content))
    in_pdf = [qr_pixels(image.image) for image in reader.pages[0].images]
    expected = f"{PUBLIC}/r/{receipt.token}/"
    assert in_pdf == [qr_of(expected)]
    assert qr_of(f"http://10.0.0.7/r/{receipt.token}/") not in in_pdf


def test_printing_is_a_post_for_the_desk_only(client, centre, receipt, auditor, finance):
    for user in (auditor, finance):
        client.force_login(user)
        assert client.post(print_url(receipt)).status_code == 403
        page = client.get(receipt.get_absolute_url()).content.decode()
        assert 'id="print-receipt"' not in page
    client.force_login(receipt.cashier)
    assert client.get(print_url(receipt)).status_code == 405
    assert ReceiptPrint.objects.count() == 0


def test_the_manager_may_reprint(client, centre, receipt, manager):
    client.force_login(manager)
    assert client.post(print_url(receipt)).status_code == 200
    assert list(ReceiptPrint.objects.values_list("copy", "printed_by")) == [(1, manager.pk)]


def test_without_a_public_address_nothing_is_printed(client, settings, desk, receipt):
    settings.CENTRE_PUBLIC_URL = ""  # and no centre row

    client.force_login(desk)
    response = client.post(print_url(receipt))

    assert response.status_code == 302
    assert response.url == receipt.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Receipts cannot be printed until the administrator sets" in page
    assert ReceiptPrint.objects.count() == 0
    assert Centre.objects.count() == 0


def test_the_seal_and_logo_are_printed_when_set_and_no_seal_on_a_void_receipt(
    client, centre, desk, manager, receipt
):
    for field, colour in (("seal", (200, 0, 0, 255)), ("logo", (0, 0, 200, 255))):
        out = io.BytesIO()
        Image.new("RGBA", (64, 64), colour).save(out, format="PNG")
        getattr(centre, field).save("x.png", ContentFile(out.getvalue()))
    client.force_login(desk)

    def colours_printed():
        response = client.post(print_url(receipt))
        images = PdfReader(io.BytesIO(response.content)).pages[0].images
        return sorted(
            image.image.convert("RGB").getpixel((32, 32))
            for image in images
            if image.image.size == (64, 64)
        )

    assert colours_printed() == [(0, 0, 200), (200, 0, 0)]  # the logo and the seal
    void(receipt, desk, manager)
    assert colours_printed() == [(0, 0, 200)]  # the logo only


def test_a_receipt_too_long_for_one_page_numbers_its_pages(client, centre, desk):
    long_text = "三楼东侧装修区域施工期间垃圾清运及夜间延时施工，含电梯保护和公共通道清洁费用"
    long_receipt = issue(
        desk,
        *[("waste_removal", "50.00", 1, "5.00", f"{long_text}{n}") for n in range(8)],
        approver=None,
    )
    client.force_login(desk)

    response = client.post(print_url(long_receipt))

    texts = [squeeze(p.extract_text()) for p in PdfReader(io.BytesIO(response.content)).pages]
    assert len(texts) == 2
    assert [f"编号：{long_receipt.number}第{n}页/共2页" in t for n, t in enumerate(texts, 1)] == [
        True,
        True,
    ]


def test_two_desks_cannot_take_the_same_copy_number(centre, desk, manager, receipt):
    now = timezone.now()
    receipt_print_record(receipt=receipt, by=desk, copy=1, printed_at=now)

    with pytest.raises(CopyTaken):
        receipt_print_record(receipt=receipt, by=manager, copy=1, printed_at=now)
    with pytest.raises(CopyTaken):  # nor skip one
        receipt_print_record(receipt=receipt, by=manager, copy=3, printed_at=now)
    receipt_print_record(receipt=receipt, by=manager, copy=2, printed_at=now)
    assert list(ReceiptPrint.objects.values_list("copy", "printed_by")) == [
        (1, desk.pk),
        (2, manager.pk),
    ]


@pytest.mark.slow
def test_the_audit_pack_prints_the_centre_and_records_no_copy(centre, desk, receipt, finance):
    content = audit_pack(timezone.localdate() - timedelta(days=1), timezone.localdate(), by=finance)

    pack = zipfile.ZipFile(io.BytesIO(content))
    reader = PdfReader(io.BytesIO(pack.read("receipts.pdf")))
    text = squeeze(reader.pages[0].extract_text())
    for expected in (
        "幸福路步行街客户服务中心",
        "地址：杭州市上城区幸福路88号",
        "电话：0571-87654321",
        "收款单位（盖章）",
        f"编号：{receipt.number}",
        "第1张/共1张",
    ):
        assert expected in text, expected
    assert "重打" not in text
    assert [qr_pixels(i.image) for i in reader.pages[0].images] == [
        qr_of(f"{PUBLIC}/r/{receipt.token}/")
    ]
    assert reader.metadata.title.startswith("幸福路步行街客户服务中心 收据 ")
    assert pack.read("manifest.txt").decode().startswith("# 幸福路步行街客户服务中心 审计资料包\n")
    assert ReceiptPrint.objects.count() == 0


def test_the_statement_carries_the_centre(centre, receipt):
    today = timezone.localdate()
    xlsx, pdf = statement_files(today.year, today.month)

    text = squeeze(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "幸福路步行街客户服务中心地址：杭州市上城区幸福路88号电话：0571-87654321" in text
    workbook = load_workbook(io.BytesIO(xlsx))
    notes = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert (notes["单位"], notes["地址"], notes["电话"]) == (
        "幸福路步行街客户服务中心",
        "杭州市上城区幸福路88号",
        "0571-8765 4321",
    )
    assert workbook.properties.creator == "幸福路步行街客户服务中心"


def test_reading_pages_never_makes_the_centre_row(client, desk, receipt, settings):
    settings.CENTRE_PUBLIC_URL = PUBLIC
    client.force_login(desk)
    for url in (reverse("home"), receipt.get_absolute_url(), reverse("fees:receipt_list")):
        assert client.get(url).status_code == 200
    assert client.post(print_url(receipt)).status_code == 200
    assert Centre.objects.count() == 0

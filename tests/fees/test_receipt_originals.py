"""A receipt's original: the PDF of its first print, stored with its SHA-256 and never
rewritten; reprints and the audit pack draw their marks on top of it (fees.originals)."""

import hashlib
import io
import re
import zipfile

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.models import Centre
from fees import originals
from fees.exporters.audit_pack import audit_pack
from fees.models import ReceiptOriginal, ReceiptPrint
from tests.factories.finance import issue, void
from tests.fees.test_exports import build_books

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def centre():
    return Centre.objects.create(
        name="幸福路步行街客户服务中心", public_url="https://desk.example.cn"
    )


@pytest.fixture
def receipt(assistant):
    return issue(assistant, ("permit_fee", "20.00", 2), ("card_fee", "10.00", 2), payer="王师傅")


def print_receipt(client, receipt) -> bytes:
    response = client.post(reverse("fees:receipt_print", args=[receipt.pk]))
    assert response.status_code == 200
    return response.content


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file())


def content_streams(pdf: bytes) -> list[bytes]:
    """The decoded content streams of the first page, one by one."""
    contents = PdfReader(io.BytesIO(pdf)).pages[0]["/Contents"].get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return [stream.get_object().get_data() for stream in streams]


def test_the_first_print_stores_the_original_and_its_sha256(
    client, centre, assistant, receipt, media
):
    client.force_login(assistant)

    pdf = print_receipt(client, receipt)

    [original] = ReceiptOriginal.objects.all()
    assert original.receipt == receipt
    assert original.sha256 == hashlib.sha256(pdf).hexdigest()
    today = receipt.business_date
    assert re.fullmatch(rf"receipts/{today:%Y/%m}/[0-9a-f]{{32}}\.pdf", original.file.name)
    [path] = stored_files(media)
    assert path == media / original.file.name
    assert path.read_bytes() == pdf
    assert f"编号：{receipt.number}" in squeeze(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_the_original_is_served_again_byte_for_byte_and_never_rewritten(
    client, centre, assistant, receipt, media
):
    client.force_login(assistant)
    first = print_receipt(client, receipt)
    original = ReceiptOriginal.objects.get()

    again = originals.original(receipt, centre)

    assert again == original
    assert originals.original_bytes(again) == first
    assert len(stored_files(media)) == 1


def test_a_reprint_is_the_original_with_its_marks_on_top(client, centre, assistant, receipt):
    client.force_login(assistant)
    first = print_receipt(client, receipt)

    second = print_receipt(client, receipt)

    original = ReceiptOriginal.objects.get()
    assert original.sha256 == hashlib.sha256(first).hexdigest()
    # The original page's drawing is untouched; the marks come after it.
    [page_content] = content_streams(first)
    assert page_content in content_streams(second)
    text = squeeze(PdfReader(io.BytesIO(second)).pages[0].extract_text())
    copy = ReceiptPrint.objects.get(copy=2)
    assert f"编号：{receipt.number}" in text
    assert f"重打时间：{timezone.localtime(copy.printed_at):%Y-%m-%d%H:%M}" in text
    assert "第2次打印" in text
    assert "重打" not in squeeze(PdfReader(io.BytesIO(first)).pages[0].extract_text())


def test_a_void_receipt_prints_afresh_marked_void_and_stores_nothing(
    client, centre, assistant, manager, receipt
):
    void(receipt, assistant, manager)
    client.force_login(assistant)

    text = squeeze(PdfReader(io.BytesIO(print_receipt(client, receipt))).pages[0].extract_text())

    assert "作废" in text and f"编号：{receipt.number}" in text
    assert ReceiptOriginal.objects.count() == 0


def test_one_original_per_receipt_in_the_database(receipt):
    ReceiptOriginal.objects.create(
        receipt=receipt, file="a.pdf", sha256="0" * 64, made_at=timezone.now()
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ReceiptOriginal.objects.create(
            receipt=receipt, file="b.pdf", sha256="1" * 64, made_at=timezone.now()
        )


def test_a_second_store_keeps_the_first_original_and_removes_its_own_file(receipt, media):
    first = originals.store_original(receipt, b"%PDF-first")

    second = originals.store_original(receipt, b"%PDF-second")

    assert second == first
    assert second.sha256 == hashlib.sha256(b"%PDF-first").hexdigest()
    assert [path.read_bytes() for path in stored_files(media)] == [b"%PDF-first"]


def test_an_altered_original_is_refused(receipt, media):
    stored = originals.store_original(receipt, b"%PDF-first")
    (media / stored.file.name).write_bytes(b"%PDF-changed")

    with pytest.raises(originals.OriginalAltered):
        originals.original_bytes(stored)


@pytest.mark.slow
def test_the_pack_joins_the_originals_in_order_with_the_void_and_reversal_stamps(
    client, centre, assistant, manager, finance
):
    books = build_books(assistant, manager, finance)
    kept, voided, wechat, reversal = (books[k] for k in ("kept", "void", "wechat", "reversal"))
    client.force_login(assistant)
    desk_copy = print_receipt(client, wechat)  # printed at the desk before the pack
    desk_original = ReceiptOriginal.objects.get()

    content = audit_pack(*books["period"], by=finance)

    reader = PdfReader(io.BytesIO(zipfile.ZipFile(io.BytesIO(content)).read("receipts.pdf")))
    texts = [squeeze(page.extract_text()) for page in reader.pages]
    assert len(texts) == 4
    for index, (text, receipt) in enumerate(zip(texts, books_order(books), strict=True), 1):
        assert f"编号：{receipt.number}" in text
        assert f"第{index}张/共4张" in text
        assert "幸福路步行街客户服务中心" in text
    assert "已红冲：" + reversal.number in texts[0]
    assert (
        f"作废VOID作废日期：{timezone.localtime(voided.voided_at):%Y-%m-%d}原因：开错金额"
        in texts[1]
    )
    assert "作废" not in texts[2] and "已红冲" not in texts[2]
    assert "收据（红冲）" in texts[3] and "作废" not in texts[3]
    # Every receipt now has its original; the one printed at the desk is the same file, and
    # its page in the pack draws exactly what the desk printed.
    assert ReceiptOriginal.objects.count() == 4
    assert ReceiptOriginal.objects.get(receipt=wechat) == desk_original
    assert originals.original_bytes(desk_original) == desk_copy
    [desk_content] = content_streams(desk_copy)
    pack_contents = reader.pages[2]["/Contents"].get_object()
    assert desk_content in [stream.get_object().get_data() for stream in pack_contents]
    # The pack records no copy printed.
    assert list(ReceiptPrint.objects.values_list("receipt", "copy")) == [(wechat.pk, 1)]


def books_order(books) -> list:
    return [books[k] for k in ("kept", "void", "wechat", "reversal")]

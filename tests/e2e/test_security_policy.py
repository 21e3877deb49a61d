"""The Content-Security-Policy in Chromium: it is sent and enforced, and the pages whose
behaviour moved from inline scripts and style attributes to static files still work.

Every audited page of every browser test also fails on a violation the policy reports
(tests/e2e/audit.py); these tests look at the pages no other test drives, and listen to
the console themselves.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from config.models import Centre, JobStatus
from tests.e2e.audit import desk_context, login, visit
from tests.factories.fees import ExportJobFactory, PermitFactory, ReceiptBookFactory
from tests.images import png_bytes

pytestmark = pytest.mark.e2e

POLICY_VIOLATION = "Content Security Policy"


def violations_heard(page) -> list[str]:
    heard: list[str] = []
    page.on(
        "console",
        lambda m: heard.append(m.text) if POLICY_VIOLATION in m.text else None,
    )
    return heard


def test_the_policy_is_sent_and_refuses_a_script_written_into_the_page(browser, live_server, staff):
    # A context of its own, outside the audit: this test makes a violation on purpose.
    context = desk_context(browser, live_server.url)
    page = context.new_page()
    heard = violations_heard(page)
    try:
        response = page.goto("/accounts/login/")
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy

        # What an injected <script> or onclick would do if markup ever slipped through.
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
                const div = document.createElement("div");
                div.innerHTML = '<img src="data:," onerror="window.handlerRan = true">';
                document.body.append(div);
            }"""
        )
        page.wait_for_timeout(200)  # the image's error event fires after a task
        ran = page.evaluate("() => [window.inlineRan === true, window.handlerRan === true]")
        assert ran == [False, False]
        assert len(heard) == 2, heard
    finally:
        context.close()


def test_the_permit_form_adds_worker_rows_from_its_static_script(page, staff):
    heard = violations_heard(page)
    login(page, "assistant")
    visit(page, "/fees/permits/new/")
    hidden = page.locator("#workers tr.worker-row.d-none")
    before = hidden.count()
    assert before > 0
    page.click("#add-worker")
    expect(hidden).to_have_count(before - 1)
    assert heard == []


def test_the_audit_pack_progress_bar_follows_the_job_without_style_attributes(page, staff):
    heard = violations_heard(page)
    job = ExportJobFactory(running=True, requested_by=staff["finance"], heartbeat_at=timezone.now())
    login(page, "finance")
    visit(page, f"/fees/exports/{job.pk}/")
    bar = page.locator("#job-progress .progress-bar")
    expect(bar).to_have_attribute("style", "width: 42%;")

    # The page polls every 2 s; the fragment htmx swaps in gets its width from app.js too.
    job.progress, job.heartbeat_at = 70, timezone.now()
    job.save(update_fields=["progress", "heartbeat_at"])
    expect(page.locator("#job-progress .progress-bar")).to_have_attribute(
        "style", "width: 70%;", timeout=10_000
    )
    job.status, job.progress = JobStatus.FAILED, 70
    job.save(update_fields=["status", "progress"])
    expect(page.locator("#job-progress .alert-danger")).to_be_visible(timeout=10_000)
    assert heard == []


def test_the_permit_photo_shows_on_its_page_though_served_as_a_download(
    page, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("me.png", png_bytes(size=(300, 400)), "image/png")
    permit = PermitFactory(issued_by=staff["assistant"], photo=photo)
    heard = violations_heard(page)
    login(page, "assistant")
    with page.expect_response(f"**/fees/permits/{permit.pk}/photo/") as answer:
        visit(page, f"/fees/permits/{permit.pk}/")
    assert answer.value.headers["content-disposition"].startswith("attachment;")
    image = page.locator("img.photo-thumb")
    # Decoded and drawn (an attachment's disposition does not concern an <img>).
    assert image.evaluate("e => [e.complete, e.naturalWidth, e.naturalHeight]") == [
        True,
        300,
        400,
    ]
    assert heard == []


def test_the_receipt_book_grid_is_laid_out_from_the_stylesheet(page, staff):
    heard = violations_heard(page)
    book = ReceiptBookFactory(issued_to=staff["assistant"])
    login(page, "assistant")
    visit(page, f"/fees/books/{book.pk}/")
    grid = page.locator("ol.book-grid")
    assert grid.evaluate("e => getComputedStyle(e).display") == "grid"
    assert heard == []


def test_the_admin_previews_the_seal_without_a_style_attribute(page, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    centre = Centre.objects.create(name="测试中心", public_url="https://desk.example.cn")
    centre.seal.save("seal.png", ContentFile(png_bytes(size=(400, 400))))
    heard = violations_heard(page)
    login(page, "admin")
    # The admin is Django's markup, read here rather than audited (test_chinese_screens).
    page.goto(f"/admin/config/centre/{centre.pk}/change/")
    preview = page.locator("img.stored-image-preview")
    expect(preview).to_be_visible()
    assert preview.evaluate("e => getComputedStyle(e).maxHeight") == "120px"
    assert heard == []
    visit(page, "/")

import pytest

from config.downloads import content_disposition


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("report.pdf", "report.pdf"),
        ("收费统计表-2025-01.xlsx", "2025-01.xlsx"),
        ("收据.pdf", "download.pdf"),
        ("押金台账", "download"),
        ('a"b\r\nc.pdf', "a_b_c.pdf"),
    ],
)
def test_ascii_fallback(filename, fallback):
    assert content_disposition(filename).startswith(f'attachment; filename="{fallback}"; ')


def test_real_name_is_percent_encoded_utf8():
    header = content_disposition('收据 "1"\r\n.pdf', inline=True)

    assert header.endswith("filename*=UTF-8''%E6%94%B6%E6%8D%AE%20%221%22%0D%0A.pdf")
    assert header.startswith("inline;")
    assert "\r" not in header and "\n" not in header

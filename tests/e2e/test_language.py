"""The header's language switch: Chinese by default, English on request, and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.audit import login, navigate

pytestmark = pytest.mark.e2e

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_language_switch(page, staff):
    login(page, "assistant")
    fees_link = page.locator("#mainnav a[href='/fees/']")

    # The browser asks for English (see the page fixture), yet the desk speaks Chinese.
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(fees_link).to_have_text(HAN)

    navigate(page, lambda: page.select_option("#language-select", "en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(fees_link).to_have_text("Fees")
    expect(page.locator("#language-select")).to_have_value("en")

    navigate(page, lambda: page.select_option("#language-select", "zh-hans"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(fees_link).to_have_text(HAN)
    expect(page.locator("#language-select")).to_have_value("zh-hans")

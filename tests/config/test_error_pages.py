"""The site's own error pages, in the reader's language, each with a way back home; the
500 page renders with the database out of reach."""

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

HOME_LINK = 'href="/"'


def chinese(client: Client) -> Client:
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # the desk's default
    return client


def body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_404_in_chinese_and_english(assistant, client_as):
    client = chinese(client_as(assistant))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "error_base.html"]
    assert '<h1 class="h4">页面不存在</h1>' in body(response)
    assert HOME_LINK in body(response) and "返回首页" in body(response)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<h1 class="h4">Page not found</h1>' in body(client.get("/no-such-page/"))


@pytest.mark.django_db
def test_403_in_chinese(department, client_as):
    response = chinese(client_as(department)).get(reverse("fees:receipt_list"))
    assert response.status_code == 403
    assert '<h1 class="h4">无权访问</h1>' in body(response)
    assert HOME_LINK in body(response)
    assert "Forbidden" not in body(response)


@pytest.mark.django_db
def test_400_in_chinese(assistant, client_as):
    # A host name the site does not serve is refused as a bad request.
    response = chinese(client_as(assistant)).get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert '<h1 class="h4">请求有误</h1>' in body(response)
    assert HOME_LINK in body(response)


@pytest.mark.django_db
def test_csrf_failure_in_chinese(assistant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), {})
    assert response.status_code == 403
    assert '<h1 class="h4">表单已失效</h1>' in body(response)


@pytest.fixture
def database_down(django_db_blocker):
    """Every attempt to reach the database fails as it does when the server is down."""

    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    with django_db_blocker.unblock():
        reachable = BaseDatabaseWrapper.ensure_connection
        BaseDatabaseWrapper.ensure_connection = refuse
        try:
            yield
        finally:
            BaseDatabaseWrapper.ensure_connection = reachable


def test_500_renders_without_the_database(database_down):
    # The public receipt check needs the database; with it unreachable the request fails
    # and Django renders 500.html with no context: nothing on it may need the database.
    client = chinese(Client(raise_request_exception=False))
    response = client.get(reverse("verify_receipt", args=["any-token"]))
    assert response.status_code == 500
    assert '<h1 class="h4">服务器出错</h1>' in body(response)
    assert HOME_LINK in body(response)
    assert '<html lang="zh-Hans">' in body(response)
    # A receipt issued just before the outage may exist: the desk is told where to look.
    assert '请先在<a href="/fees/receipts/">收据列表</a>中查找' in body(response)

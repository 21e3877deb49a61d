import logging

from django.conf import settings
from django.contrib.sessions import middleware as sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """Simplified Chinese unless the user chose otherwise with the header's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a desk PC set up
    in English would then show English to staff who never asked for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Nothing the application answers with is kept by the browser or a proxy: its pages and
    files carry receipts, takings and tenants' personal data, and the public receipt check
    shows amounts. Only static files (the same for everyone) may be cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response


def database_busy(exception: BaseException) -> bool:
    """Whether a database error means "another desk holds what this one needs": PostgreSQL's
    lock_timeout (55P03) or statement_timeout (57014) ran out, or SQLite's busy timeout did."""
    if not isinstance(exception, OperationalError):
        return False
    if getattr(exception.__cause__, "sqlstate", None) in {"55P03", "57014"}:
        return True
    return "database is locked" in str(exception)


class BusyDatabaseMiddleware(MiddlewareMixin):
    """A request that waited its bounded time for a lock (settings.DB_LOCK_TIMEOUT) gets a
    plain "the desk is busy, try again" with 503, instead of a server error. The service's
    transaction rolled back on the way out, so nothing of it was written. The page needs no
    database (the frame of the error pages): the connection may still be in trouble."""

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path, exception)
        return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "5"})


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session that cannot be saved does not turn the answer into an
    error. The view has done its work by then (a receipt issued and committed); losing the
    session's small bookkeeping (the idle clock) is better than telling the desk the receipt
    failed when the database dropped just after its commit."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as exc:  # Django's name for a failed update
            logger.warning("Session not saved on %s %s: %s", request.method, request.path, exc)
            return response

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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

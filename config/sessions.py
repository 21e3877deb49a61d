"""How long a login lasts: SESSION_COOKIE_AGE after logging in whatever the activity, and
less when nobody uses it for SESSION_IDLE_TIMEOUT (a desk PC left logged in at lunch).

Django renews a session's expiry each time it saves it, so once activity is written into
the session the "absolute" age would slide along with it: the end is pinned at login
instead (``set_expiry`` with a moment, not an age). Activity is written at most once a
RESOLUTION, not on every request, so reading pages mostly leaves the session row alone;
the idle limit is then met to within that resolution.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

LAST_SEEN = "last_seen"  # seconds since the epoch of the latest request written down
RESOLUTION = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def session_started(sender, request, user, **kwargs) -> None:
    """On login (user_logged_in): the session's end is fixed, and activity starts now."""
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[LAST_SEEN] = _now()


def _expired_answer(request) -> HttpResponse | None:
    """For htmx's background requests (a progress bar's polling): send the whole page to the
    login form rather than have the login form swapped into a corner of the page."""
    if request.headers.get("HX-Request") != "true":
        return None  # LoginRequiredMiddleware sends the anonymous user to log in
    login = resolve_url(settings.LOGIN_URL)
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    back = page.path + (f"?{page.query}" if page.query else "")
    return HttpResponse(status=204, headers={"HX-Redirect": f"{login}?{urlencode({'next': back})}"})


class SessionIdleMiddleware:
    """Logs out a session that had no request for SESSION_IDLE_TIMEOUT seconds; the login
    page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now, last = _now(), request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.warning(
                    request,
                    _(
                        "Your session expired after %(minutes)d minutes without activity. "
                        "Please log in again."
                    )
                    % {"minutes": minutes},
                )
                answer = _expired_answer(request)
                if answer is not None:
                    return answer
            elif last is None or now - last >= RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

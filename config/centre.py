"""The one way to read the centre's details (name, address, telephone, public address,
logo, seal): config.models.Centre's row, or the defaults from settings while there is none.

Reading never writes: the row is made only when the administrator saves it. Within a
request the row is read once and kept on the request; elsewhere (exports, jobs) each call
reads it, so a change in the admin shows on the next page or document, in every process.
"""

import logging

from django.db import DatabaseError

from config.models import Centre

logger = logging.getLogger(__name__)


def current_centre(request=None) -> Centre:
    """The centre's details, read once per request when ``request`` is given."""
    if request is not None:
        cached = getattr(request, "_centre", None)
        if cached is not None:
            return cached
    centre = _load()
    if request is not None:
        request._centre = centre
    return centre


def _load() -> Centre:
    try:
        centre = Centre.objects.filter(pk=Centre.SINGLETON_ID).first()
    except DatabaseError:
        # The error pages must render with the database down; the name is not worth a 500.
        logger.warning("Centre settings unreadable; using the defaults", exc_info=True)
        centre = None
    return centre if centre is not None else Centre.defaults()

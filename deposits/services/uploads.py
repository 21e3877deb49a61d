"""Filing an uploaded file with its record: checked and re-encoded (config.uploads), stored
under a server-made name with the SHA-256 of the stored bytes."""

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.utils import timezone

from config.uploads import StoredUpload, clean_photo
from config.validators import RuleError


def file_row(model: type[models.Model], stored: StoredUpload, *, by, **fields) -> models.Model:
    """A row of ``model`` (a deposits.models.uploads.StoredFile) holding ``stored``."""
    row = model(
        sha256=stored.sha256,
        size=stored.size,
        uploaded_by=by,
        uploaded_at=timezone.now(),
        **fields,
    )
    row.file.save(stored.content.name, stored.content, save=False)
    row.save()
    return row


def checked_photo(upload: File, *, field: str) -> StoredUpload:
    """The photo re-encoded, or refused with the reason on ``field``."""
    try:
        return clean_photo(upload)
    except ValidationError as exc:
        raise RuleError(" ".join(exc.messages), field=field) from None

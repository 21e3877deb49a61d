"""The fees app's background job: the audit pack of a long period (config.jobs runs it)."""

from datetime import date

from config.jobs import register_job_kind


def _period(params: dict) -> tuple[date, date]:
    return date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])


# fees.exports is imported when a pack is built, not when the app is ready: every
# manage.py command would otherwise load WeasyPrint.
def audit_pack_write(params: dict, out, progress, *, by) -> None:
    from fees.exports import write_audit_pack

    write_audit_pack(out, *_period(params), progress=progress, by=by)


def audit_pack_name(params: dict) -> str:
    from fees.exports import pack_filename

    return pack_filename(*_period(params))


def register() -> None:
    register_job_kind(
        "audit_pack",
        run=audit_pack_write,
        filename=audit_pack_name,
        permission="fees.download_statement",
    )

"""Gapless number series: receipts, permits, decoration applications (fees' series table)
and the centre's own records (archives' table). Each app keeps its series in a table of its
own, with a unique ``key`` and a ``last_value``; the rule for taking a number is this one."""

from django.db import IntegrityError, transaction


def next_value(sequences, key: str) -> int:
    """The next value of the series ``key`` in the table ``sequences``: taken under a row lock
    in the caller's transaction, so a rolled-back caller gives its number back and two desks
    never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    sequence = sequences.objects.select_for_update().filter(key=key).first()
    if sequence is None:
        try:
            with transaction.atomic():  # savepoint: another desk may create the row first
                sequences.objects.create(key=key)
        except IntegrityError:
            pass
        sequence = sequences.objects.select_for_update().get(key=key)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value

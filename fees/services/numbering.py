from django.db import IntegrityError, transaction

from fees.models import NumberSequence


def next_number(key: str) -> int:
    """The next value of a series, gapless: taken under a row lock in the caller's
    transaction, so a rolled-back caller gives its number back and two desks never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    sequence = NumberSequence.objects.select_for_update().filter(key=key).first()
    if sequence is None:
        try:
            with transaction.atomic():  # savepoint: another desk may create the row first
                NumberSequence.objects.create(key=key)
        except IntegrityError:
            pass
        sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value

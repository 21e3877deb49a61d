from config.numbering import next_value
from fees.models import NumberSequence


def next_number(key: str) -> int:
    """The next value of one of fees' series (receipts of a year, permits ...), gapless
    (config.numbering)."""
    return next_value(NumberSequence, key)

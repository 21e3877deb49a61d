"""Deposits are money records: they are written only through the desk's services, and the
admin shows none of them (config.permanence refuses a permanent model an admin that could
delete it)."""

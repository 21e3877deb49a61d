"""PostgreSQL as Django's backend does it, but a new connection waits out a restart
(see base.py)."""

"""Django's PostgreSQL backend, with the health check skipped on a connection just proven.

pps/settings.py makes it the ENGINE of a PostgreSQL DATABASE_URL; see base.py and
docs/decisions/0025-health-check-once-a-second.md.
"""

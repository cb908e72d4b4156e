"""The demo accounts the README's first command creates and the sign-in page lists.

Only shown when PPS_DEMO_MODE is on: a trial installation on localhost.
"""

from pps.roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (printed on the demo sign-in page)

DEMO_ACCOUNTS = [
    ("coordinator", Role.COORDINATOR),
    ("officer", Role.CASE_OFFICER),
    ("support", Role.ADMIN_SUPPORT),
    ("volunteer", Role.VOLUNTEER),
    ("steering", Role.STEERING),
    # Of no service: the network report of the demo service and its neighbours.
    ("analyst", Role.NETWORK_ANALYST),
]

"""Pinning the clock in a test: the day it needs, at noon London time (docs/testing.md)."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")


def on(day: dt.date, hour: int = 12, minute: int = 0):
    """A context manager (or decorator) that makes `day` at `hour`:`minute` London time now.

    The clock ticks on from there, so timestamps taken in a row still differ."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON))

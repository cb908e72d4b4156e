"""What the parts of the demo share: the service, its staff, the day of loading, the random
sources and the counts for the summary; and the bulk inserts that write a record's history
as the actions would have left it."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone
from faker import Faker

from pps.days import start_of
from pps.models import Service, User
from pps.roles import Role


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def by_name(items, weights):
    """The code list's values with the weights named here (a value added later gets 1)."""
    return [(item, weights.get(item.name, 1)) for item in items]


@dataclass
class Context:
    service: Service
    today: dt.date
    # Nothing is dated after this moment: the moment of loading when `today` is today.
    now: dt.datetime
    # The records start on the first day of this academic year.
    start: dt.date
    rng: random.Random
    fake: Faker
    users: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    def at(self, day: dt.date, first_hour=8, last_hour=17) -> dt.datetime:
        """A time in office hours on `day`, never after the moment of loading."""
        moment = dt.time(self.rng.randint(first_hour, last_hour), self.rng.randrange(0, 60, 5))
        at = timezone.make_aware(dt.datetime.combine(day, moment))
        if at > self.now:
            at = max(start_of(day), self.now - dt.timedelta(minutes=self.rng.randint(1, 40)))
        return at

    def insert_with_history(self, model, steps, batch_size=1000):
        """Insert the records of `steps` and write their history.

        `steps` is a list of (record, [(moment, user, "+" or "~", field values then)]): the
        first step creates the record, each later one is a save an action would have made,
        with the values that save changed. A versioned record's version counts the saves.
        Returns the historical rows, in the order of `steps`.
        """
        for record, changes in steps:
            if hasattr(record, "version"):
                record.version = len(changes)
        records = [record for record, _ in steps]
        model._default_manager.bulk_create(records, batch_size=batch_size)
        history = model.history.model
        tracked = [f.attname for f in history.tracked_fields]
        rows = []
        for record, changes in steps:
            values = {name: getattr(record, name) for name in tracked}
            state, previous = {}, None
            for n, (moment, user, kind, changed) in enumerate(changes, start=1):
                # Saves on one day keep their order: each after the one before.
                if previous is not None and moment <= previous:
                    moment = previous + dt.timedelta(minutes=self.rng.randint(1, 20))
                previous = moment
                state.update(changed)
                if "version" in values:
                    state["version"] = n
                rows.append(
                    history(
                        history_date=moment,
                        history_user_id=user.pk if user else None,
                        history_type=kind,
                        **{**values, **state},
                    )
                )
        history.objects.bulk_create(rows, batch_size=batch_size)
        return rows

    def saved_once(self, record, by, created_at, initial, saved_on):
        """A step for insert_with_history: `record` made at `created_at` with the `initial`
        values of some fields, then, when `saved_on`, saved that day with its own values."""
        changes = [(created_at, by, "+", initial)]
        if saved_on:
            now = {name: getattr(record, name) for name in initial}
            changes.append((self.at(saved_on), by, "~", now))
        return record, changes

    def link_with_history(self, model, field_name, rows, pairs):
        """Write the links (record, related record) of `model`'s many-to-many field, and
        copy each record's links into every history row of it (`rows`)."""
        field = model._meta.get_field(field_name)
        owner, other = field.m2m_column_name(), field.m2m_reverse_name()
        through = field.remote_field.through
        through_rows = [through(**{owner: a.pk, other: b.pk}) for a, b in pairs]
        through.objects.bulk_create(through_rows, batch_size=1000)
        by_owner = {}
        for row in through_rows:
            by_owner.setdefault(getattr(row, owner), []).append(row)
        m2m_history = getattr(model.history.model, field_name).model
        names = [f.attname for f in through._meta.fields]
        copies = [
            m2m_history(history_id=row.history_id, **{n: getattr(link, n) for n in names})
            for row in rows
            for link in by_owner.get(row.id, [])
        ]
        m2m_history.objects.bulk_create(copies, batch_size=1000)

    # Staff ------------------------------------------------------------------------------

    def add_user(self, username, role, password) -> User:
        user = User(
            username=username,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=f"{username}@demoshire.invalid",
            # Network analysts compare services and belong to none.
            service=None if role == Role.NETWORK_ANALYST else self.service,
            role=role,
            password=password,
        )
        user.save()
        self.users[username] = user
        return user

"""Writes of the annual report's inputs: each one transaction, never a silent overwrite."""

import datetime as dt

from django.db import IntegrityError, transaction

from pps.actions import save_versioned_form
from pps.models import Service
from pps.versioning import EditConflict
from reports.models import MonthlyActivity, NarrativeSection, YearlyDenominators


def save_monthly_activity(
    *, service: Service, changes: list[tuple[dt.date, dict, int | None]], by
) -> None:
    """Save the changed months together, or none of them.

    `changes` holds each month's figures and the version of its row when the form was read
    (None: there was no row). A row saved or created by someone else since raises
    EditConflict with that row, and nothing is saved.
    """
    try:
        with transaction.atomic():
            for month, values, version in changes:
                row = MonthlyActivity.objects.select_for_update().filter(month=month).first()
                if row is None and version is None:
                    MonthlyActivity.objects.create(
                        service=service, month=month, updated_by=by, **values
                    )
                    continue
                if row is None or row.version != version:
                    raise EditConflict(row)
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_by = by
                row.save()
    except IntegrityError as error:
        # Two people created the same month at once: the second one is told, as above.
        raise EditConflict(None) from error


def save_first_denominators(form) -> None:
    """Save a financial year's first denominators record (publications.forms
    .DenominatorsForm, valid). Two first saves at once meet the one-row-per-year
    constraint: the second raises EditConflict, to be shown the first one's values."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as error:
        raise EditConflict(None) from error


def save_denominators(*, form, by) -> YearlyDenominators:
    """Save a valid DenominatorsForm as `by`'s: the year's first record, or an edit of it
    unless someone saved it since the form was opened (EditConflict, nothing saved)."""
    form.instance.updated_by = by
    if form.instance.pk is None:
        save_first_denominators(form)
    else:
        save_versioned_form(form)
    return form.instance


def save_narrative(*, form, by) -> NarrativeSection:
    """Save a valid NarrativeForm as `by`'s: the part's first text, or an edit of it unless
    someone saved it since the form was opened (EditConflict, nothing saved)."""
    form.instance.updated_by = by
    if form.instance.pk is None:
        form.save()
    else:
        save_versioned_form(form)
    return form.instance

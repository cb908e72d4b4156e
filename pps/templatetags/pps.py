import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter

from pps import crispy, links
from pps.days import day_shown

register = template.Library()


@register.filter(expects_localtime=True)
def day(value):
    """What {{ value|date }} prints, a day formatted once per process and language
    (pps/days.py): a page of a hundred cases prints three hundred dates, mostly the same
    few dozen days. Datetimes and anything else go to the date filter itself."""
    if type(value) is dt.date:
        return day_shown(value)
    return date_filter(value)


@register.simple_tag
def record_url(viewname, pk):
    """What {% url viewname pk %} prints, for a record's page in a list of many: the route
    is reversed once per process (pps/links.py), not once per row."""
    return links.record_url(viewname, pk)


@register.filter
def crispy_field(field):
    """What {{ field|as_crispy_field }} prints, drawn once per process for each distinct
    field (pps/crispy.py): for forms of the product's own words and options, opened on
    every visit (a list's filters, the case page's contact form)."""
    return crispy.crispy_field(field)


@register.filter
def minutes_as_hours(minutes):
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min"

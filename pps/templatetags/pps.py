import datetime as dt

from django import template
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString

from pps import crispy, links
from pps.choices import choice_label
from pps.days import day_shown
from pps.escaping import html_format, html_join

register = template.Library()


@register.filter(expects_localtime=True)
def day(value):
    """What {{ value|date }} prints, a day formatted once per process and language
    (pps/days.py): a page of a hundred cases prints three hundred dates, mostly the same
    few dozen days. Datetimes and anything else go to the date filter itself."""
    if type(value) is dt.date:
        return day_shown(value)
    return date_filter(value)


@register.filter
def label(record, name):
    """What {{ record.get_NAME_display }} prints, from the field's labels gathered once per
    process (pps/choices.py) rather than a dictionary of every choice made for each call."""
    if not isinstance(record, models.Model):
        # Nothing there (or no record): printed as {{ nothing.get_NAME_display }} prints.
        return ""
    return choice_label(record, name)


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


_LINK = '<a class="nav-link{}" href="{}"{}>{}</a>'
_CURRENT = SafeString(' aria-current="page"')


def _nav_link(link, path: str) -> SafeString:
    here = link.path == path
    current = _CURRENT if here else ""
    return html_format(_LINK, " active" if here else "", link.path, current, link.label)


@register.simple_tag
def site_links(nav, path: str):
    """The header's links and menus (templates/base.html) for the role's navigation
    (pps.context_processors.navigation), the page at `path` marked as the current one:
    drawn in Python, as the template's loop drew them, since every page has them (a
    coordinator's two dozen links were a tenth of a page's template time)."""
    items = []
    for item in nav:
        if getattr(item, "links", None):
            links_drawn = [(_nav_link(link, path),) for link in item.links]
            items.append(
                html_format(
                    '<li class="nav-item nav-group"><details><summary class="nav-link">{}'
                    '</summary>\n<ul class="nav-group-links">\n{}\n</ul></details></li>',
                    item.label,
                    html_join("\n", "<li>{}</li>", links_drawn),
                )
            )
        else:
            items.append(html_format('<li class="nav-item">{}</li>', _nav_link(item, path)))
    return html_join("\n", "{}", ((item,) for item in items))

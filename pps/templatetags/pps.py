from django import template

from pps.disclosure import count_shown, is_small

register = template.Library()


@register.filter
def small_number(count):
    """DOMAIN.md 4.0: for readers who may not see personal data, 1 to 4 is "fewer than 5"."""
    return count_shown(count, public=True)


@register.filter(name="is_small")
def is_small_filter(count) -> bool:
    """Whether a percentage made from this count must be hidden from such readers."""
    return is_small(count)


@register.filter
def minutes_as_hours(minutes):
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min"

from django import template

register = template.Library()


@register.filter
def small_number(count):
    """DOMAIN.md 4.0: for readers who may not see personal data, 1 to 4 is "fewer than 5"."""
    if isinstance(count, int) and 0 < count < 5:
        return "fewer than 5"
    return count


@register.filter
def minutes_as_hours(minutes):
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min"

"""Template filters for quiz pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as a countdown clock: 59:07, or 1:05:00 past an hour."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def duration(value: timedelta | None) -> str:
    """A time taken in words: 12 min 5 s."""
    if value is None:
        return ""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"

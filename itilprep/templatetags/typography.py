"""Template filters for how text breaks across lines."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

HYPHENATED = re.compile(r"\w+(?:-\w+)+")


@register.filter
def keep_hyphenated(text: str) -> SafeString:
    """Keep hyphenated words whole ("co-creation"): browsers may break a line after a hyphen,
    which left "co-" at the end of a heading's line and "creation" alone on the next."""
    escaped = str(conditional_escape(text))
    return mark_safe(HYPHENATED.sub(r'<span class="nowrap">\g<0></span>', escaped))

"""Template filters of the glossary: `{{ text|autolink:linker }}`."""

from django import template
from django.utils.html import conditional_escape

register = template.Library()


@register.filter
def autolink(text: str, linker) -> str:
    """Link glossary terms in `text` with the page's Linker (escapes the text either way)."""
    if linker is None:
        return conditional_escape(text)
    return linker.link(text)

"""Auto-linking of glossary terms inside texts, as Moodle's glossary filter does.

Whole words, case-insensitive, aliases too; the longest term wins at a position
("service relationship management" before "service"); only the first occurrence of each
concept in a text; never the page's own concept; never inside an existing link or tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Concept, split_aliases

# Existing links and tags are copied through untouched.
_SKIP = re.compile(r"<a\b.*?</a>|<[^>]*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Term:
    text: str
    concept_id: int
    slug: str


@lru_cache(maxsize=8)
def _compile(terms: tuple[str, ...]) -> re.Pattern | None:
    """One alternation of all terms, longest first, so the longest match wins."""
    if not terms:
        return None
    ordered = sorted(terms, key=lambda t: (-len(t), t))
    alternation = "|".join(re.escape(conditional_escape(term)) for term in ordered)
    # A plain English plural ("outputs", "processes") links to the singular term too.
    return re.compile(rf"(?<![\w-])(?P<term>{alternation})(?:e?s)?(?![\w-])", re.IGNORECASE)


class Linker:
    """Links glossary terms in texts; build one per page with `Linker.for_concepts()`."""

    def __init__(self, terms: list[Term], exclude: Concept | None = None):
        self.by_text = {conditional_escape(t.text).lower(): t for t in terms}
        self.exclude_id = exclude.pk if exclude else None
        self.pattern = _compile(tuple(sorted(self.by_text)))
        self.links_made = 0  # numbers the previews, so their ids are unique on the page

    @classmethod
    def for_concepts(cls, exclude: Concept | None = None) -> Linker:
        """A linker for every concept that allows auto-linking (one query)."""
        terms = []
        rows = Concept.objects.filter(autolink=True).values_list("id", "slug", "name", "aliases")
        for concept_id, slug, name, aliases in rows:
            for text in [name, *split_aliases(aliases)]:
                terms.append(Term(text, concept_id, slug))
        return cls(terms, exclude=exclude)

    def link(self, text: str) -> SafeString:
        html = str(conditional_escape(text))
        if self.pattern is None:
            return mark_safe(html)
        linked: set[int] = set()
        if self.exclude_id:
            linked.add(self.exclude_id)  # the page's own concept never links to itself
        out: list[str] = []
        position = 0
        for skipped in _SKIP.finditer(html):
            out.append(self._link_plain(html[position : skipped.start()], linked))
            out.append(skipped.group())
            position = skipped.end()
        out.append(self._link_plain(html[position:], linked))
        return mark_safe("".join(out))

    def _link_plain(self, html: str, linked: set[int]) -> str:
        def replace(match: re.Match) -> str:
            term = self.by_text[match.group("term").lower()]
            if term.concept_id in linked:
                return match.group()
            linked.add(term.concept_id)
            url = reverse("glossary:concept", args=[term.slug])
            preview = reverse("glossary:preview", args=[term.slug])
            self.links_made += 1
            preview_id = f"term-preview-{self.links_made}"
            return format_html(
                '<span class="term"><a href="{}" aria-describedby="{}" data-hx-get="{}" '
                'data-hx-trigger="mouseenter once delay:150ms, focus once" '
                'data-hx-target="next .term-preview" data-hx-swap="innerHTML">{}</a>'
                '<span class="term-preview" id="{}" role="tooltip"></span></span>',
                url,
                preview_id,
                preview,
                mark_safe(match.group()),
                preview_id,
            )

        return self.pattern.sub(replace, html)

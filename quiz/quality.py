"""Quality measures of generated questions: structural checks and the test-wise guessers.

A test-wise guesser knows no ITIL and picks an option by its look. Three are measured:

- longest: the option with the most characters (whitespace collapsed);
- shared words: the option whose content words overlap most with the question's text (the
  stem and, for a list question, its numbered statements);
- odd one out: the option least like the others, i.e. with the lowest mean word-set Jaccard
  similarity to the other three options. (Word sets rather than lengths: a length outlier is
  already what the longest-option guesser catches.)

Ties go to the first of the tied options in presented order, as a guesser reading top-down
would choose. "Content words" are lower-cased words and numbers without English stopwords,
single letters, or the words of our question templates ("which", "statement", ...), with a
plain plural or possessive reduced to the singular, so "outcomes" matches "outcome".

The functions work on `QuestionView`s, built from the builder's dataclasses or from stored
`Question` rows (with their choices), so the same checks run before and after the DB sync.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

LONGEST = "longest"
SHARED_WORDS = "shared_words"
ODD_ONE_OUT = "odd_one_out"
GUESSERS = {
    LONGEST: "longest option",
    SHARED_WORDS: "most words shared with the stem",
    ODD_ONE_OUT: "odd one out",
}

_STOPWORDS = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just may me might more most must my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours yourself yourselves e g eg ie etc"""
STOPWORDS = frozenset(_STOPWORDS.split())
# The fixed words of our question templates: they say nothing about which option is right.
_TEMPLATE_WORDS = """which term described describes statement statements following correct
    two word phrase completes sentence one"""
TEMPLATE_WORDS = frozenset(_TEMPLATE_WORDS.split())
IGNORED_WORDS = STOPWORDS | TEMPLATE_WORDS
BLANK = "____"

# Styles, as stored in Question.style (quiz.models.bank.Style); kept here as plain strings so
# this module and the builder stay free of Django imports.
TERM = "term"
DEFINITION = "definition"
MISSING_WORD = "missing_word"
LIST = "list"
NEGATIVE = "negative"
# Styles whose options are names of concepts, and styles whose stem names the concept.
NAME_OPTION_STYLES = frozenset({TERM, MISSING_WORD, NEGATIVE})
STEM_NAMES_CONCEPT = frozenset({DEFINITION, LIST, NEGATIVE})

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalize_word(word: str) -> str:
    """Lower-cased singular: plain plurals and possessives reduced ("processes" -> "process")."""
    word = word.lower()
    if word.endswith(("'s", "'")):
        word = word.rsplit("'", 1)[0]
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """The normalized content words of `text` (no stopwords, no single letters)."""
    found = (normalize_word(word) for word in _WORD.findall(text.lower()))
    return frozenset(w for w in found if w not in IGNORED_WORDS and (len(w) > 1 or w.isdigit()))


def squash(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def _terms_pattern(terms: tuple[str, ...], plural: bool) -> re.Pattern[str] | None:
    words = sorted({squash(term) for term in terms if term.strip()}, key=len, reverse=True)
    if not words:
        return None
    suffix = r"(?:s|es|'s)?" if plural else ""
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives}){suffix}(?!\w)", re.IGNORECASE)


def find_term(text: str, term: str, *, plural: bool = True) -> list[re.Match[str]]:
    """Whole-word, case-insensitive occurrences of `term` in `text` (a plain plural counts)."""
    pattern = _terms_pattern((term,), plural)
    return list(pattern.finditer(text)) if pattern else []


def contains_any(text: str, terms: Iterable[str], *, plural: bool = True) -> bool:
    """Whether any of `terms` occurs in `text` as whole words (a plain plural counts)."""
    pattern = _terms_pattern(tuple(terms), plural)
    return bool(pattern and pattern.search(text))


# -- the guessers ----------------------------------------------------------------------------


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


class GuessTable:
    """The guessers' view of a set of texts, worked out once to score many subsets of them.

    The builder tries many combinations of distractors for one key; this keeps each try
    cheap and uses exactly the definitions the quality report uses.
    """

    def __init__(self, stem: str, texts: Sequence[str]):
        stem_words = content_words(stem)
        words = [content_words(text) for text in texts]
        self.length = [float(len(squash(text))) for text in texts]
        self.shared = [float(len(w & stem_words)) for w in words]
        self.similarity = [[jaccard(a, b) for b in words] for a in words]

    def scores(self, chosen: Sequence[int]) -> dict[str, list[float]]:
        """For each guesser, a score per chosen text: the guesser picks the highest."""
        odd = []
        for i in chosen:
            others = [self.similarity[i][j] for j in chosen if j != i]
            # Rounded so that equal similarities compare equal whatever the summing order.
            odd.append(-round(sum(others) / len(others), 9) if others else 0.0)
        return {
            LONGEST: [self.length[i] for i in chosen],
            SHARED_WORDS: [self.shared[i] for i in chosen],
            ODD_ONE_OUT: odd,
        }

    def chances(self, chosen: Sequence[int], key: int = 0) -> dict[str, float]:
        """For each guesser, the chance it picks `chosen[key]` with the options in random order.

        The key wins outright (1.0), shares the top with k - 1 others (1/k), or loses (0.0).
        """
        result = {}
        for name, scores in self.scores(chosen).items():
            best = max(scores)
            top = [i for i, score in enumerate(scores) if score == best]
            result[name] = 1 / len(top) if key in top else 0.0
        return result


def guesser_scores(stem: str, options: Sequence[str]) -> dict[str, list[float]]:
    """For each guesser, a score per option: the guesser picks the highest, first on ties."""
    return GuessTable(stem, options).scores(range(len(options)))


def guesses(stem: str, options: Sequence[str]) -> dict[str, int]:
    """The index of the option each guesser picks."""
    return {
        name: max(range(len(scores)), key=lambda i, s=scores: (s[i], -i))
        for name, scores in guesser_scores(stem, options).items()
    }


def chance_of_key(stem: str, options: Sequence[str], key: int) -> dict[str, float]:
    """For each guesser, the chance it picks the key if the options are shown in random order."""
    return GuessTable(stem, options).chances(range(len(options)), key)


# -- views over generated questions and stored rows ------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    """What the checks need of a question, whatever it is stored in."""

    label: str
    style: str
    stem: str
    statements: tuple[str, ...]
    options: tuple[str, ...]
    key_flags: tuple[bool, ...]
    # Name and aliases of the concept the question is about (empty if unknown).
    concept_terms: tuple[str, ...] = ()
    learning_outcome: str = ""

    @property
    def full_stem(self) -> str:
        return " ".join([self.stem, *self.statements])

    @property
    def key_index(self) -> int | None:
        keys = [i for i, flag in enumerate(self.key_flags) if flag]
        return keys[0] if len(keys) == 1 else None


def view_of_generated(question) -> QuestionView:
    """A view of a builder `GeneratedQuestion`."""
    return QuestionView(
        label=f"{question.style} {question.concept_name!r} {question.variant}".strip(),
        style=question.style,
        stem=question.stem,
        statements=tuple(question.statements),
        options=tuple(option.text for option in question.options),
        key_flags=tuple(option.is_key for option in question.options),
        concept_terms=tuple(question.concept_terms),
        learning_outcome=question.learning_outcome,
    )


def view_of_row(question) -> QuestionView:
    """A view of a stored `Question`; prefetch `choices` and select `concept` for many rows."""
    choices = sorted(question.choices.all(), key=lambda choice: (choice.order, choice.pk))
    concept = question.concept
    terms = (concept.name, *concept.alias_list) if concept is not None else ()
    return QuestionView(
        label=f"question {question.pk} ({question.style}, {concept.name if concept else '-'})",
        style=question.style,
        stem=question.stem,
        statements=tuple(question.statements or ()),
        options=tuple(choice.text for choice in choices),
        key_flags=tuple(choice.is_key for choice in choices),
        concept_terms=terms,
        learning_outcome=question.learning_outcome,
    )


# -- the checks ------------------------------------------------------------------------------


def structural_problems(view: QuestionView) -> list[str]:
    """Every way `view` breaks the rules of a question; empty if it is sound."""
    problems = []
    where = view.label
    if not view.stem.strip():
        problems.append(f"{where}: empty stem")
    if len(view.options) != 4:
        problems.append(f"{where}: {len(view.options)} options instead of 4")
    if sum(view.key_flags) != 1:
        problems.append(f"{where}: {sum(view.key_flags)} keys instead of 1")
    if any(not option.strip() for option in view.options):
        problems.append(f"{where}: an empty option")
    texts = [squash(option).lower() for option in view.options]
    if len(set(texts)) != len(texts):
        problems.append(f"{where}: two options with the same text")
    if view.style == LIST and len(view.statements) != 4:
        problems.append(f"{where}: {len(view.statements)} statements instead of 4")
    if view.style == MISSING_WORD and view.stem.count(BLANK) != 1:
        problems.append(f"{where}: the sentence must have exactly one blank")
    if view.style in STEM_NAMES_CONCEPT:
        for option in view.options:
            if contains_any(option, view.concept_terms):
                problems.append(f"{where}: option {option!r} repeats the concept's name")
    if view.style in NAME_OPTION_STYLES:
        key = view.key_index
        if view.style != NEGATIVE and contains_any(view.full_stem, view.concept_terms):
            problems.append(f"{where}: the stem names the key")
        for index, option in enumerate(view.options):
            if find_term(view.full_stem, option):
                what = "the key" if index == key else f"option {option!r}"
                problems.append(f"{where}: the stem contains {what}")
    return problems


@dataclass
class QualityReport:
    questions: int
    # Share of questions (0..1) where each guesser picks the key.
    figures: dict[str, float]
    problems: list[str]


def quality_report(views: Iterable[QuestionView]) -> QualityReport:
    views = list(views)
    hits = dict.fromkeys(GUESSERS, 0)
    problems: list[str] = []
    for view in views:
        problems.extend(structural_problems(view))
        key = view.key_index
        if key is None:
            continue
        for name, guess in guesses(view.full_stem, view.options).items():
            hits[name] += guess == key
    total = len(views)
    figures = {name: (count / total if total else 0.0) for name, count in hits.items()}
    return QualityReport(questions=total, figures=figures, problems=problems)

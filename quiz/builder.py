"""The question builder: pure functions that turn a glossary snapshot and a seed into questions.

No ORM here: `quiz.bank` reads the glossary into `ConceptData` and stores what comes out. The
same snapshot and seed always give the same questions, in the same order, with the same
options in the same order (each question shuffles with its own seeded generator, so the key's
position is uniform over the bank).

Styles (four options, one key each):

- TERM: a definition; the options are names. Skipped when a distinctive word of the key's
  name or aliases is in the stem (see `COMMON_WORDS` for the words that don't count).
- DEFINITION: a name; the options are definitions. Distractor definitions never contain the
  concept's name or aliases.
- MISSING_WORD: a key point naming its concept once, blanked; the options are names in the
  form the sentence needs (capitalised at the start, plural, possessive, matching "a"/"an").
- LIST: "which two of the following are among <set>?" for a concept with at least two
  members (`part_of`) and a `members_label`: four numbered names, two members and two
  outsiders a learner could take for members. (Statements made by swapping names in key
  points were tried and dropped: too many came out true.) The options are four of the six
  pairs: the true pair, its complement and one of the two matchings, so every statement
  number appears twice and no option stands out.
- NEGATIVE: "which is NOT one of <set>?" for a concept with at least three members
  (`part_of`) and a `members_label`; three members and one outsider. A few per set, and no
  more than `NEGATIVE_SHARE` of the bank.

Distractors come from the concept's confused-with concepts (both directions) first, then its
section, its learning outcome, its syllabus. Among the best few candidates (`POOL`) the
builder picks the three that stay in the closest tiers, are close to the key in length, and
make the key look like a random option to the guessers of `quiz.quality`: each question draws
at random (seeded) where the key should rank by length and whether each other guesser should
pick it, with chance 1/4, and the choice that best meets those targets wins. Over the bank a
guesser then does no better than chance, and neither does its opposite ("never the longest").
When the closest tiers leave no choice (a short name whose confusables all have long names),
closeness wins, which is why the longest option is the key on fewer than 25% of questions.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .quality import (
    BLANK,
    DEFINITION,
    GUESSERS,
    LIST,
    LONGEST,
    MISSING_WORD,
    NEGATIVE,
    TERM,
    GuessTable,
    contains_any,
    content_words,
    find_term,
    normalize_word,
    squash,
)

DEFAULT_SEED = 4
STYLES = (TERM, DEFINITION, MISSING_WORD, LIST, NEGATIVE)
OPTIONS = 4
NEGATIVE_PER_SET = 3
LIST_PER_SET = 3
NEGATIVE_SHARE = 0.05  # the exam uses "which is NOT" sparingly
# Words too common in ITIL names to give a key away when they appear in a stem ("Service
# level management" described as "... service quality ..."). Normalized singular forms.
_COMMON = "service management value organization organizational organisation practice product"
COMMON_WORDS = frozenset(normalize_word(word) for word in _COMMON.split())

# How to weigh a set of distractors: each tier step away from the concept costs 1, and a
# length difference of the key's own length costs LENGTH_WEIGHT. Then the guessers: each
# question draws, per guesser, whether that guesser should pick its key (with chance 1/4,
# so over the bank the key looks like a random option, neither favoured nor avoided), and
# missing that target by p costs GUESS_WEIGHT * p. Only the best POOL candidates are tried.
POOL = 8
TIER_COST = (0.0, 1.0, 2.0, 3.0, 4.0)
LENGTH_WEIGHT = 1.0
GUESS_WEIGHT = 0.6
RANK_WEIGHT = 0.5
CHANCE = 1 / OPTIONS


# -- the snapshot and the output -------------------------------------------------------------


@dataclass(frozen=True)
class ConceptData:
    """One glossary concept, as the builder sees it."""

    id: int
    name: str
    definition: str
    section_id: int
    section_code: str
    learning_outcome: str
    syllabus: str = ""
    aliases: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    related: tuple[int, ...] = ()
    confused_with: tuple[int, ...] = ()
    part_of: int | None = None
    members_label: str = ""
    # False for names that are everyday words (value, plan, change): in running text such a
    # word is only taken to name the concept where it opens the sentence.
    autolink: bool = True

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GeneratedChoice:
    text: str
    is_key: bool
    concept_id: int | None
    rationale: str


@dataclass(frozen=True)
class GeneratedQuestion:
    style: str
    concept_id: int
    concept_name: str
    # The concept's name and aliases, for the quality checks (not stored).
    concept_terms: tuple[str, ...]
    section_id: int
    learning_outcome: str
    variant: str
    signature: str
    stem: str
    statements: tuple[str, ...]
    explanation: str
    options: tuple[GeneratedChoice, ...]

    @property
    def key(self) -> GeneratedChoice:
        return next(option for option in self.options if option.is_key)

    @property
    def content_hash(self) -> str:
        """A hash of everything stored with the question; a new hash means a new question.

        Beyond what the learner reads (style, stem, statements, explanation, options with key
        flags and rationales) it covers the concept, section and learning outcome the row
        points at, which the review links to and quizzes draw by.
        """
        content = [
            self.style,
            self.stem,
            list(self.statements),
            self.explanation,
            [[o.text, o.is_key, o.rationale, o.concept_id] for o in self.options],
            self.concept_id,
            self.section_id,
            self.learning_outcome,
        ]
        data = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode()).hexdigest()


def signature(syllabus: str, style: str, concept_name: str, variant: str = "") -> str:
    """The stable id of a question's slot: what it asks about, not how it reads."""
    slot = "\x1f".join([syllabus, style, concept_name.strip().lower(), variant])
    return hashlib.sha256(slot.encode()).hexdigest()


# -- wording helpers -------------------------------------------------------------------------


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=4096)
def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2 or (len(word) > 1 and word[1:].lower() != word[1:])


def inline(name: str) -> str:
    """The name as written inside a sentence: "Service level" -> "service level", "IT asset"."""
    first = name.split(" ", 1)[0]
    return name if _is_acronym(first) else name[:1].lower() + name[1:]


def ref(name: str, *, proper: bool = False) -> str:
    """The name as a reference in our own sentences; step names like "Did we get there?" quoted.

    A `proper` name (a member of a set the syllabus names: a guiding principle, a value chain
    activity, a practice) keeps its capital: "describes Engage", not "describes engage".
    """
    if name.endswith("?"):
        return f"'{name}'"
    return name if proper else inline(name)


def lowfirst(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if _is_acronym(first) else text[:1].lower() + text[1:]


_HEAD_BREAK = re.compile(r"\s(?:of|to|on|for|with|in)\s")


@lru_cache(maxsize=4096)
def is_plural(name: str) -> bool:
    """Whether the name reads as a plural ("Goods", "External factors", "Value streams and ...")."""
    head = _HEAD_BREAK.split(name, maxsplit=1)[0].split()[-1].lower()
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


_MASS_ENDINGS = ("tion", "sion", "ance", "ence", "ing", "ness")


@lru_cache(maxsize=4096)
def plural_of(name: str) -> str | None:
    """The plain plural of a name, or None where a plain plural would be wrong or odd."""
    if name.endswith("?") or "/" in name or is_plural(name) or _HEAD_BREAK.search(name):
        return None
    if " and " in name:
        return None
    words = name.split()
    last = words[-1]
    # "Governance", "Service provision", "Swarming", "Change enablement": names of activities
    # and qualities, which take no plural ("Deployment", "Service action" do).
    low = last.lower()
    if low.endswith(_MASS_ENDINGS) and not low.endswith("action"):
        return None
    if low.endswith("ment") and len(words) > 1:
        return None
    if not last.isalpha() or _is_acronym(last):
        return None
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return name + "es"
    if last.endswith("y") and last[-2:-1] not in set("aeiou"):
        return name[:-1] + "ies"
    return name + "s"


def _starts_with_vowel_sound(text: str) -> bool:
    word = text.split(" ", 1)[0]
    if _is_acronym(word):
        return word[0].upper() in "AEFHILMNORSX"
    low = word.lower()
    if low.startswith(("us", "ut", "uni", "eu", "one")):
        return False
    if low.startswith(("hour", "honest")):
        return True
    return low[:1] in set("aeiou")


def _section_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))


# -- the glossary, indexed -------------------------------------------------------------------


class _Glossary:
    def __init__(self, concepts: Sequence[ConceptData]):
        self.ordered = sorted(
            concepts,
            key=lambda c: (c.syllabus, _section_key(c.section_code), c.name.lower(), c.id),
        )
        self.by_id = {c.id: c for c in self.ordered}
        position = {c.id: i for i, c in enumerate(self.ordered)}

        def known(ids, c):
            found = {i for i in ids if i in self.by_id and i != c.id}
            return [
                self.by_id[i]
                for i in sorted(found, key=position.get)
                if self.by_id[i].syllabus == c.syllabus
            ]

        confused_by: dict[int, list[int]] = {}
        for c in self.ordered:
            for other in c.confused_with:
                confused_by.setdefault(other, []).append(c.id)
        self.confused = {}
        self.related = {}
        for c in self.ordered:
            declared = known(c.confused_with, c)
            seen = {d.id for d in declared}
            back = [d for d in known(confused_by.get(c.id, []), c) if d.id not in seen]
            self.confused[c.id] = declared + back
            self.related[c.id] = known(c.related, c)
        self.groups: dict[tuple, list[ConceptData]] = {}
        for c in self.ordered:
            for key in (
                ("section", c.syllabus, c.section_id),
                ("lo", c.syllabus, c.learning_outcome),
            ):
                self.groups.setdefault(key, []).append(c)
            self.groups.setdefault(("syllabus", c.syllabus), []).append(c)
        self.members: dict[int, list[ConceptData]] = {}
        for c in self.ordered:
            parent = self.by_id.get(c.part_of) if c.part_of is not None else None
            if parent is not None and parent.id != c.id and parent.syllabus == c.syllabus:
                self.members.setdefault(parent.id, []).append(c)
        for members in self.members.values():
            members.sort(key=lambda m: (_section_key(m.section_code), m.id))
        self.distinctive = {
            c.id: content_words(" ".join(c.terms)) - COMMON_WORDS for c in self.ordered
        }
        # Longer names that contain a concept's name ("incident" in "incident management"):
        # an occurrence inside one of them is not a mention of the concept.
        self.containers: dict[int, tuple[str, ...]] = {}
        for c in self.ordered:
            own = {term.lower() for term in c.terms}
            self.containers[c.id] = tuple(
                term
                for d in self.groups[("syllabus", c.syllabus)]
                if d.id != c.id
                for term in d.terms
                if term.lower() not in own and contains_any(term, c.terms)
            )

    def mentions(
        self, text: str, c: ConceptData, *, everyday: bool = False
    ) -> list[tuple[int, int, str]]:
        """Where `text` names `c`: (start, end, term) spans, not inside a longer name, and for
        an everyday-word name only at the start of the sentence unless `everyday`."""
        spans = _mentions(text, c.terms)
        if self.containers[c.id]:
            inside = [m.span() for m in _terms_finditer(text, self.containers[c.id])]
            spans = [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in inside)]
        if not c.autolink and not everyday:
            spans = [s for s in spans if _OPENING.match(text[: s[0]])]
        return spans

    def tiers(self, c: ConceptData) -> Iterator[tuple[int, ConceptData]]:
        """Candidate distractors, closest first: confused-with, section, outcome, syllabus."""
        seen = {c.id}
        groups = [
            self.confused[c.id],
            self.groups[("section", c.syllabus, c.section_id)],
            self.groups[("lo", c.syllabus, c.learning_outcome)],
            self.groups[("syllabus", c.syllabus)],
        ]
        for tier, group in enumerate(groups):
            for d in group:
                if d.id not in seen:
                    seen.add(d.id)
                    yield tier, d

    def ref(self, c: ConceptData) -> str:
        return ref(c.name, proper=c.part_of is not None and c.part_of in self.members)

    def gives_away(self, c: ConceptData, text: str) -> bool:
        """Whether `text` names `c` or holds a distinctive word of its name or aliases."""
        return contains_any(text, c.terms) or bool(self.distinctive[c.id] & content_words(text))


# -- choosing distractors --------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    text: str
    tier: int
    concept: ConceptData


@dataclass(frozen=True)
class _Targets:
    """What a question aims for, drawn at random so that over the bank the key looks like any
    option: its length rank (how many options are longer, uniform over 0-3, so the key is
    the longest on about a quarter of questions) and whether each other guesser should pick
    it (with chance 1/4)."""

    longer: int
    picked: dict[str, bool]

    @classmethod
    def draw(cls, rng: random.Random) -> _Targets:
        longer = rng.randrange(OPTIONS)
        return cls(longer, {name: rng.random() < CHANCE for name in GUESSERS if name != LONGEST})

    def cost(self, table: GuessTable, chosen: Sequence[int]) -> float:
        """How far the options `chosen` (the key first) are from the targets."""
        key = table.length[chosen[0]]
        others = [table.length[i] for i in chosen[1:]]
        longer = (
            sum(length > key for length in others) + sum(length == key for length in others) / 2
        )
        chances = table.chances(chosen, 0)
        missed = sum(
            1 - chances[name] if wanted else chances[name] for name, wanted in self.picked.items()
        )
        return RANK_WEIGHT * abs(longer - self.longer) + GUESS_WEIGHT * missed


def _choose(
    key: str, stem: str, candidates: Iterable[_Candidate], rng: random.Random
) -> tuple[_Candidate, ...] | None:
    """The three distractors that best balance closeness, length and the guessers' odds.

    `candidates` come closest tier first; they are read only as far as needed to fill the
    pool with the best candidates on both sides of the key's length, so any length rank is
    possible (the later tiers of a big glossary are never filtered at all).
    """
    size = max(len(key), 1)

    def closeness(candidate: _Candidate) -> float:
        distance = abs(len(candidate.text) - len(key)) / size
        return TIER_COST[candidate.tier] + LENGTH_WEIGHT * distance

    seen = {squash(key).lower()}
    found: list[_Candidate] = []
    sides = [0, 0]  # candidates no longer than the key, longer than the key
    for candidate in candidates:
        if found and candidate.tier != found[-1].tier and min(sides) >= POOL // 2:
            break
        text = squash(candidate.text).lower()
        if text not in seen:  # never two options with the same text
            seen.add(text)
            found.append(candidate)
            sides[len(candidate.text) > len(key)] += 1
    if len(found) < OPTIONS - 1:
        return None
    ranked = sorted(found, key=closeness)
    shorter = [c for c in ranked if len(c.text) <= len(key)][: POOL // 2]
    longer = [c for c in ranked if len(c.text) > len(key)][: POOL // 2]
    rest = [c for c in ranked if c not in shorter and c not in longer]
    pool = sorted([*shorter, *longer, *rest[: POOL - len(shorter) - len(longer)]], key=closeness)
    near = [closeness(candidate) for candidate in pool]
    table = GuessTable(stem, [key, *(candidate.text for candidate in pool)])
    targets = _Targets.draw(rng)
    best, best_cost = None, None
    for combo in itertools.combinations(range(len(pool)), OPTIONS - 1):
        cost = sum(near[i] for i in combo)
        if best_cost is not None and cost >= best_cost:
            continue  # the guessers only add to it
        cost += targets.cost(table, [0, *(i + 1 for i in combo)])
        if best_cost is None or cost < best_cost:
            best, best_cost = combo, cost
    return None if best is None else tuple(pool[i] for i in best)


def _shuffled(options: list[GeneratedChoice], rng: random.Random) -> tuple[GeneratedChoice, ...]:
    options = list(options)
    rng.shuffle(options)
    return tuple(options)


def _rng(seed: int, sig: str) -> random.Random:
    return random.Random(f"{seed}:{sig}")


def _targets_rng(seed: int, c: ConceptData, style: str, variant: str = "") -> random.Random:
    # Seeded by the slot, not by database ids, so the same glossary gives the same bank in
    # any database.
    return _rng(seed, "targets:" + signature(c.syllabus, style, c.name, variant))


def _explain(c: ConceptData, point: str | None = None) -> str:
    text = f"{c.name}: {lowfirst(c.definition)}"
    if point is None and c.key_points:
        point = c.key_points[0]
    return f"{text} {point}" if point else text


# -- the styles ------------------------------------------------------------------------------


def _question(
    g: _Glossary,
    c: ConceptData,
    style: str,
    variant: str,
    stem: str,
    options: list[GeneratedChoice],
    explanation: str,
    seed: int,
    statements: tuple[str, ...] = (),
) -> GeneratedQuestion:
    sig = signature(c.syllabus, style, c.name, variant)
    return GeneratedQuestion(
        style=style,
        concept_id=c.id,
        concept_name=c.name,
        concept_terms=c.terms,
        section_id=c.section_id,
        learning_outcome=c.learning_outcome,
        variant=variant,
        signature=sig,
        stem=stem,
        statements=statements,
        explanation=explanation,
        options=_shuffled(options, _rng(seed, sig)),
    )


def term_question(g: _Glossary, c: ConceptData, seed: int) -> GeneratedQuestion | None:
    if not c.definition.strip():
        return None
    stem = f"Which term is described by the following? {c.definition}"
    if g.gives_away(c, stem):
        return None
    candidates = (
        _Candidate(d.name, tier, d)
        for tier, d in g.tiers(c)
        if not contains_any(stem, d.terms)
        and not contains_any(d.name, c.terms, plural=False)
        and not contains_any(c.name, d.terms, plural=False)
    )
    chosen = _choose(c.name, stem, candidates, _targets_rng(seed, c, TERM))
    if chosen is None:
        return None
    it = g.ref(c)
    options = [GeneratedChoice(c.name, True, c.id, f"Correct: this is what {it} means.")]
    options += [
        GeneratedChoice(
            x.text,
            False,
            x.concept.id,
            f"{x.concept.name}: {lowfirst(x.concept.definition)} The description is of {it}.",
        )
        for x in chosen
    ]
    return _question(g, c, TERM, "", stem, options, _explain(c), seed)


def definition_question(g: _Glossary, c: ConceptData, seed: int) -> GeneratedQuestion | None:
    if not c.definition.strip() or contains_any(c.definition, c.terms):
        return None
    it = g.ref(c)
    stem = f"Which statement describes {it}?"
    candidates = (
        _Candidate(d.definition, tier, d)
        for tier, d in g.tiers(c)
        if d.definition.strip() and not contains_any(d.definition, c.terms)
    )
    chosen = _choose(c.definition, stem, candidates, _targets_rng(seed, c, DEFINITION))
    if chosen is None:
        return None
    options = [GeneratedChoice(c.definition, True, c.id, f"Correct: this is what {it} means.")]
    options += [
        GeneratedChoice(
            x.text, False, x.concept.id, f"This describes {g.ref(x.concept)}, not {it}."
        )
        for x in chosen
    ]
    return _question(g, c, DEFINITION, "", stem, options, _explain(c), seed)


def _terms_finditer(text: str, terms: Sequence[str]) -> Iterator[re.Match[str]]:
    for term in terms:
        yield from find_term(text, term)


def _mentions(text: str, terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, term) spans where any of `terms` occurs, longest first."""
    spans: list[tuple[int, int, str]] = []
    for term in sorted(terms, key=len, reverse=True):
        for match in find_term(text, term):
            start, end = match.span()
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, term))
    return sorted(spans)


@dataclass(frozen=True)
class _Form:
    capital: bool
    plural: bool
    possessive: bool

    def apply(self, name: str) -> str | None:
        text = name
        if self.plural:
            text = plural_of(name)
            if text is None:
                return None
        text = capfirst(text) if self.capital else inline(text)
        return text + "'s" if self.possessive else text


def _form_of(text: str, start: int, end: int, term: str) -> _Form:
    matched = text[start:end]
    possessive = matched.lower().endswith("'s") and not term.lower().endswith("'s")
    core = matched[:-2] if possessive else matched
    plural = len(core) > len(term)
    before = text[:start].rstrip()
    capital = not before or before.endswith((".", "!", "?"))
    return _Form(capital, plural, possessive)


def _blank_fillers(
    g: _Glossary, c: ConceptData, key: str, form: _Form, stem: str, after_article: bool
) -> Iterator[_Candidate]:
    """Names that read as well as the key in the blank, and don't make the sentence true."""
    key_is_question = c.name.endswith("?")
    key_vowel = _starts_with_vowel_sound(key)
    # A name that is plural in itself ("Goods") takes plural forms of the others ("products").
    plural_form = _Form(form.capital, True, form.possessive)
    inherent_plural = is_plural(c.name) and not form.plural
    for tier, d in g.tiers(c):
        use_plural = inherent_plural and not is_plural(d.name)
        text = (plural_form if use_plural else form).apply(d.name)
        if (
            text is None
            or d.name.endswith("?") != key_is_question
            or (not form.plural and not inherent_plural and is_plural(d.name))
            or (after_article and _starts_with_vowel_sound(text) != key_vowel)
            or g.gives_away(d, stem)
            or contains_any(d.name, c.terms, plural=False)
            or contains_any(c.name, d.terms, plural=False)
        ):
            continue
        yield _Candidate(text, tier, d)


_ARTICLE = re.compile(r"(?<!\w)(a|an|A|An)\s+$")


def missing_word_questions(g: _Glossary, c: ConceptData, seed: int) -> list[GeneratedQuestion]:
    questions = []
    for index, point in enumerate(c.key_points):
        spans = g.mentions(point, c, everyday=True)
        if len(spans) != 1:
            continue
        start, end, term = spans[0]
        form = _form_of(point, start, end, term)
        key = form.apply(c.name)
        if key is None:
            continue
        after_article = bool(_ARTICLE.search(point[:start]))
        before, after = _with_article(point[:start], key), point[end:]
        sentence = f"{before}{BLANK}{after}"
        stem = f"Which word or phrase completes the sentence? {sentence}"
        if g.gives_away(c, stem):
            continue
        rng = _targets_rng(seed, c, MISSING_WORD, f"kp{index}")
        candidates = _blank_fillers(g, c, key, form, stem, after_article)
        chosen = _choose(key, stem, candidates, rng)
        if chosen is None:
            continue
        it = g.ref(c)
        options = [GeneratedChoice(key, True, c.id, f"Correct: the statement is about {it}.")]
        options += [
            GeneratedChoice(
                x.text,
                False,
                x.concept.id,
                f"The statement is true of {it}, not of {g.ref(x.concept)}.",
            )
            for x in chosen
        ]
        explanation = f'{c.name}: {lowfirst(c.definition)} The full statement reads: "{point}"'
        questions.append(
            _question(g, c, MISSING_WORD, f"kp{index}", stem, options, explanation, seed)
        )
    return questions


# A name that opens the sentence ("Value is...", "A plan..."): the only place an everyday
# word counts as naming its concept.
_OPENING = re.compile(r"^\s*(?:(?:a|an|the)\s+)?$", re.IGNORECASE)


def _with_article(before: str, name: str) -> str:
    """`before` with a trailing "a"/"an" made to fit the `name` that follows it."""
    article = _ARTICLE.search(before)
    if not article:
        return before
    word = "an" if _starts_with_vowel_sound(name) else "a"
    word = capfirst(word) if article.group(1)[0].isupper() else word
    return before[: article.start(1)] + word + before[article.end(1) :]


def _set_parts(
    g: _Glossary, s: ConceptData, stem: str, *, minimum: int
) -> tuple[list[ConceptData], list[ConceptData], list[tuple[int, ConceptData]]] | None:
    """A set's members, those usable as options with `stem`, and outsiders (tier, concept):
    concepts a learner could take for members, closest first (the members' confusables and
    related concepts, then members of other sets of the same learning outcome, then the
    sections involved)."""
    members = g.members.get(s.id, [])
    if len(members) < minimum or not squash(s.members_label):
        return None
    usable = [
        m for m in members if not contains_any(m.name, s.terms) and not contains_any(stem, m.terms)
    ]
    if len(usable) < minimum:
        return None
    member_ids = {m.id for m in members}
    questions_like = sum(m.name.endswith("?") for m in usable) * 2 > len(usable)
    other_sets = [
        g.by_id[head]
        for head in g.members
        if head != s.id
        and g.by_id[head].learning_outcome == s.learning_outcome
        and g.by_id[head].syllabus == s.syllabus
    ]
    tiers = [
        [d for m in usable for d in (*g.confused[m.id], *g.related[m.id])],
        [d for head in other_sets for d in g.members[head.id]],
        [
            d
            for group in {("section", s.syllabus, x.section_id) for x in [s, *usable]}
            for d in g.groups[group]
        ],
        g.groups[("lo", s.syllabus, s.learning_outcome)],
        g.groups[("syllabus", s.syllabus)],
    ]
    outsiders: list[tuple[int, ConceptData]] = []
    seen = {s.id, *member_ids}
    for tier, group in enumerate(tiers):
        for d in sorted(group, key=lambda d: (_section_key(d.section_code), d.id)):
            if d.id in seen:
                continue
            seen.add(d.id)
            if (
                d.part_of == s.id
                or d.name.endswith("?") != questions_like
                or contains_any(d.name, s.terms)
                or contains_any(stem, d.terms)
                or any(
                    contains_any(d.name, m.terms) or contains_any(m.name, d.terms) for m in usable
                )
            ):
                continue
            outsiders.append((tier, d))
    return members, usable, outsiders


def set_list_questions(g: _Glossary, s: ConceptData, seed: int) -> list[GeneratedQuestion]:
    """ "Which two of these are <set>?": two members and two outsiders, as numbered statements.

    Built from the sets the syllabus defines, so a statement's truth never depends on
    wording: a name either is one of the seven guiding principles or is not.
    """
    label = squash(s.members_label)
    stem = f"Which two of the following are among {label}?"
    parts = _set_parts(g, s, stem, minimum=2)
    if parts is None:
        return []
    members, usable, outsiders = parts
    if len(outsiders) < 2:
        return []
    questions = []
    used_members: set[int] = set()
    used_outsiders: set[int] = set()
    seen_names: set[frozenset[str]] = set()
    for variant_index in range(LIST_PER_SET):
        rng = _rng(seed, f"list:{s.syllabus}:{s.name.lower()}:{variant_index}")
        fresh_members = [m for m in usable if m.id not in used_members] or usable
        # Outsiders from the closest tier first, fresh ones preferred.
        fresh = [o for o in outsiders if o[1].id not in used_outsiders] or outsiders
        near = [o for _, o in sorted(fresh, key=lambda o: o[0])][:4]
        if len(fresh_members) < 2 or len(near) < 2:
            break
        chosen_members = rng.sample(fresh_members, 2)
        chosen_outsiders = rng.sample(near, 2)
        used_members.update(m.id for m in chosen_members)
        used_outsiders.update(o.id for o in chosen_outsiders)
        # The slot is the variant's number, so another seed keeps the slots (and their
        # signatures); a repeat of the same four names is not worth a second question.
        names = frozenset(c.name for c in [*chosen_members, *chosen_outsiders])
        if names in seen_names:
            break
        seen_names.add(names)
        variant = f"set:{variant_index}"
        slots = rng.sample(range(4), 4)
        statements: list[str] = [""] * 4
        source: dict[int, tuple[ConceptData, bool]] = {}
        for slot, c in zip(slots, [*chosen_members, *chosen_outsiders], strict=True):
            statements[slot] = c.name
            source[slot + 1] = (c, c in chosen_members)
        a, b = sorted(slot + 1 for slot in slots[:2])
        x, y = sorted(slot + 1 for slot in slots[2:])
        matching = rng.choice([((a, x), (b, y)), ((a, y), (b, x))])
        pairs = [(a, b), (x, y), *(tuple(sorted(p)) for p in matching)]

        def why_not(n: int, source=source) -> str:
            c = source[n][0]
            home = g.by_id.get(c.part_of) if c.part_of is not None else None
            if home is not None and squash(home.members_label):
                return f"{c.name} is one of {squash(home.members_label)}"
            return f"{c.name} is not one of {label}"

        options = []
        for p, q in pairs:
            wrong = [n for n in (p, q) if not source[n][1]]
            if not wrong:
                rationale = (
                    f"Correct: {source[p][0].name} and {source[q][0].name} are among {label}."
                )
            elif len(wrong) == 1:
                right = p if wrong[0] == q else q
                rationale = f"{source[right][0].name} is, but {why_not(wrong[0])}."
            else:
                rationale = f"Neither is: {why_not(p)}; {why_not(q)}."
            options.append(GeneratedChoice(f"{p} and {q}", not wrong, None, rationale))
        explanation = f"{capfirst(label)} are: {', '.join(m.name for m in members)}."
        questions.append(
            _question(g, s, LIST, variant, stem, options, explanation, seed, tuple(statements))
        )
    return questions


def negative_questions(g: _Glossary, s: ConceptData, seed: int) -> list[GeneratedQuestion]:
    """A few "which is NOT one of <set>?" questions for the set `s`, best first."""
    label = squash(s.members_label)
    stem = f"Which of the following is NOT one of {label}?"
    parts = _set_parts(g, s, stem, minimum=3)
    if parts is None:
        return []
    members, usable, outsiders = parts
    triples = list(itertools.combinations(range(len(usable)), 3))

    ranked = []
    for tier, outsider in outsiders:
        size = max(len(outsider.name), 1)
        table = GuessTable(stem, [outsider.name, *(m.name for m in usable)])
        variant = f"not:{outsider.name.lower()}"
        targets = _Targets.draw(_targets_rng(seed, s, NEGATIVE, variant))
        scored = []
        for i, triple in enumerate(triples):
            spread = sum(abs(len(usable[m].name) - len(outsider.name)) / size for m in triple)
            guess = targets.cost(table, [0, *(m + 1 for m in triple)])
            scored.append((LENGTH_WEIGHT * spread + guess, i))
        scored.sort()
        ranked.append((TIER_COST[tier] + scored[0][0], tier, outsider, [i for _, i in scored]))
    ranked.sort(key=lambda r: (r[0], r[1], r[2].id))
    used: set[int] = set()
    questions = []
    it = label
    for _, _, outsider, order in ranked[:NEGATIVE_PER_SET]:
        pick = next((i for i in order if i not in used), order[0])
        used.add(pick)
        triple = [usable[m] for m in triples[pick]]
        home = g.by_id.get(outsider.part_of) if outsider.part_of is not None else None
        if home is not None and home.members_label.strip():
            why = f"Correct: {outsider.name} is one of {squash(home.members_label)}, not of {it}."
        else:
            why = f"Correct: {outsider.name} is not one of {it}."
        options = [GeneratedChoice(outsider.name, True, outsider.id, why)]
        options += [
            GeneratedChoice(m.name, False, m.id, f"{m.name} is one of {it}.") for m in triple
        ]
        names = ", ".join(m.name for m in members)
        explanation = f"{capfirst(it)} are: {names}. {outsider.name} is not one of them."
        variant = f"not:{outsider.name.lower()}"
        questions.append(_question(g, s, NEGATIVE, variant, stem, options, explanation, seed))
    return questions


# -- the whole bank --------------------------------------------------------------------------


def build_questions(
    concepts: Sequence[ConceptData], *, seed: int = DEFAULT_SEED
) -> list[GeneratedQuestion]:
    """Every question the glossary allows, in a stable order; same input, same output."""
    g = _Glossary(concepts)
    questions: list[GeneratedQuestion] = []
    # Names are unique within a syllabus (the import matches by name), but the admin could
    # add a twin in another section: only the first one gets questions, so slots stay unique.
    named: dict[tuple[str, str], int] = {}
    for c in sorted(g.ordered, key=lambda c: c.id):
        named.setdefault((c.syllabus, c.name.strip().lower()), c.id)
    for c in g.ordered:
        if named[(c.syllabus, c.name.strip().lower())] != c.id:
            continue
        for make in (term_question, definition_question):
            question = make(g, c, seed)
            if question is not None:
                questions.append(question)
        questions.extend(missing_word_questions(g, c, seed))
        if c.id in g.members:
            questions.extend(set_list_questions(g, c, seed))
    # Negative questions, round-robin over the sets, up to their share of the bank.
    per_set = [
        negative_questions(g, s, seed)
        for s in g.ordered
        if s.id in g.members and named[(s.syllabus, s.name.strip().lower())] == s.id
    ]
    limit = int(len(questions) * NEGATIVE_SHARE / (1 - NEGATIVE_SHARE))
    negatives = [q for batch in itertools.zip_longest(*per_set) for q in batch if q is not None]
    questions.extend(negatives[:limit])
    signatures = [q.signature for q in questions]
    if len(set(signatures)) != len(signatures):  # a bug, not bad input: fail loudly
        raise ValueError("two generated questions share a signature")
    return questions

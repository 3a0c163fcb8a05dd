"""The question builder: each style, the distractor rules, determinism, and a property test."""

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz import builder
from quiz.builder import ConceptData, build_questions, signature
from quiz.models.bank import Style
from quiz.quality import (
    BLANK,
    DEFINITION,
    LIST,
    MISSING_WORD,
    NEGATIVE,
    TERM,
    contains_any,
    structural_problems,
    view_of_generated,
)


def concept(pk, name, definition, *, section=1, lo="LO1", **fields):
    return ConceptData(
        id=pk,
        name=name,
        definition=definition,
        section_id=section,
        section_code=f"2.{section}",
        learning_outcome=lo,
        syllabus="itil4-foundation",
        **fields,
    )


# A small glossary in the shape of the real one: pairs that learners confuse, a set with
# members, everyday-word names, key points that name their concept.
GLOSSARY = [
    concept(
        1,
        "Output",
        "Something an activity produces, physical or not, such as a laptop set up for a starter.",
        key_points=(
            "Outputs can be tangible, such as a printed report, or intangible.",
            "Delivering the expected outputs does not guarantee the desired result.",
            "It is produced by an activity, whether or not anyone benefits from it.",
        ),
        confused_with=(2,),
        related=(3,),
        autolink=False,
    ),
    concept(
        2,
        "Outcome",
        "A result a stakeholder achieves with the help of what activities produce, like a "
        "starter able to work on day one.",
        key_points=(
            "Consumers judge a service by the outcomes it supports, not by what it produces.",
            "An outcome may depend on several activities working together.",
            "An outcome usually needs the consumer's own contribution too.",
        ),
        confused_with=(1, 3),
        autolink=False,
    ),
    concept(
        3,
        "Utility",
        "What a product or service does: its functions meet a need, so it is fit for purpose.",
        key_points=(
            "Utility is often summed up as 'what the service does'.",
            "Utility shows whether a service can support the results a consumer needs.",
        ),
        confused_with=(4,),
        section=2,
    ),
    concept(
        4,
        "Warranty",
        "How a product or service performs: it reliably meets agreed levels, so it is fit for use.",
        key_points=(
            "Warranty is often summed up as 'how the service performs'.",
            "Warranty typically covers availability, capacity, security and continuity.",
        ),
        confused_with=(3,),
        section=2,
    ),
    concept(
        5,
        "Service level agreement",
        "Written terms agreed by a provider and its customer naming the services and their "
        "quality targets.",
        aliases=("SLA",),
        key_points=(
            "Each SLA should relate to a defined service in the catalogue.",
            "An SLA should be written simply and be easy for all parties to understand.",
        ),
        confused_with=(4,),
        section=2,
    ),
    concept(
        10,
        "Guiding principle",
        "Broad, lasting advice that helps people make sound choices in any initiative.",
        key_points=("There are seven of them.", "They apply to any initiative."),
        members_label="the seven guiding principles",
        section=3,
        lo="LO2",
    ),
    concept(
        11,
        "Focus on value",
        "Advice to tie every action and decision to the benefit it brings to the consumers.",
        part_of=10,
        confused_with=(12,),
        section=3,
        lo="LO2",
    ),
    concept(
        12,
        "Start where you are",
        "Advice to look at what already exists and reuse what works before building anew.",
        part_of=10,
        confused_with=(13, 20),
        section=3,
        lo="LO2",
    ),
    concept(
        13,
        "Keep it simple and practical",
        "Advice to use no more steps than an outcome needs and drop what adds nothing.",
        part_of=10,
        confused_with=(12,),
        section=3,
        lo="LO2",
    ),
    concept(
        14,
        "Optimize and automate",
        "Advice to remove waste first and only then hand repeatable steps to technology.",
        part_of=10,
        confused_with=(13,),
        section=3,
        lo="LO2",
    ),
    concept(
        20,
        "Continual improvement model",
        "Seven-step, repeatable guide for structuring any improvement, from vision to "
        "keeping the momentum.",
        confused_with=(12,),
        section=3,
        lo="LO2",
    ),
]


def by_style(questions, style):
    return [q for q in questions if q.style == style]


def find(questions, style, name):
    return [q for q in questions if q.style == style and q.concept_name == name]


def texts(question):
    return [option.text for option in question.options]


def test_styles_match_the_stored_choices():
    assert {TERM, DEFINITION, MISSING_WORD, LIST, NEGATIVE} == set(Style.values)
    assert set(builder.STYLES) == set(Style.values)


def test_every_question_is_sound():
    questions = build_questions(GLOSSARY, seed=1)
    assert {q.style for q in questions} == set(Style.values)
    for question in questions:
        assert structural_problems(view_of_generated(question)) == []
        assert len(question.options) == 4
        assert sum(option.is_key for option in question.options) == 1
        assert all(option.rationale for option in question.options)
        assert question.explanation


def test_same_glossary_and_seed_give_the_same_questions():
    assert build_questions(GLOSSARY, seed=3) == build_questions(list(reversed(GLOSSARY)), seed=3)


def test_another_seed_reorders_the_options_but_keeps_the_slots():
    first, second = build_questions(GLOSSARY, seed=1), build_questions(GLOSSARY, seed=2)
    assert [q.signature for q in first] == [q.signature for q in second]
    assert [texts(q) for q in first] != [texts(q) for q in second]


def test_term_question_offers_names_and_confused_concepts_first():
    (question,) = find(build_questions(GLOSSARY), TERM, "Outcome")
    assert question.stem == f"Which term is described by the following? {GLOSSARY[1].definition}"
    assert question.key.text == "Outcome"
    assert question.key.concept_id == 2
    # Output and Utility are what Outcome is confused with.
    assert {"Output", "Utility"} <= set(texts(question))
    wrong = next(option for option in question.options if option.text == "Output")
    assert wrong.concept_id == 1
    assert wrong.rationale.startswith("Output: something an activity produces")
    assert wrong.rationale.endswith("The description is of outcome.")
    assert question.key.rationale == "Correct: this is what outcome means."
    assert question.explanation.startswith("Outcome: a result a stakeholder achieves")


def test_term_question_is_skipped_when_the_stem_gives_the_key_away():
    leaky = concept(30, "Change schedule", "A calendar of planned changes shared by teams.")
    glossary = [*GLOSSARY, leaky]
    assert find(build_questions(glossary), TERM, "Change schedule") == []
    # "service" is too common to count: Service level agreement's definition names services.
    assert find(build_questions(glossary), TERM, "Service level agreement")


def test_definition_question_never_offers_a_definition_naming_the_concept():
    glossary = [
        *GLOSSARY,
        concept(31, "Cost", "The money spent on outputs, such as licence fees and salaries."),
    ]
    members = {c.name for c in glossary if c.part_of is not None}
    for question in by_style(build_questions(glossary), DEFINITION):
        # set members (principles, activities...) keep their capital; other names are inline
        name = question.concept_name
        expected = name if name in members else builder.ref(name)
        assert question.stem == f"Which statement describes {expected}?"
        for option in question.options:
            assert not contains_any(option.text, question.concept_terms)
    (question,) = find(build_questions(glossary), DEFINITION, "Output")
    assert question.key.text == GLOSSARY[0].definition
    assert "The money spent on outputs" not in " ".join(texts(question))
    wrong = next(option for option in question.options if not option.is_key)
    assert re.fullmatch(r"This describes .+, not output\.", wrong.rationale)


def test_missing_word_blanks_the_name_in_the_form_the_sentence_needs():
    questions = build_questions(GLOSSARY)
    plural = next(q for q in find(questions, MISSING_WORD, "Output") if q.variant == "kp0")
    assert plural.stem == (
        "Which word or phrase completes the sentence? ____ can be tangible, such as a printed "
        "report, or intangible."
    )
    assert plural.key.text == "Outputs"
    assert all(text[0].isupper() and text.endswith("s") for text in texts(plural))
    middle = next(q for q in find(questions, MISSING_WORD, "Output") if q.variant == "kp1")
    assert middle.key.text == "outputs"
    # The alias counts as the name; "an" before the blank is fixed to suit the key.
    slas = find(questions, MISSING_WORD, "Service level agreement")
    assert {q.variant for q in slas} == {"kp0", "kp1"}
    article = next(q for q in slas if q.variant == "kp1")
    assert article.stem.endswith(
        "A ____ should be written simply and be easy for all parties to understand."
    )
    assert article.key.text == "service level agreement"
    for question in by_style(questions, MISSING_WORD):
        assert question.stem.count(BLANK) == 1
        assert not contains_any(question.stem, question.concept_terms)


def test_missing_word_skips_a_sentence_naming_the_key_twice_or_not_at_all():
    twice = concept(
        32,
        "Known error",
        "A problem analysed but not yet fixed for good, often with a workaround meanwhile.",
        key_points=("A known error stays a known error until it is fixed for good.",),
    )
    questions = build_questions([*GLOSSARY, twice])
    assert find(questions, MISSING_WORD, "Known error") == []
    # Output's last key point never names it.
    variants = {q.variant for q in find(questions, MISSING_WORD, "Output")}
    assert variants == {"kp0", "kp1"}


def test_list_questions_ask_which_two_belong_to_a_set():
    questions = find(build_questions(GLOSSARY), LIST, "Guiding principle")
    assert questions
    members = {
        "Focus on value",
        "Start where you are",
        "Keep it simple and practical",
        "Optimize and automate",
    }
    for question in questions:
        assert question.stem == "Which two of the following are among the seven guiding principles?"
        assert len(question.statements) == 4
        inside = [n for n, s in enumerate(question.statements, start=1) if s in members]
        outside = [s for s in question.statements if s not in members]
        assert len(inside) == 2
        # the outsiders are concepts a learner could take for members
        assert set(outside) <= {
            "Continual improvement model",
            "Output",
            "Outcome",
            "Utility",
            "Warranty",
        } | {c.name for c in GLOSSARY}
        assert question.key.text == f"{inside[0]} and {inside[1]}"
        # The true pair, its complement and one matching: each number appears twice.
        counts = Counter(ch for option in texts(question) for ch in option if ch.isdigit())
        assert counts == {"1": 2, "2": 2, "3": 2, "4": 2}
        assert question.key.rationale.startswith("Correct: ")
        assert all(
            "is not one of" in option.rationale or " is one of " in option.rationale
            for option in question.options
            if not option.is_key
        )
    assert len({q.signature for q in questions}) == len(questions)


def test_list_questions_need_a_set_with_two_members():
    questions = build_questions(GLOSSARY)
    assert find(questions, LIST, "Utility") == []  # not a set
    assert find(questions, LIST, "Focus on value") == []  # a member, not a set


def test_negative_questions_take_outsiders_from_what_members_are_confused_with():
    questions = build_questions([*GLOSSARY * 1], seed=1)
    negatives = by_style(questions, NEGATIVE)
    assert negatives
    assert len(negatives) <= 0.05 * len(questions)
    question = negatives[0]
    assert question.stem == "Which of the following is NOT one of the seven guiding principles?"
    assert question.concept_id == 10
    assert question.key.text == "Continual improvement model"
    assert question.key.rationale == (
        "Correct: Continual improvement model is not one of the seven guiding principles."
    )
    members = [o for o in question.options if not o.is_key]
    assert all(o.rationale.endswith("is one of the seven guiding principles.") for o in members)
    assert question.explanation.startswith("The seven guiding principles are: Focus on value, ")
    assert question.variant == "not:continual improvement model"


def test_negative_questions_need_a_label_and_three_members():
    unlabelled = [
        concept(c.id, c.name, c.definition, **{"members_label": ""}) if c.id == 10 else c
        for c in GLOSSARY
    ]
    assert by_style(build_questions(unlabelled), NEGATIVE) == []
    small = [c for c in GLOSSARY if c.id not in (13, 14)]
    assert by_style(build_questions(small), NEGATIVE) == []


def test_signature_names_the_slot_and_the_hash_the_content():
    questions = build_questions(GLOSSARY)
    (before,) = find(questions, TERM, "Outcome")
    assert before.signature == signature("itil4-foundation", TERM, "outcome")
    edited = [
        concept(2, "Outcome", "A result a stakeholder gets and values, made possible by outputs.")
        if c.id == 2
        else c
        for c in GLOSSARY
    ]
    (after,) = find(build_questions(edited), TERM, "Outcome")
    assert after.signature == before.signature
    assert after.content_hash != before.content_hash


def test_keys_are_spread_over_the_four_positions():
    letters = [a + b for a in "bcdfg" for b in "klmnprstvz"]
    glossary = [
        concept(
            100 + i,
            f"Idea {pair}",
            f"A made-up notion kept only for this test, in its version number {i}.",
            confused_with=(100 + (i + 1) % len(letters),),
        )
        for i, pair in enumerate(letters)
    ]
    questions = build_questions(glossary, seed=5)
    positions = Counter([o.is_key for o in q.options].index(True) for q in questions)
    assert len(questions) == 2 * len(letters)
    # Each position holds the key on 25% of questions, give or take sampling noise.
    assert all(0.18 < positions[i] / len(questions) < 0.32 for i in range(4))


# -- any glossary of valid concepts yields only valid questions -------------------------------

_VOCABULARY = (
    "service value change plan record owner budget level team risk tool review request model "
    "flow user asset desk cost output outcome target report event demand support improve"
)
VOCABULARY = _VOCABULARY.split()
_FILLER = "the a of to and is for with that can be by in on its it as each are"
FILLER = _FILLER.split()


def _clip(text: str, low: int, high: int) -> str:
    text = " ".join(text.split())
    while len(text) < low:
        text += " and more words"
    return text[:high].rsplit(" ", 1)[0].rstrip(",")


def _without(text: str, terms) -> str:
    for term in terms:
        text = re.sub(rf"(?<!\w){re.escape(term)}(?:s|es|'s)?(?!\w)", "thing", text, flags=re.I)
    return text


@st.composite
def glossaries(draw):
    count = draw(st.integers(min_value=4, max_value=14))
    names: list[str] = []
    while len(names) < count:
        words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3))
        shape = draw(st.sampled_from(["plain", "plain", "plain", "question", "slash"]))
        name = " ".join(words).capitalize()
        if shape == "question":
            name = f"Where is the {' '.join(words)}?"
        elif shape == "slash" and len(words) > 1:
            name = f"{words[0].capitalize()}/{words[1]}"
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    sections = draw(st.integers(min_value=1, max_value=3))
    concepts = []
    used_aliases = {n.lower() for n in names}
    for index, name in enumerate(names):
        pk = index + 1
        aliases: tuple[str, ...] = ()
        acronym = "".join(word[0] for word in re.split(r"[\s/]+", name)).upper() + "X"
        if draw(st.booleans()) and acronym.lower() not in used_aliases:
            aliases = (acronym,)
            used_aliases.add(acronym.lower())
        terms = (name, *aliases)

        def sentence(low, high, *, mention=None, opening=False, terms=terms):
            words = draw(st.lists(st.sampled_from(VOCABULARY + FILLER), min_size=6, max_size=24))
            parts = _without(" ".join(words), terms).split()
            if mention:
                spot = 0 if opening else draw(st.integers(min_value=0, max_value=len(parts)))
                parts.insert(spot, mention)
            text = " ".join(parts)
            return _clip(text[:1].upper() + text[1:] + ".", low, high)

        others = [n for n in names if n != name]
        definition = sentence(40, 170, mention=draw(st.sampled_from([None, *others])))
        definition = _clip(_without(definition, terms), 40, 170)
        points = []
        mentions = [
            (None, False),
            (name, True),
            (f"the {name.lower()}", True),
            ("It", True),
            ("Its", True),
            (name.lower() + "s", False),
            (name, False),
            *((other, True) for other in others),
            *((other, False) for other in others),
        ]
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            mention, opening = draw(st.sampled_from(mentions))
            points.append(sentence(40, 140, mention=mention, opening=opening))
        ids = [i + 1 for i in range(count) if i != index]
        confused = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))
        related = draw(st.lists(st.sampled_from(ids), min_size=0, max_size=5, unique=True))
        section = draw(st.integers(min_value=1, max_value=sections))
        concepts.append(
            ConceptData(
                id=pk,
                name=name,
                definition=definition,
                section_id=section,
                section_code=f"{section}.{pk}",
                learning_outcome=f"LO{1 + section % 2}",
                syllabus="test",
                aliases=aliases,
                key_points=tuple(points),
                related=tuple(r for r in related if r not in confused),
                confused_with=tuple(confused),
                autolink=draw(st.booleans()),
            )
        )
    # Some sets: a head with a label and members pointing at it.
    heads = draw(st.lists(st.sampled_from(range(count)), max_size=2, unique=True))
    for head in heads:
        members = draw(st.lists(st.sampled_from(range(count)), min_size=3, max_size=6, unique=True))
        for member in members:
            if member != head and concepts[member].part_of is None:
                concepts[member] = _replace(concepts[member], part_of=head + 1)
        concepts[head] = _replace(concepts[head], members_label=f"the members of set {head}")
    return concepts


def _replace(data: ConceptData, **changes) -> ConceptData:
    from dataclasses import replace

    return replace(data, **changes)


@settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(glossary=glossaries(), seed=st.integers(min_value=0, max_value=10_000))
def test_any_valid_glossary_yields_only_valid_questions(glossary, seed):
    questions = build_questions(glossary, seed=seed)
    assert len({q.signature for q in questions}) == len(questions)
    for question in questions:
        view = view_of_generated(question)
        assert structural_problems(view) == []
        assert len(set(view.options)) == 4
        assert sum(view.key_flags) == 1
        if question.style in (TERM, MISSING_WORD):
            # The stem never contains the key's name (or alias).
            assert not contains_any(view.full_stem, question.concept_terms)
        if question.style == NEGATIVE:
            assert not contains_any(view.full_stem, [question.key.text])
    assert build_questions(glossary, seed=seed) == questions

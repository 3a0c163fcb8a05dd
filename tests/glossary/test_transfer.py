"""Glossary import and export through manage.py import_glossary and export_glossary."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from glossary.models import Concept, KeyPoint, Section, Syllabus
from tests.factories import ConceptFactory, SectionFactory, SyllabusFactory

ROOT = Path(__file__).resolve().parent.parent.parent
FORMAT = "itilprep-glossary/1"
CSV_HEADER = "syllabus,section,name,aliases,definition,explanation,autolink"
SYLLABUS = {"code": "itil4-foundation", "name": "ITIL 4 Foundation"}
SECTIONS = [
    {"code": "2.1", "title": "Value and value co-creation", "learning_outcome": "LO1"},
    {"code": "2.5.4", "title": "Utility and warranty", "learning_outcome": "LO1"},
]


def concept(name: str, section: str = "2.1", **fields) -> dict:
    return {
        "name": name,
        "section": section,
        "definition": f"What {name} means, in one sentence.",
        "explanation": f"Why {name} matters and how the exam asks about it.",
        **fields,
    }


# A good file; it also rewrites the concept "Value" that `existing_value` puts in the database,
# so a bad variant of it shows whether anything was written before the problem was found.
CONCEPTS = [
    concept(
        "Value",
        definition="The perceived benefits, usefulness and importance of something.",
        aliases=["Worth"],
        key_points=["Value is judged by the stakeholder.", "It is co-created."],
        related=["Utility"],
        confused_with=["Outcome"],
    ),
    concept("Outcome", key_points=["A result for a stakeholder."], related=["Value"]),
    concept(
        "Utility",
        section="2.5.4",
        aliases=["Fit for purpose"],
        key_points=["What the service does."],
        confused_with=["Warranty"],
    ),
    concept("Warranty", section="2.5.4", autolink=False, confused_with=["Utility"]),
]


def glossary(*, concepts: list[dict] = CONCEPTS, **top) -> dict:
    return {
        "format": FORMAT,
        "syllabus": SYLLABUS,
        "sections": SECTIONS,
        "concepts": concepts,
        **top,
    }


def glossary_json(*, encoding: str = "utf-8", **changes) -> bytes:
    return json.dumps(glossary(**changes), indent=2, ensure_ascii=False).encode(encoding)


def write(path: Path, content: bytes | str | dict) -> Path:
    if isinstance(content, dict):
        content = json.dumps(content, indent=2)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def import_glossary(*paths: Path) -> str:
    """Import without rebuilding the question bank (its own test is below)."""
    out = io.StringIO()
    call_command(
        "import_glossary", "--no-rebuild", *map(str, paths), stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def export_glossary(*args: str) -> str:
    out = io.StringIO()
    call_command("export_glossary", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def imported(created=0, updated=0, unchanged=0, sections=0) -> str:
    return (
        f"Glossary imported: {created} created, {updated} updated, {unchanged} unchanged "
        f"concepts; {sections} sections created or updated.\n"
    )


def database_counts() -> dict[str, int]:
    return {
        "syllabi": Syllabus.objects.count(),
        "sections": Section.objects.count(),
        "concepts": Concept.objects.count(),
        "key points": KeyPoint.objects.count(),
        "related": Concept.related.through.objects.count(),
        "confused with": Concept.confused_with.through.objects.count(),
    }


def described(concept: Concept) -> dict:
    """Everything the glossary files carry about one concept, read fresh from the database."""
    concept = Concept.objects.get(pk=concept.pk)
    return {
        "name": concept.name,
        "section": concept.section.code,
        "aliases": concept.aliases,
        "definition": concept.definition,
        "explanation": concept.explanation,
        "autolink": concept.autolink,
        "key_points": [point.text for point in concept.key_points.all()],
        "related": sorted(other.name for other in concept.related.all()),
        "confused_with": sorted(other.name for other in concept.confused_with.all()),
    }


@pytest.fixture
def existing_value(db) -> Concept:
    """The database before an import: one section and the concept "Value", with details."""
    section = SectionFactory(code="2.1", title="Value and value co-creation", order=1)
    value = ConceptFactory(
        section=section,
        name="Value",
        aliases="Benefit",
        definition="The old definition of value.",
        key_points=["An old key point."],
    )
    other = ConceptFactory(section=section, name="Service")
    value.related.add(other)
    value.confused_with.add(other)
    return value


# -- importing a good file -------------------------------------------------------------------


def test_import_creates_sections_and_concepts_with_key_points_and_relations(db, tmp_path):
    output = import_glossary(write(tmp_path / "glossary.json", glossary_json()))

    assert output == imported(created=4, sections=2)
    assert list(Section.objects.values_list("code", "title", "learning_outcome")) == [
        ("2.1", "Value and value co-creation", "LO1"),
        ("2.5.4", "Utility and warranty", "LO1"),
    ]
    assert Syllabus.objects.get().name == "ITIL 4 Foundation"
    assert described(Concept.objects.get(name="Value")) == {
        "name": "Value",
        "section": "2.1",
        "aliases": "Worth",
        "definition": "The perceived benefits, usefulness and importance of something.",
        "explanation": "Why Value matters and how the exam asks about it.",
        "autolink": True,
        "key_points": ["Value is judged by the stakeholder.", "It is co-created."],
        "related": ["Utility"],
        "confused_with": ["Outcome"],
    }
    utility = Concept.objects.get(name="Utility")
    assert utility.section.code == "2.5.4"
    assert utility.alias_list == ["Fit for purpose"]
    assert utility.slug == "utility"
    assert not Concept.objects.get(name="Warranty").autolink
    assert list(Concept.objects.get(name="Warranty").confused_with.all()) == [utility]


def test_import_updates_an_existing_concept_matched_by_name(existing_value, tmp_path):
    output = import_glossary(write(tmp_path / "glossary.json", glossary_json()))

    assert output == imported(created=3, updated=1, sections=1)
    value = described(existing_value)
    assert value["definition"] == "The perceived benefits, usefulness and importance of something."
    assert value["aliases"] == "Worth"
    assert value["key_points"] == ["Value is judged by the stakeholder.", "It is co-created."]
    assert value["related"] == ["Utility"]
    assert value["confused_with"] == ["Outcome"]
    # A concept the file does not mention is left as it is.
    assert Concept.objects.filter(name="Service").exists()


def test_importing_the_same_file_again_changes_nothing(existing_value, tmp_path):
    path = write(tmp_path / "glossary.json", glossary_json())
    import_glossary(path)
    counts, exported = database_counts(), export_glossary()

    assert import_glossary(path) == imported(unchanged=4)
    assert database_counts() == counts
    assert export_glossary() == exported


@pytest.mark.parametrize(
    ("field", "new_value"),
    [
        ("definition", "A new definition of utility."),
        ("aliases", ["Fit for purpose", "Functionality"]),
        ("key_points", ["What the service does.", "A second point."]),
        ("related", ["Value"]),
        ("confused_with", []),
        ("autolink", False),
        ("section", "2.1"),
    ],
)
def test_changing_one_concept_reports_one_updated(db, tmp_path, field, new_value):
    import_glossary(write(tmp_path / "glossary.json", glossary_json()))
    utility = next(c for c in CONCEPTS if c["name"] == "Utility")
    concepts = [c if c is not utility else {**utility, field: new_value} for c in CONCEPTS]

    output = import_glossary(write(tmp_path / "changed.json", glossary_json(concepts=concepts)))

    assert output == imported(updated=1, unchanged=3)
    changed = described(Concept.objects.get(name="Utility"))
    expected = "; ".join(new_value) if field == "aliases" else new_value
    assert changed[field] == expected


def test_import_a_directory_whose_relations_cross_files(db, tmp_path):
    write(tmp_path / "00-sections.json", glossary(concepts=[]))
    write(
        tmp_path / "10-value.json",
        glossary(sections=[], concepts=[concept("Value", related=["Utility", "Warranty"])]),
    )
    write(
        tmp_path / "20-utility-warranty.json",
        glossary(
            sections=[],
            concepts=[
                concept("Utility", section="2.5.4", confused_with=["Warranty"]),
                concept("Warranty", section="2.5.4", related=["Value"]),
            ],
        ),
    )
    write(tmp_path / "notes.txt", "Not a glossary file; a directory import reads *.json only.")

    assert import_glossary(tmp_path) == imported(created=3, sections=2)
    assert described(Concept.objects.get(name="Value"))["related"] == ["Utility", "Warranty"]
    assert described(Concept.objects.get(name="Utility"))["confused_with"] == ["Warranty"]
    assert described(Concept.objects.get(name="Warranty"))["related"] == ["Value"]
    assert import_glossary(tmp_path) == imported(unchanged=3)


# -- bad files: one line per problem, nothing written ----------------------------------------

BAD_FILES = [
    pytest.param(
        "glossary.json",
        glossary_json(
            concepts=[*CONCEPTS, {"name": "Outcome 2", "section": "2.1", "explanation": "Why."}]
        ),
        "concept Outcome 2: missing field definition",
        id="missing-field",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Risk", section="2.5.3")]),
        "concept Risk: unknown section 2.5.3",
        id="unknown-section",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("utility", section="2.5.4")]),
        "concept utility: duplicate name",
        id="duplicate-name",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", related=["Risk"])]),
        "concept Cost: related names unknown concept Risk",
        id="related-to-unknown-concept",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", confused_with=["Price"])]),
        "concept Cost: confused with names unknown concept Price",
        id="confused-with-unknown-concept",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", related=["Cost"])]),
        "concept Cost: related names the concept itself",
        id="related-to-itself",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[concept("Service offering", aliases=["Outcome"]), *CONCEPTS]),
        "concept Service offering: name or alias 'Outcome' is already used by Outcome",
        id="alias-is-the-name-of-a-later-concept-in-the-file",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", aliases=["worth"])]),
        "concept Cost: name or alias 'worth' is already used by Value",
        id="alias-is-an-alias-of-another-concept",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[concept("Cost", aliases=["Service"])]),
        "concept Cost: name or alias 'Service' is already used by Service",
        id="alias-is-the-name-of-a-concept-in-the-database",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("C" * 121)]),
        f"concept {'C' * 121}: name longer than 120 characters",
        id="name-too-long",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", key_points="Not a list.")]),
        "concept Cost: key_points must be a list of strings",
        id="key-points-not-a-list",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(format="itilprep-glossary/2"),
        'glossary.json: "format" must be "itilprep-glossary/1"',
        id="wrong-format",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(syllabus={"code": "itil5"}, sections=[], concepts=[]),
        "syllabus itil5: unknown syllabus; give its name to create it",
        id="unknown-syllabus-without-a-name",
    ),
    pytest.param(
        "glossary.json",
        b'{"format": "itilprep-glossary/1",\n  "concepts": [}\n',
        "glossary.json: malformed JSON at line 2, column 16",
        id="malformed-json",
    ),
    pytest.param(
        "glossary.json",
        glossary_json(
            concepts=[*CONCEPTS, concept("Cost", definition="What a café pays.")],
            encoding="latin-1",
        ),
        "glossary.json: not UTF-8 text (byte 0xe9",
        id="latin-1-json",
    ),
    pytest.param(
        "glossary.csv",
        f'{CSV_HEADER}\nitil4-foundation,2.1,"Value" x,,A definition.,An explanation.,true\n',
        "glossary.csv: malformed CSV: ',' expected after '\"'",
        id="malformed-csv",
    ),
    pytest.param(
        "glossary.csv",
        "syllabus,section,name,definition\nitil4-foundation,2.1,Value,A definition.\n",
        "glossary.csv: missing CSV column explanation",
        id="csv-missing-column",
    ),
    pytest.param(
        "glossary.csv",
        f"{CSV_HEADER}\nitil4-foundation,2.1,Value,,A definition.,,true\n",
        "glossary.csv: line 2 (Value): missing field explanation",
        id="csv-missing-field",
    ),
    pytest.param(
        "glossary.csv",
        f"{CSV_HEADER}\nitil4-foundation,2.1,Value,,A definition.,An explanation.,true,extra\n",
        "glossary.csv: line 2: more cells than columns",
        id="csv-too-many-cells",
    ),
    pytest.param(
        "glossary.csv",
        f"{CSV_HEADER}\nitil4-foundation,2.1,Value,,A definition.,An explanation.,maybe\n",
        "glossary.csv: line 2 (Value): autolink must be true or false",
        id="csv-bad-autolink",
    ),
    pytest.param(
        "glossary.csv",
        f"{CSV_HEADER}\nitil4-foundation,9.9,Value,,A definition.,An explanation.,true\n",
        "concept Value: unknown section 9.9",
        id="csv-unknown-section",
    ),
    pytest.param(
        "glossary.csv",
        f"{CSV_HEADER}\nitil4-foundation,2.1,Value,,Une définition.,Pourquoi.,true\n".encode(
            "latin-1"
        ),
        "glossary.csv: not UTF-8 text (byte 0xe9",
        id="latin-1-csv",
    ),
    pytest.param(
        "glossary.yaml",
        b"name: Value\n",
        "glossary.yaml: unknown file type; use .json or .csv",
        id="unknown-file-type",
    ),
]


@pytest.mark.parametrize(("filename", "content", "problem"), BAD_FILES)
def test_a_bad_file_is_reported_in_one_line_and_changes_nothing(
    existing_value, tmp_path, filename, content, problem
):
    counts, before = database_counts(), described(existing_value)
    stderr = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 problem found; nothing was imported\.$"):
        call_command(
            "import_glossary", str(write(tmp_path / filename, content)), stderr=stderr, verbosity=0
        )

    [line] = stderr.getvalue().splitlines()
    assert problem in line
    assert database_counts() == counts
    assert described(existing_value) == before


def test_every_problem_in_a_file_gets_its_own_line(existing_value, tmp_path):
    concepts = [
        *CONCEPTS,
        concept("Cost", section="9.9"),
        concept("Risk", related=["Opportunity"]),
    ]
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found; nothing was imported"):
        call_command(
            "import_glossary",
            str(write(tmp_path / "glossary.json", glossary_json(concepts=concepts))),
            stderr=stderr,
            verbosity=0,
        )

    assert stderr.getvalue().splitlines() == [
        "concept Cost: unknown section 9.9",
        "concept Risk: related names unknown concept Opportunity",
    ]


def test_every_bad_file_of_a_directory_is_reported(existing_value, tmp_path):
    write(tmp_path / "10-broken.json", b"{")
    write(tmp_path / "20-old-format.json", glossary_json(format="itilprep-glossary/0"))
    write(tmp_path / "30-good.json", glossary_json())
    counts = database_counts()
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found"):
        call_command("import_glossary", str(tmp_path), stderr=stderr, verbosity=0)

    lines = stderr.getvalue().splitlines()
    assert len(lines) == 2
    assert "10-broken.json: malformed JSON" in lines[0]
    assert '20-old-format.json: "format" must be' in lines[1]
    assert database_counts() == counts


def test_a_missing_path_is_reported(db, tmp_path):
    stderr = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_glossary", str(tmp_path / "nowhere.json"), stderr=stderr)

    assert stderr.getvalue() == f"{tmp_path / 'nowhere.json'}: no such file or directory\n"


def test_the_command_exits_non_zero_with_the_problem_on_stderr(tmp_path):
    """The real process, on its own SQLite file: the exit status is what scripts see."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    env.pop("DATABASE_URL", None)

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--no-input", "-v0").returncode == 0
    good = write(tmp_path / "good.json", glossary_json())
    assert manage("import_glossary", str(good)).returncode == 0
    exported = manage("export_glossary").stdout
    bad = write(
        tmp_path / "bad.json",
        glossary_json(concepts=[*CONCEPTS, concept("Cost", related=["Risk"])]),
    )

    result = manage("import_glossary", str(bad))

    assert result.returncode != 0
    assert "concept Cost: related names unknown concept Risk" in result.stderr
    assert "1 problem found; nothing was imported." in result.stderr
    assert result.stdout == ""
    assert manage("export_glossary").stdout == exported


# -- exporting, and the round trip -----------------------------------------------------------


@pytest.fixture
def populated(db) -> Syllabus:
    """A glossary built in the database, not from a file: two sections, relations both ways."""
    syllabus = SyllabusFactory()
    first = SectionFactory(syllabus=syllabus, code="2.1", title="Value", order=1)
    second = SectionFactory(syllabus=syllabus, code="2.10", title="Later", order=2)
    value = ConceptFactory(
        section=first, name="Value", aliases="Worth; Benefit", key_points=["B.", "A."]
    )
    outcome = ConceptFactory(section=first, name="Outcome", key_points=["Result."])
    output = ConceptFactory(
        section=second, name="Output", autolink=False, definition="Ünïcode — “quoted”, too."
    )
    value.related.add(outcome, output)
    outcome.confused_with.add(output)
    output.confused_with.add(outcome)
    return syllabus


def wipe_glossary() -> None:
    Concept.objects.all().delete()
    Syllabus.objects.all().delete()


def test_export_json_holds_every_field(populated):
    document = json.loads(export_glossary())

    assert document["format"] == FORMAT
    assert document["syllabus"] == SYLLABUS
    assert document["sections"] == [
        {"code": "2.1", "title": "Value", "learning_outcome": "LO1"},
        {"code": "2.10", "title": "Later", "learning_outcome": "LO1"},
    ]
    assert [c["name"] for c in document["concepts"]] == ["Outcome", "Value", "Output"]
    value = document["concepts"][1]
    assert value == {
        "name": "Value",
        "aliases": ["Worth", "Benefit"],
        "section": "2.1",
        "definition": value["definition"],
        "explanation": value["explanation"],
        "key_points": ["B.", "A."],
        "related": ["Outcome", "Output"],
        "confused_with": [],
        "autolink": True,
    }


def test_export_json_then_import_is_a_round_trip(populated, tmp_path):
    exported = export_glossary()
    path = write(tmp_path / "glossary.json", exported)
    wipe_glossary()

    assert import_glossary(path) == imported(created=3, sections=2)
    assert export_glossary() == exported


def test_export_writes_to_a_file_with_output(populated, tmp_path):
    path = tmp_path / "out.json"

    call_command("export_glossary", "--output", str(path), stderr=io.StringIO())

    assert path.read_text(encoding="utf-8") == export_glossary()


def test_export_csv_has_the_simple_columns(populated):
    rows = list(csv.reader(io.StringIO(export_glossary("--format", "csv"))))

    assert rows[0] == CSV_HEADER.split(",")
    assert [row[:3] for row in rows[1:]] == [
        ["itil4-foundation", "2.1", "Outcome"],
        ["itil4-foundation", "2.1", "Value"],
        ["itil4-foundation", "2.10", "Output"],
    ]
    value = Concept.objects.get(name="Value")
    assert rows[2][3:] == ["Worth; Benefit", value.definition, value.explanation, "true"]
    assert rows[3][4] == "Ünïcode — “quoted”, too."
    assert rows[3][6] == "false"


def test_csv_import_updates_simple_fields_and_keeps_key_points_and_relations(populated, tmp_path):
    value = Concept.objects.get(name="Value")
    before = described(value)
    text = export_glossary("--format", "csv").replace(
        f"Worth; Benefit,{value.definition},", "Worth,A new definition of value.,"
    )

    output = import_glossary(write(tmp_path / "glossary.csv", text))

    assert output == imported(updated=1, unchanged=2)
    assert described(value) == {
        **before,
        "aliases": "Worth",
        "definition": "A new definition of value.",
    }


def test_csv_export_then_import_changes_nothing(populated, tmp_path):
    counts, exported = database_counts(), export_glossary()
    path = write(tmp_path / "glossary.csv", export_glossary("--format", "csv"))

    assert import_glossary(path) == imported(unchanged=3)
    assert database_counts() == counts
    assert export_glossary() == exported


def test_export_needs_a_glossary(db):
    with pytest.raises(CommandError, match=r"^No glossary yet\.$"):
        export_glossary()


def test_export_chooses_among_several_syllabi_with_the_syllabus_option(populated):
    SyllabusFactory(code="itil4-dpi", name="ITIL 4 Direct, Plan and Improve")

    with pytest.raises(CommandError, match="choose one with --syllabus"):
        export_glossary()
    assert json.loads(export_glossary("--syllabus", "itil4-dpi"))["concepts"] == []
    with pytest.raises(CommandError, match="No syllabus 'itil5'"):
        export_glossary("--syllabus", "itil5")


# -- the shipped glossary --------------------------------------------------------------------


def test_the_shipped_glossary_exports_and_reimports_unchanged(shipped_glossary, tmp_path):
    counts, exported = database_counts(), export_glossary()
    concept_count = counts["concepts"]

    json_path = write(tmp_path / "glossary.json", exported)
    assert import_glossary(json_path) == imported(unchanged=concept_count)
    csv_path = write(tmp_path / "glossary.csv", export_glossary("--format", "csv"))
    assert import_glossary(csv_path) == imported(unchanged=concept_count)

    assert database_counts() == counts
    assert export_glossary() == exported


def test_the_shipped_glossary_round_trips_through_an_empty_database(shipped_glossary, tmp_path):
    exported = export_glossary()
    path = write(tmp_path / "glossary.json", exported)
    wipe_glossary()

    import_glossary(path)

    assert export_glossary() == exported


def test_sets_import_with_their_members_and_export_again(db, tmp_path):
    concepts = [
        concept("Guiding principle", members_label="the seven guiding principles"),
        concept("Focus on value", part_of="Guiding principle"),
        concept("Start where you are", part_of="Guiding principle"),
    ]
    import_glossary(write(tmp_path / "sets.json", glossary(concepts=concepts)))
    principle = Concept.objects.get(name="Guiding principle")
    assert principle.members_label == "the seven guiding principles"
    assert sorted(principle.members.values_list("name", flat=True)) == [
        "Focus on value",
        "Start where you are",
    ]
    exported = json.loads(export_glossary())
    members = {c["name"]: c.get("part_of") for c in exported["concepts"]}
    assert members["Focus on value"] == "Guiding principle"
    assert import_glossary(write(tmp_path / "again.json", exported)) == imported(unchanged=3)


def test_part_of_an_unknown_concept_is_refused(db, tmp_path):
    bad = glossary(concepts=[concept("Focus on value", part_of="Guiding principal")])
    with pytest.raises(CommandError):
        import_glossary(write(tmp_path / "bad.json", bad))
    assert Concept.objects.count() == 0


def test_csv_without_optional_columns_keeps_aliases_and_autolink(populated, tmp_path):
    target = Concept.objects.filter(aliases__gt="").first()
    target.autolink = False
    target.save()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["syllabus", "section", "name", "definition", "explanation"])
    writer.writerow(
        [
            populated.code,
            target.section.code,
            target.name,
            "A new one, from a short CSV.",
            target.explanation,
        ]
    )
    import_glossary(write(tmp_path / "short.csv", out.getvalue()))
    fresh = Concept.objects.get(pk=target.pk)
    assert fresh.definition == "A new one, from a short CSV."
    assert fresh.aliases == target.aliases
    assert fresh.autolink is False


def test_an_import_that_changes_the_glossary_rebuilds_the_question_bank(db, tmp_path):
    from quiz.models import Question

    path = write(tmp_path / "glossary.json", glossary())
    out = io.StringIO()
    call_command("import_glossary", str(path), stdout=out)
    assert "Question bank rebuilt:" in out.getvalue()
    assert Question.objects.active().exists()
    out = io.StringIO()
    call_command("import_glossary", str(path), stdout=out)
    assert out.getvalue() == imported(unchanged=4)  # nothing changed, nothing rebuilt

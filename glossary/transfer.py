"""Glossary files: read and validate JSON or CSV, import them atomically, export them.

Import validates everything first and reports every problem as one line naming the entry;
only a file with no problem at all is written, in one transaction, so bad input changes
nothing. Concepts are matched by name (case-insensitive) within the syllabus; concepts that
a file does not mention are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from itilprep.task_progress import SILENT, Progress

from .models import Concept, KeyPoint, Section, Syllabus, join_aliases, split_aliases

FORMAT = "itilprep-glossary/1"
CSV_COLUMNS = ["syllabus", "section", "name", "aliases", "definition", "explanation", "autolink"]
CSV_REQUIRED = {"syllabus", "section", "name", "definition", "explanation"}
MAX_NAME_LENGTH = Concept._meta.get_field("name").max_length
MAX_ALIASES_LENGTH = Concept._meta.get_field("aliases").max_length
MAX_LABEL_LENGTH = Concept._meta.get_field("members_label").max_length


class GlossaryFileError(Exception):
    """The file(s) cannot be imported; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SectionEntry:
    code: str
    title: str
    learning_outcome: str


@dataclass
class ConceptEntry:
    name: str
    section: str
    definition: str
    explanation: str
    # None means "not given" (a CSV without that column, or without key points and
    # relations at all): what the database holds stays as it is.
    aliases: list[str] | None = field(default_factory=list)
    autolink: bool | None = True
    key_points: list[str] | None = None
    related: list[str] | None = None
    confused_with: list[str] | None = None
    part_of: str | None = None
    members_label: str | None = None


@dataclass
class GlossaryDocument:
    syllabus_code: str
    syllabus_name: str
    sections: list[SectionEntry] = field(default_factory=list)
    concepts: list[ConceptEntry] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sections_written: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.sections_written)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged "
            f"concepts; {self.sections_written} sections created or updated"
        )


# -- reading ---------------------------------------------------------------------------------


def read_glossary(paths: list[Path], *, progress: Progress = SILENT) -> GlossaryDocument:
    """Parse one or more files (a directory means its *.json files, in name order)."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                problems.append(f"{path}: the directory holds no .json file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or directory")
    if problems:
        raise GlossaryFileError(problems)
    return parse_glossary([(str(path), path.read_bytes()) for path in files], progress=progress)


def parse_glossary(
    files: list[tuple[str, bytes]], *, progress: Progress = SILENT
) -> GlossaryDocument:
    """Parse files given as (name, content) pairs, such as uploads; the name's suffix (.json
    or .csv) picks the format and starts each problem line."""
    progress.stage(f"Reading {len(files)} file{'s' if len(files) != 1 else ''}…", len(files))
    documents = []
    problems: list[str] = []
    for done, (name, data) in enumerate(files, start=1):
        try:
            documents.append(_parse_file(name, data))
        except GlossaryFileError as error:
            problems.extend(error.problems)  # read on: report every file's problems at once
        progress.step(done, name)
    if problems:
        raise GlossaryFileError(problems)
    return _merge(documents, [name for name, _ in files])


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryFileError(
            [
                f"{path}: not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}); "
                "save it as UTF-8"
            ]
        ) from None


def _parse_file(path: str, data: bytes) -> GlossaryDocument:
    text = _decode(path, data)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return _parse_csv(path, text)
    if suffix == ".json":
        return _parse_json(path, text)
    raise GlossaryFileError([f"{path}: unknown file type; use .json or .csv"])


def _parse_json(path: str, text: str) -> GlossaryDocument:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossaryFileError(
            [f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise GlossaryFileError([f"{path}: the top level must be an object"])
    if raw.get("format") != FORMAT:
        problems.append(f'{path}: "format" must be "{FORMAT}"')
    syllabus = raw.get("syllabus")
    code = name = ""
    if not isinstance(syllabus, dict) or not _text(syllabus.get("code")):
        problems.append(f'{path}: missing "syllabus" with a "code" and a "name"')
    else:
        code, name = _text(syllabus.get("code")), _text(syllabus.get("name")) or code
    document = GlossaryDocument(code, name)

    sections = raw.get("sections", [])
    if not isinstance(sections, list):
        problems.append(f'{path}: "sections" must be a list')
        sections = []
    for index, item in enumerate(sections, start=1):
        where = f"{path}: section #{index}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        where = f"{path}: section {item.get('code') or f'#{index}'}"
        values = {key: _text(item.get(key)) for key in ("code", "title", "learning_outcome")}
        missing = [key for key, value in values.items() if not value]
        if missing:
            problems.append(f"{where}: missing field {', '.join(missing)}")
            continue
        document.sections.append(SectionEntry(**values))

    concepts = raw.get("concepts", [])
    if not isinstance(concepts, list):
        problems.append(f'{path}: "concepts" must be a list')
        concepts = []
    for index, item in enumerate(concepts, start=1):
        entry = _concept_from_json(path, index, item, problems)
        if entry:
            document.concepts.append(entry)
    if problems:
        raise GlossaryFileError(problems)
    return document


def _concept_from_json(path: str, index: int, item, problems: list[str]) -> ConceptEntry | None:
    if not isinstance(item, dict):
        problems.append(f"{path}: concept #{index}: must be an object")
        return None
    where = f"{path}: concept {_text(item.get('name')) or f'#{index}'}"
    before = len(problems)
    values = {}
    for key in ("name", "section", "definition", "explanation"):
        values[key] = _text(item.get(key))
        if not values[key]:
            problems.append(f"{where}: missing field {key}")
    lists = {}
    for key in ("aliases", "key_points", "related", "confused_with"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: {key} must be a list of strings")
            value = []
        lists[key] = [" ".join(v.split()) for v in value if v.strip()]
    autolink = item.get("autolink", True)
    if not isinstance(autolink, bool):
        problems.append(f"{where}: autolink must be true or false")
    sets = {}
    for key in ("part_of", "members_label"):
        value = item.get(key, "")
        if not isinstance(value, str):
            problems.append(f"{where}: {key} must be a string")
        sets[key] = _text(value)
    if len(problems) > before:
        return None
    return ConceptEntry(**values, **lists, **sets, autolink=autolink)


def _parse_csv(path: str, text: str) -> GlossaryDocument:
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
        header = set(rows[0].keys()) if rows else set()
    except csv.Error as exc:
        raise GlossaryFileError([f"{path}: malformed CSV: {exc}"]) from None
    if not rows:
        raise GlossaryFileError([f"{path}: the CSV file has a header but no rows, or is empty"])
    if missing := CSV_REQUIRED - header:
        raise GlossaryFileError([f"{path}: missing CSV column {', '.join(sorted(missing))}"])
    problems: list[str] = []
    codes = {_text(row.get("syllabus")) for row in rows}
    if len(codes) != 1 or not next(iter(codes)):
        problems.append(f"{path}: every row must name the same syllabus")
    document = GlossaryDocument(next(iter(codes)), "")
    for line, row in enumerate(rows, start=2):
        if None in row:
            problems.append(f"{path}: line {line}: more cells than columns")
            continue
        where = f"{path}: line {line} ({_text(row.get('name')) or 'no name'})"
        values = {key: _text(row.get(key)) for key in ("name", "section", "definition")}
        values["explanation"] = _text(row.get("explanation"))
        missing = [key for key, value in values.items() if not value]
        if missing:
            problems.append(f"{where}: missing field {', '.join(missing)}")
            continue
        autolink = None  # a CSV without the column leaves the flag as it is
        if "autolink" in header:
            autolink_text = _text(row.get("autolink")).lower() or "true"
            if autolink_text not in {"true", "false", "1", "0", "yes", "no"}:
                problems.append(f"{where}: autolink must be true or false")
                continue
            autolink = autolink_text in {"true", "1", "yes"}
        aliases = split_aliases(row.get("aliases") or "") if "aliases" in header else None
        document.concepts.append(
            ConceptEntry(**values, aliases=aliases, autolink=autolink, part_of=None)
        )
    if problems:
        raise GlossaryFileError(problems)
    return document


def _merge(documents: list[GlossaryDocument], files: list[str]) -> GlossaryDocument:
    codes = {document.syllabus_code for document in documents}
    if len(codes) > 1:
        raise GlossaryFileError(
            [f"{', '.join(files)}: the files name different syllabi: {sorted(codes)}"]
        )
    merged = GlossaryDocument(
        documents[0].syllabus_code,
        next((d.syllabus_name for d in documents if d.syllabus_name), ""),
    )
    for document in documents:
        merged.sections.extend(document.sections)
        merged.concepts.extend(document.concepts)
    return merged


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


# -- validating and importing ----------------------------------------------------------------


def validate(document: GlossaryDocument) -> list[str]:
    """Every problem with importing `document` over what the database already holds."""
    problems: list[str] = []
    syllabus = Syllabus.objects.filter(code=document.syllabus_code).first()
    if syllabus is None and not document.syllabus_name:
        problems.append(
            f"syllabus {document.syllabus_code}: unknown syllabus; give its name to create it"
        )
    section_codes = set(
        Section.objects.filter(syllabus=syllabus).values_list("code", flat=True) if syllabus else []
    )
    seen_sections: set[str] = set()
    for section in document.sections:
        if section.code in seen_sections:
            problems.append(f"section {section.code}: listed twice")
        seen_sections.add(section.code)
        for attr in ("code", "title", "learning_outcome"):
            limit = Section._meta.get_field(attr).max_length
            if len(getattr(section, attr)) > limit:
                problems.append(f"section {section.code}: {attr} longer than {limit} characters")
    section_codes |= seen_sections

    # The glossary as it will be: the database's concepts, overlaid by the file's.
    existing = {
        concept.name.lower(): concept
        for concept in Concept.objects.filter(section__syllabus=syllabus)
    }
    final_terms: dict[str, str] = {}  # lower-cased name or alias -> concept name
    file_names: set[str] = set()
    for entry in document.concepts:
        where = f"concept {entry.name}"
        key = entry.name.lower()
        if key in file_names:
            problems.append(f"{where}: duplicate name (the name appears twice in the file)")
        file_names.add(key)
        if len(entry.name) > MAX_NAME_LENGTH:
            problems.append(f"{where}: name longer than {MAX_NAME_LENGTH} characters")
        if entry.aliases and len(join_aliases(entry.aliases)) > MAX_ALIASES_LENGTH:
            problems.append(f"{where}: aliases longer than {MAX_ALIASES_LENGTH} characters")
        if entry.members_label and len(entry.members_label) > MAX_LABEL_LENGTH:
            problems.append(f"{where}: members_label longer than {MAX_LABEL_LENGTH} characters")
        if entry.section not in section_codes:
            problems.append(f"{where}: unknown section {entry.section}")
    kept = [c for name, c in existing.items() if name not in file_names]
    all_names = file_names | set(existing)
    owners = [(entry.name, entry.aliases or []) for entry in document.concepts]
    owners += [(concept.name, concept.alias_list) for concept in kept]
    # Names first: an alias that clashes with a name is the alias owner's problem, wherever
    # the named concept is (later in the file, or only in the database).
    for owner, _ in owners:
        final_terms.setdefault(owner.lower(), owner)
    for owner, aliases in owners:
        for term in aliases:
            other = final_terms.get(term.lower())
            if other and other.lower() != owner.lower():
                problems.append(
                    f"concept {owner}: name or alias '{term}' is already used by {other}"
                )
            final_terms.setdefault(term.lower(), owner)
    for entry in document.concepts:
        for kind in ("related", "confused_with"):
            for other in getattr(entry, kind) or []:
                if other.lower() not in all_names:
                    label = kind.replace("_", " ")
                    problems.append(f"concept {entry.name}: {label} names unknown concept {other}")
                elif other.lower() == entry.name.lower():
                    problems.append(f"concept {entry.name}: {kind} names the concept itself")
        if entry.part_of:
            if entry.part_of.lower() not in all_names:
                problems.append(f"concept {entry.name}: part of unknown concept {entry.part_of}")
            elif entry.part_of.lower() == entry.name.lower():
                problems.append(f"concept {entry.name}: part_of names the concept itself")
    return problems


def import_glossary(document: GlossaryDocument, *, progress: Progress = SILENT) -> ImportResult:
    """Validate `document`, then write it in one transaction; raise GlossaryFileError if bad."""
    problems = validate(document)
    if problems:
        raise GlossaryFileError(problems)
    count = len(document.concepts)
    progress.stage(f"Checked {_concepts(count)} and {len(document.sections)} sections: no problems")
    result = ImportResult()
    with transaction.atomic():
        syllabus, created = Syllabus.objects.get_or_create(
            code=document.syllabus_code, defaults={"name": document.syllabus_name}
        )
        if not created and document.syllabus_name and syllabus.name != document.syllabus_name:
            syllabus.name = document.syllabus_name
            syllabus.save(update_fields=["name"])
        sections = {section.code: section for section in syllabus.sections.all()}
        # Sections take the order the import lists them in.
        for position, entry in enumerate(document.sections, start=1):
            section = sections.get(entry.code) or Section(syllabus=syllabus, code=entry.code)
            wanted = {
                "title": entry.title,
                "learning_outcome": entry.learning_outcome,
                "order": position,
            }
            if section.pk is None or any(getattr(section, k) != v for k, v in wanted.items()):
                for attr, value in wanted.items():
                    setattr(section, attr, value)
                section.save()
                result.sections_written += 1
            sections[entry.code] = section

        concepts = {
            concept.name.lower(): concept
            for concept in Concept.objects.filter(section__syllabus=syllabus).prefetch_related(
                "key_points", "related", "confused_with"
            )
        }
        status: dict[str, str] = {}  # lower-cased name -> "created" | "updated" | ""
        progress.stage(f"Writing {_concepts(count)}…", count)
        for done, entry in enumerate(document.concepts, start=1):
            key = entry.name.lower()
            concept = concepts.get(key)
            if concept is None:
                concept = Concept(slug=_unique_slug(entry.name))
                status[key] = "created"
            else:
                status[key] = ""
            if _apply_fields(concept, entry, sections[entry.section]) or concept.pk is None:
                concept.save()
                status[key] = status[key] or "updated"
            concepts[key] = concept
            progress.step(done, entry.name)
        # Key points and relations need every concept saved first: they may point forward.
        progress.stage("Writing key points and relations…", count)
        for done, entry in enumerate(document.concepts, start=1):
            key = entry.name.lower()
            if _apply_details(concepts[key], entry, concepts, is_new=status[key] == "created"):
                status[key] = status[key] or "updated"
            progress.step(done, entry.name)
        result.created = sum(1 for value in status.values() if value == "created")
        result.updated = sum(1 for value in status.values() if value == "updated")
        result.unchanged = len(status) - result.created - result.updated
    return result


def _concepts(count: int) -> str:
    return f"{count} concept{'s' if count != 1 else ''}"


def _apply_fields(concept: Concept, entry: ConceptEntry, section: Section) -> bool:
    wanted = {
        "name": entry.name,
        "section_id": section.pk,
        "definition": entry.definition,
        "explanation": entry.explanation,
    }
    if entry.aliases is not None:
        wanted["aliases"] = join_aliases(entry.aliases)
    if entry.autolink is not None:
        wanted["autolink"] = entry.autolink
    if entry.members_label is not None:
        wanted["members_label"] = entry.members_label
    changed = [attr for attr, value in wanted.items() if getattr(concept, attr) != value]
    for attr in changed:
        setattr(concept, attr, wanted[attr])
    return bool(changed)


def _apply_details(
    concept: Concept, entry: ConceptEntry, concepts: dict[str, Concept], *, is_new: bool
) -> bool:
    changed = False
    if entry.key_points is not None:
        current = [] if is_new else [point.text for point in concept.key_points.all()]
        if current != entry.key_points:
            concept.key_points.all().delete()
            KeyPoint.objects.bulk_create(
                KeyPoint(concept=concept, text=text, order=order)
                for order, text in enumerate(entry.key_points, start=1)
            )
            changed = True
    if entry.part_of is not None:
        part_of = concepts[entry.part_of.lower()] if entry.part_of else None
        if concept.part_of_id != (part_of.pk if part_of else None):
            concept.part_of = part_of
            concept.save(update_fields=["part_of"])
            changed = True
    for kind in ("related", "confused_with"):
        names = getattr(entry, kind)
        if names is None:
            continue
        manager = getattr(concept, kind)
        wanted = [concepts[name.lower()] for name in names]
        current = [] if is_new else list(manager.all())
        if {c.pk for c in current} != {c.pk for c in wanted}:
            manager.set(wanted)
            changed = True
    return changed


def _unique_slug(name: str) -> str:
    base = slugify(name.replace("/", " ")) or "concept"
    slug, counter = base, 2
    while Concept.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


# -- exporting -------------------------------------------------------------------------------


def _concepts_for_export(syllabus: Syllabus):
    return (
        Concept.objects.filter(section__syllabus=syllabus)
        .select_related("section", "part_of")
        .prefetch_related(
            "key_points",
            Prefetch("related", queryset=Concept.objects.only("name")),
            Prefetch("confused_with", queryset=Concept.objects.only("name")),
        )
        .order_by("section__order", "name")
    )


def export_json(syllabus: Syllabus, *, progress: Progress = SILENT) -> str:
    concepts = []
    for concept in _counted(_concepts_for_export(syllabus), "JSON", progress):
        concepts.append(
            {
                "name": concept.name,
                "aliases": concept.alias_list,
                "section": concept.section.code,
                "definition": concept.definition,
                "explanation": concept.explanation,
                "key_points": [point.text for point in concept.key_points.all()],
                "related": sorted(c.name for c in concept.related.all()),
                "confused_with": sorted(c.name for c in concept.confused_with.all()),
                "autolink": concept.autolink,
                **({"part_of": concept.part_of.name} if concept.part_of else {}),
                **({"members_label": concept.members_label} if concept.members_label else {}),
            }
        )
    document = {
        "format": FORMAT,
        "syllabus": {"code": syllabus.code, "name": syllabus.name},
        "sections": [
            {"code": s.code, "title": s.title, "learning_outcome": s.learning_outcome}
            for s in syllabus.sections.order_by("order", "code")
        ],
        "concepts": concepts,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_csv(syllabus: Syllabus, *, progress: Progress = SILENT) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for concept in _counted(_concepts_for_export(syllabus), "CSV", progress):
        writer.writerow(
            [
                syllabus.code,
                concept.section.code,
                concept.name,
                concept.aliases,
                concept.definition,
                concept.explanation,
                "true" if concept.autolink else "false",
            ]
        )
    return out.getvalue()


def _counted(queryset, format: str, progress: Progress):
    """Yield the export's concepts, reporting each (one query batch: the count comes free)."""
    concepts = list(queryset)
    progress.stage(f"Exporting {_concepts(len(concepts))} as {format}…", len(concepts))
    for done, concept in enumerate(concepts, start=1):
        yield concept
        progress.step(done, concept.name)

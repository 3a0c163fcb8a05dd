"""Progress of the glossary commands on stderr, by verbosity; stdout keeps its summary lines."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from itilprep.task_progress import CommandProgress
from tests.glossary.test_transfer import CONCEPTS, concept, glossary_json, imported, write

pytestmark = pytest.mark.django_db


def run(command: str, *args: str, verbosity: int = 1) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, verbosity=verbosity)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def two_files(tmp_path):
    """The test glossary split over two files, as a directory the command reads in order."""
    write(tmp_path / "10-first.json", glossary_json(concepts=CONCEPTS[:2]))
    write(tmp_path / "20-second.json", glossary_json(concepts=CONCEPTS[2:], sections=[]))
    return tmp_path


def test_import_prints_its_stages_on_stderr_and_keeps_stdout_to_the_summary(two_files):
    out, err = run("import_glossary", "--no-rebuild", str(two_files))

    assert out == imported(created=4, sections=2)
    assert err.splitlines() == [
        "Reading 2 files…",
        "Checked 4 concepts and 2 sections: no problems",
        "Writing 4 concepts…",
        "Writing key points and relations…",
    ]
    assert "\r" not in err  # piped output gets whole lines only


def test_import_with_verbosity_0_prints_only_the_summary(two_files):
    out, err = run("import_glossary", "--no-rebuild", str(two_files), verbosity=0)

    assert out == imported(created=4, sections=2)
    assert err == ""


def test_import_with_verbosity_2_lists_every_file_and_concept(two_files):
    out, err = run("import_glossary", "--no-rebuild", str(two_files), verbosity=2)

    assert out == imported(created=4, sections=2)
    lines = err.splitlines()
    assert lines[:3] == [
        "Reading 2 files…",
        f"  1/2 {two_files / '10-first.json'}",
        f"  2/2 {two_files / '20-second.json'}",
    ]
    writing = lines.index("Writing 4 concepts…")
    assert lines[writing + 1 : writing + 5] == [
        "  1/4 Value",
        "  2/4 Outcome",
        "  3/4 Utility",
        "  4/4 Warranty",
    ]


def test_import_that_rebuilds_the_bank_reports_the_bank_stages(tmp_path):
    out, err = run("import_glossary", str(write(tmp_path / "g.json", glossary_json())))

    assert out.splitlines()[0] == imported(created=4, sections=2).strip()
    assert out.splitlines()[1].startswith("Question bank rebuilt: ")
    assert "Building questions for 4 concepts…" in err.splitlines()
    assert any(line.startswith("Saving ") for line in err.splitlines())


def test_a_bad_import_reports_its_problems_after_the_progress_so_far(tmp_path):
    bad = glossary_json(concepts=[*CONCEPTS, concept("Cost", section="9.9")])
    err = io.StringIO()

    with pytest.raises(Exception, match="1 problem found; nothing was imported"):
        call_command("import_glossary", str(write(tmp_path / "g.json", bad)), stderr=err)

    assert err.getvalue().splitlines() == ["Reading 1 file…", "concept Cost: unknown section 9.9"]


def test_export_keeps_stdout_to_the_data_and_reports_on_stderr(tmp_path):
    run("import_glossary", "--no-rebuild", str(write(tmp_path / "g.json", glossary_json())))

    quiet, nothing = run("export_glossary", verbosity=0)
    data, err = run("export_glossary", "--format", "json", verbosity=2)

    assert nothing == ""
    assert data == quiet
    assert err.splitlines() == [
        "Exporting 4 concepts as JSON…",  # in the export's order: by section, then name
        "  1/4 Outcome",
        "  2/4 Value",
        "  3/4 Utility",
        "  4/4 Warranty",
    ]
    csv_data, err = run("export_glossary", "--format", "csv")
    assert csv_data.startswith("syllabus,section,name")
    assert err == "Exporting 4 concepts as CSV…\n"


# -- the reporter itself ---------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_counted_stage_is_one_line_updated_in_place():
    screen = Terminal()
    progress = CommandProgress(OutputWrapper(screen), verbosity=1, redraw=0)

    progress.stage("Writing 3 concepts…", 3)
    for done in (1, 2, 3):
        progress.step(done, f"concept {done}")
    progress.stage("Building questions for 3 concepts…")

    assert screen.getvalue() == (
        "Writing 3 concepts… 0/3"
        "\rWriting 3 concepts… 1/3\x1b[K"
        "\rWriting 3 concepts… 2/3\x1b[K"
        "\rWriting 3 concepts… 3/3\x1b[K\n"
        "Building questions for 3 concepts…\n"
    )


def test_on_a_terminal_redraws_are_throttled_but_the_last_count_always_shows():
    screen = Terminal()
    progress = CommandProgress(OutputWrapper(screen), verbosity=1, redraw=3600)

    progress.stage("Saving 500 questions…", 500)
    for done in range(1, 501):
        progress.step(done)

    assert screen.getvalue() == "Saving 500 questions… 0/500\rSaving 500 questions… 500/500\x1b[K\n"


def test_a_stage_cut_short_on_a_terminal_is_ended_before_other_output():
    screen = Terminal()
    progress = CommandProgress(OutputWrapper(screen), verbosity=1, redraw=0)

    progress.stage("Writing 3 concepts…", 3)
    progress.step(1)
    progress.end()

    assert screen.getvalue().endswith("1/3\x1b[K\n")


def test_piped_output_of_a_long_stage_gets_whole_heartbeat_lines():
    log = io.StringIO()
    progress = CommandProgress(OutputWrapper(log), verbosity=1, heartbeat=0)

    progress.stage("Saving 3 questions…", 3)
    for done in (1, 2, 3):
        progress.step(done)

    assert log.getvalue().splitlines() == [
        "Saving 3 questions…",
        "Saving 3 questions… 1/3",
        "Saving 3 questions… 2/3",
    ]

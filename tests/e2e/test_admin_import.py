"""Browser test of the admin's glossary import: the progress shows while it runs, problems
are listed, and the admin pages raise no console error or CSP violation."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from glossary.models import Concept
from quiz.models import Question
from tests.conftest import ROOT
from tests.factories import UserFactory
from tests.glossary.test_transfer import CONCEPTS, concept, glossary_json

PASSWORD = "a-long-test-password"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IMPORT_URL = "/admin/glossary/concept/import/"
LIST_URL = re.compile(r"/admin/glossary/concept/$")
PROGRESS = "Importing and rebuilding the question bank… this takes a few seconds."


@pytest.fixture
def editor(transactional_db):
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="glossary",
            codename__in=["add_concept", "change_concept", "view_concept"],
        )
    )
    return user


@pytest.fixture
def admin_page(new_context, editor) -> Page:
    page = new_context().new_page()
    page.goto("/admin/glossary/concept/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(LIST_URL)
    return page


def file_payload(name: str, content: bytes) -> dict:
    mime = "text/csv" if name.endswith(".csv") else "application/json"
    return {"name": name, "mimeType": mime, "buffer": content}


def test_the_import_shows_progress_while_it_runs_then_the_counts(admin_page):
    page = admin_page
    page.get_by_role("link", name="Import glossary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import glossary")
    status = page.get_by_role("status")
    expect(status).to_have_text("")
    page.get_by_label("Glossary files").set_input_files(
        [file_payload("glossary.json", glossary_json())]
    )

    # A listener added after the page's own stops the first submission, so the page can be
    # seen as it is while the server works; the form is then sent for real.
    page.evaluate(
        "document.getElementById('glossary-import-form')"
        ".addEventListener('submit', (event) => event.preventDefault(), {once: true})"
    )
    button = page.get_by_role("button", name="Import")
    button.click()

    expect(status).to_have_text(PROGRESS)
    expect(status.locator("progress")).to_be_visible()
    expect(button).to_be_disabled()
    page.evaluate("document.getElementById('glossary-import-form').submit()")

    page.wait_for_url(LIST_URL)
    expect(page.locator(".messagelist")).to_contain_text(
        "Glossary imported: 4 created, 0 updated, 0 unchanged concepts"
    )
    expect(page.locator(".messagelist")).to_contain_text("Question bank rebuilt:")
    assert Concept.objects.count() == 4
    assert Question.objects.active().exists()


def test_a_bad_upload_lists_the_problems_and_the_form_can_be_sent_again(admin_page):
    page = admin_page
    if AXE.exists():
        page.add_init_script(path=AXE)  # an init script: the page's CSP does not govern it
    page.goto(IMPORT_URL)
    bad = glossary_json(concepts=[*CONCEPTS, concept("Cost", section="9.9")])
    page.get_by_label("Glossary files").set_input_files([file_payload("glossary.json", bad)])
    page.get_by_role("button", name="Import").click()

    expect(page.locator(".errornote")).to_have_text(
        "1 problem found; nothing was imported. Correct the file and upload again."
    )
    expect(page.locator("#import-problems li")).to_have_text(["concept Cost: unknown section 9.9"])
    expect(page.get_by_role("button", name="Import")).to_be_enabled()
    expect(page.get_by_role("status")).to_have_text("")
    assert not Concept.objects.exists()

    if AXE.exists():
        result = page.evaluate("axe.run('#content-main')")
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], json.dumps(violations, indent=1)

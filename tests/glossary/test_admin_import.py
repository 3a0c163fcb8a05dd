"""The admin's "Import glossary" page: who may use it, a good upload, a bad one."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glossary.models import Concept
from quiz.models import Question
from tests.factories import ConceptFactory, UserFactory
from tests.glossary.test_transfer import (
    CONCEPTS,
    CSV_HEADER,
    concept,
    database_counts,
    glossary_json,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:glossary_concept_import")
LIST_URL = reverse("admin:glossary_concept_changelist")


def staff(*codenames: str, username: str = "editor"):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="glossary", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff("add_concept", "change_concept", "view_concept"))
    return client


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


# -- who may import --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_learner_who_is_not_staff_gets_no_access(client):
    client.force_login(UserFactory(username="learner"))
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "codenames",
    [(), ("view_concept",), ("add_concept",), ("change_concept", "view_concept")],
    ids=["no-permission", "view-only", "add-only", "change-only"],
)
def test_staff_without_both_add_and_change_permission_are_refused(client, codenames):
    client.force_login(staff(*codenames))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"files": upload("g.json", glossary_json())})
    assert response.status_code == 403
    assert not Concept.objects.exists()


def test_the_concept_list_links_to_the_import_only_for_those_who_may_use_it(client):
    client.force_login(staff("view_concept", "change_concept", username="viewer"))
    assert "Import glossary" not in client.get(LIST_URL).text

    client.force_login(staff("add_concept", "change_concept", "view_concept"))
    page = client.get(LIST_URL).text
    assert f'href="{IMPORT_URL}"' in page
    assert "Import glossary" in page


def test_the_form_page_shows_the_upload_field_and_the_progress_message(editor_client):
    page = editor_client.get(IMPORT_URL).text
    assert "<h1>Import glossary</h1>" in page
    assert 'type="file" name="files"' in page
    assert "multiple" in page
    assert 'role="status"' in page
    assert "Importing and rebuilding the question bank" in page
    assert "js/admin-import.js" in page


# -- importing -------------------------------------------------------------------------------


def test_a_good_upload_imports_rebuilds_the_bank_and_says_so(editor_client):
    response = editor_client.post(
        IMPORT_URL,
        {"files": [upload("glossary.json", glossary_json())]},
        follow=True,
    )

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert set(Concept.objects.values_list("name", flat=True)) == {
        "Value",
        "Outcome",
        "Utility",
        "Warranty",
    }
    active = Question.objects.active().count()
    assert active > 0
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        "Glossary imported: 4 created, 0 updated, 0 unchanged concepts; "
        "2 sections created or updated. Question bank rebuilt: "
    )
    assert f"{active} active questions." in message

    # The same file again changes nothing, and the bank is left alone.
    response = editor_client.post(
        IMPORT_URL, {"files": [upload("glossary.json", glossary_json())]}, follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert "0 created, 0 updated, 4 unchanged" in message
    assert "Nothing changed, so the question bank was left as it was." in message


def test_several_files_json_and_csv_are_imported_together(editor_client):
    csv_file = (
        f"{CSV_HEADER}\n"
        "itil4-foundation,2.1,Cost,,The money spent on a resource.,Why it matters.,true\n"
    )
    response = editor_client.post(
        IMPORT_URL,
        {"files": [upload("10-main.json", glossary_json()), upload("20-more.csv", csv_file)]},
    )
    assert response.status_code == 302
    assert Concept.objects.count() == 5
    assert Concept.objects.get(name="Cost").definition == "The money spent on a resource."


def test_a_bad_upload_lists_every_problem_and_changes_nothing(editor_client):
    ConceptFactory(name="Value", section__code="2.1", definition="The old definition.")
    counts = database_counts()
    bad = glossary_json(
        concepts=[*CONCEPTS, concept("Cost", section="9.9"), concept("Risk", related=["Nope"])]
    )

    response = editor_client.post(
        IMPORT_URL,
        {"files": [upload("glossary.json", bad), upload("notes.txt", "hello")]},
    )

    assert response.status_code == 200
    # A file that cannot be read stops the check before the rest is compared with the database.
    assert response.context["problems"] == ["notes.txt: unknown file type; use .json or .csv"]
    assert "1 problem found; nothing was imported." in response.text
    assert database_counts() == counts
    assert Concept.objects.get(name="Value").definition == "The old definition."
    assert not Question.objects.exists()

    response = editor_client.post(IMPORT_URL, {"files": [upload("glossary.json", bad)]})
    assert response.context["problems"] == [
        "concept Cost: unknown section 9.9",
        "concept Risk: related names unknown concept Nope",
    ]
    assert "2 problems found; nothing was imported." in response.text
    assert "<li>concept Cost: unknown section 9.9</li>" in response.text
    assert database_counts() == counts


def test_submitting_without_a_file_asks_for_one(editor_client):
    response = editor_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Concept.objects.exists()

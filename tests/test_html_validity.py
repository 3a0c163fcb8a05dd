"""Every kind of page, and the htmx partial replies, pass the Nu HTML Checker (vnu.jar).

The pages come from tests/site_pages.py, rendered by the Django test client; the checker
(npm package vnu-jar, `make test` installs it) runs once, under the machine's Java, over all
of them. Partial replies are checked inside a minimal document, as htmx inserts them.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ROOT
from tests.site_pages import PAGES, URLCONF, PageKind, SiteData, build_site_data

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

# A partial reply goes into the page's <body>; a leading <title> is htmx's new page title.
SHELL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body>{body}</body></html>"
)
LEADING_TITLE = re.compile(r"^\s*<title>(.*?)</title>", re.DOTALL)


def require_checker() -> None:
    """Skip without Java or vnu.jar, except in CI, which must run this check."""
    problem = None
    if JAVA is None:
        problem = "Java is not installed (apt-get install default-jre-headless)"
    elif not VNU.exists():
        problem = f"{VNU.relative_to(ROOT)} is missing (npm ci, which `make test` runs)"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}: CI must run the HTML validity check.", pytrace=False)
    pytest.skip(problem)


def as_document(partial: str) -> str:
    title = LEADING_TITLE.match(partial)
    body = partial[title.end() :] if title else partial
    return SHELL.format(title=title.group(1) if title else "Partial reply", body=body)


def render_pages(data: SiteData) -> dict[str, str]:
    """The HTML of every page kind of the table, as its visitor sees it."""
    clients: dict[tuple[str | None, bool], Client] = {}

    def client_for(kind: PageKind) -> Client:
        # A stale form (no CSRF token) needs a client that checks the token, as browsers do.
        key = (kind.user, not kind.csrf)
        if key not in clients:
            client = Client(enforce_csrf_checks=not kind.csrf, raise_request_exception=False)
            if kind.user:
                client.force_login(getattr(data, kind.user))
            clients[key] = client
        return clients[key]

    rendered = {}
    for kind in PAGES:
        client, url = client_for(kind), kind.url(data)
        form = kind.submit if kind.submit is not None else kind.post
        response = client.get(url) if form is None else client.post(url, form)
        assert response.status_code == kind.status, f"{kind.name}: {url}"
        rendered[kind.name] = response.text
    return rendered


def render_partials(data: SiteData) -> dict[str, str]:
    """The htmx replies, each wrapped in a document. They change the attempts: run last."""
    htmx = Client(headers={"hx-request": "true"})
    htmx.force_login(data.learner)
    teacher = Client(headers={"hx-request": "true"})
    teacher.force_login(data.instructor)
    exam, practice, classroom = data.exam, data.practice, data.classroom.public_id

    def reply(response) -> str:
        assert response.status_code == 200, response.request["PATH_INFO"]
        return as_document(response.text)

    replies = {
        "glossary results": htmx.get(reverse("glossary:index") + "?q=service&letter=S"),
        "glossary results, no match": htmx.get(reverse("glossary:index") + "?q=zzqx"),
        "concept preview": htmx.get(reverse("glossary:preview", args=[data.concept.slug])),
        "exam answer saved": htmx.post(
            reverse("quiz:answer", args=[exam.public_id]), {"position": 4, "answer": "B"}
        ),
        "exam question flagged": htmx.post(
            reverse("quiz:flag", args=[exam.public_id]), {"position": 4}
        ),
        "practice answer with feedback": htmx.post(
            reverse("quiz:answer", args=[practice.public_id]), {"position": 2, "answer": "A"}
        ),
        "progress history": htmx.get(reverse("progress:home")),
        "roster filtered and sorted": teacher.get(
            reverse("reports:overview", args=[classroom]) + "?status=passed&sort=-counted"
        ),
        "co-instructor refused": teacher.post(
            reverse("classes:add_instructor", args=[classroom]), {"username": "nobody"}
        ),
        "student removed": teacher.post(
            reverse("classes:remove_student", args=[classroom, data.student.pk])
        ),
        "new join code": teacher.post(
            reverse("classes:regenerate_code", args=[classroom]), {"valid_for": "7"}
        ),
    }
    return {f"htmx: {name}": reply(response) for name, response in replies.items()}


def run_checker(documents: dict[str, str], directory: Path) -> dict[str, list[str]]:
    """vnu.jar's errors for each document that has any; one run over all the files.

    JSON output, rather than text, names the file of each message reliably.
    """
    names = {}
    for number, (name, html) in enumerate(documents.items(), start=1):
        path = directory / f"page-{number:02d}.html"
        path.write_text(html, encoding="utf-8")
        names[path] = name
    command = [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, names)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    errors: dict[str, list[str]] = {}
    for message in messages:
        url = message.get("url", "")
        name = names.get(Path(url.removeprefix("file:")), url or "(no file)")
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(
            f"  line {message.get('lastLine', '?')}: {message['message']}\n      {extract}"
        )
    return errors


@pytest.mark.django_db
def test_every_kind_of_page_is_valid_html(tmp_path, settings):
    require_checker()
    settings.ROOT_URLCONF = URLCONF  # with the pages that fail on purpose (400, 403, 500)
    data = build_site_data()
    documents = {**render_pages(data), **render_partials(data)}

    errors = run_checker(documents, tmp_path)

    report = "\n\n".join(
        f"{name} ({len(found)} error{'s' * (len(found) != 1)}):\n" + "\n".join(found)
        for name, found in errors.items()
    )
    assert not errors, f"The Nu HTML Checker found errors:\n\n{report}"

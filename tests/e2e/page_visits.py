"""Visiting the pages of tests/site_pages.py in a browser, as their visitor: signed in by a
session cookie, POSTs made as another page's form would, and the status checked."""

import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from tests.site_pages import PageKind, SiteData

# Every context carries this CSRF cookie, so a POST straight to a URL can send its token.
CSRF_TOKEN = "pagechecks0123456789abcdefghijkl"


def session_cookie(user) -> dict:
    """The session cookie of `user`, signed in through Django's test client."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value}


def visit(page: Page, kind: PageKind, data: SiteData, expected_console_errors: list) -> None:
    """Load the page, and submit its form or POST when the table says so; check the status."""
    # Chromium logs an error status (the 404 page's) on the console: expected here only.
    allowed = re.compile(rf"status of {kind.status}\b") if kind.status >= 400 else None
    if allowed:
        expected_console_errors.append(allowed)
    url = kind.url(data)
    response = page.goto(url) if kind.post is None else post_directly(page, url, kind)
    if kind.submit:
        fields = [page.locator(f"main [name='{name}']") for name in kind.submit]
        for field, value in zip(fields, kind.submit.values(), strict=True):
            field.fill(value)
        with page.expect_navigation() as navigation:
            fields[0].locator("xpath=ancestor::form").locator("[type=submit]").click()
        response = navigation.value
    assert response.status == kind.status, f"{kind.name}: {page.url}"
    if allowed:
        page.wait_for_load_state("load")
        expected_console_errors.remove(allowed)


def post_directly(page: Page, url: str, kind: PageKind):
    """Navigate to `url` with a POST of the table's values, as a form of another page would."""
    fields = {**kind.post, **({"csrfmiddlewaretoken": CSRF_TOKEN} if kind.csrf else {})}

    def as_post(route) -> None:
        target = urlsplit(route.request.url)
        headers = {
            **route.request.headers,
            "content-type": "application/x-www-form-urlencoded",
            "origin": f"{target.scheme}://{target.netloc}",
        }
        route.continue_(method="POST", post_data=urlencode(fields), headers=headers)

    page.route(url_matcher(url), as_post)
    try:
        return page.goto(url)
    finally:
        page.unroute(url_matcher(url), as_post)


def url_matcher(url: str) -> re.Pattern:
    return re.compile(rf"^[^?]*{re.escape(url)}$")

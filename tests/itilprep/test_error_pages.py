"""Friendly error pages in the site's look."""

import pytest
from django.test import Client, override_settings
from django.urls import path


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]


@pytest.mark.django_db
def test_404_page_is_friendly(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.text
    assert 'class="site-header"' in response.text


@pytest.mark.django_db
def test_csrf_failure_is_a_friendly_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "You can't do that here" in response.text


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_friendly_and_standalone():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "kaboom" not in response.text

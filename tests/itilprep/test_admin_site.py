"""The Django admin carries the site's name, not "Django administration"."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_pages_are_titled_with_the_sites_name(admin_client):
    response = admin_client.get("/admin/")
    assert "<title>ITIL Prep administration | ITIL Prep administration</title>" in response.text
    assert "ITIL Prep administration</a>" in response.text  # the header's link home
    assert "Django administration" not in response.text

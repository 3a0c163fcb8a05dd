"""Accounts: sign up, log in and out, change and reset a password; the header shows who."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def account_menu(html: str) -> str:
    """The header's account menu: the signed-in name opens "Change password" and "Log out"."""
    match = re.search(r'<details class="account-menu">.*?</details>', html, re.S)
    return match.group(0) if match else ""


def summary_text(menu: str) -> str:
    """What the menu's button says (tags dropped): who is signed in."""
    summary = re.search(r"<summary>(.*?)</summary>", menu, re.S).group(1)
    return re.sub(r"<[^>]+>", "", summary)


def test_sign_up_logs_the_new_learner_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "",
            "password1": "Tr1cky-pass-phrase",
            "password2": "Tr1cky-pass-phrase",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert User.objects.filter(username="newbie").exists()
    assert summary_text(account_menu(response.text)) == "Signed in as newbie"
    assert "Your account is ready" in response.text


def test_sign_up_validates_passwords_and_keeps_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "n@example.com", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert 'value="newbie"' in response.text
    assert 'value="n@example.com"' in response.text
    assert not User.objects.filter(username="newbie").exists()


def test_sign_up_only_redirects_to_local_pages(client):
    data = {
        "username": "safe",
        "password1": "Tr1cky-pass-phrase",
        "password2": "Tr1cky-pass-phrase",
    }
    response = client.post("/accounts/signup/?next=https://evil.example.com/", data)
    assert response["Location"] == "/"
    client.logout()
    data["username"] = "safe2"
    response = client.post("/accounts/signup/?next=/glossary/", data)
    assert response["Location"] == "/glossary/"


def test_log_in_and_out(client):
    UserFactory(username="ada")
    response = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}, follow=True
    )
    menu = account_menu(response.text)
    assert summary_text(menu) == "Signed in as ada"
    assert '<a href="/accounts/password_change/">Change password</a>' in menu
    assert '<form method="post" action="/accounts/logout/"' in menu
    assert ">Log out</button>" in menu
    response = client.post("/accounts/logout/", follow=True)
    assert account_menu(response.text) == ""
    assert "Signed in as" not in response.text
    assert "Log in" in response.text


def test_form_labels_have_no_trailing_colon(client):
    response = client.get("/accounts/login/")
    assert '<label for="id_username">Username</label>' in response.text
    assert '<label for="id_password">Password</label>' in response.text
    assert ":</label>" not in response.text


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="ada")
    response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_change_password(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    new = "Another-l0ng-phrase"
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your password has been changed" in response.text
    user.refresh_from_db()
    assert user.check_password(new)


def test_reset_password_by_email(client):
    user = UserFactory(username="ada", email="ada@example.com")
    response = client.post("/accounts/password_reset/", {"email": "ada@example.com"}, follow=True)
    assert "Check your e-mail" in response.text
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    new = "Brand-new-pass-phrase"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Your new password is set" in response.text
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/"],
)
def test_account_pages_render_in_the_site_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'class="site-header"' in response.text


def test_password_change_needs_a_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

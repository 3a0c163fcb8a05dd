"""The sign-up form: a username, an optional e-mail for password resets, a password."""

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]
        help_texts = {"email": "Optional; needed only to reset a forgotten password."}

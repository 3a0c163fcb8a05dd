"""Root URLs: home, accounts, the glossary and the admin."""

from django.contrib import admin
from django.urls import include, path

from . import views

# The admin names the site instead of saying "Django administration".
admin.site.site_header = "ITIL Prep administration"
admin.site.site_title = "ITIL Prep administration"
admin.site.index_title = "ITIL Prep administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("glossary/", include("glossary.urls")),
    path("quiz/", include("quiz.urls")),
    path("classes/", include("quiz.class_urls")),
    path("classes/", include("quiz.report_urls")),
    path("progress/", include("quiz.progress_urls")),
    path("admin/", admin.site.urls),
]

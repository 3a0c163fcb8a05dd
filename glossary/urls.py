"""URLs of the glossary."""

from django.urls import path

from . import views

app_name = "glossary"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.concept_detail, name="concept"),
    path("<slug:slug>/preview/", views.concept_preview, name="preview"),
]

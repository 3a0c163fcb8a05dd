"""URLs of a learner's own progress page."""

from django.urls import path

from . import progress_views

app_name = "progress"
urlpatterns = [
    path("", progress_views.progress, name="home"),
    path("weak-spots/", progress_views.weak_spots, name="weak_spots"),
]

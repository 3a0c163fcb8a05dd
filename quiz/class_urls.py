"""URLs of classes: instructors' class management, students joining, assignments."""

from django.urls import path

from . import class_views

app_name = "classes"
urlpatterns = [
    path("", class_views.class_list, name="list"),
]

"""URLs of classes: instructors' class management, students joining, assignments."""

from django.urls import path

from . import class_views

app_name = "classes"
urlpatterns = [
    path("", class_views.class_list, name="list"),
    path("new/", class_views.class_create, name="create"),
    path("join/", class_views.join, name="join"),
    path("join/<str:code>/", class_views.join_link, name="join_link"),
    path("<uuid:public_id>/", class_views.class_detail, name="detail"),
    path("<uuid:public_id>/edit/", class_views.class_edit, name="edit"),
    path("<uuid:public_id>/code/", class_views.regenerate_code, name="regenerate_code"),
    path("<uuid:public_id>/instructors/", class_views.add_instructor, name="add_instructor"),
    path(
        "<uuid:public_id>/instructors/<int:user_id>/remove/",
        class_views.remove_instructor,
        name="remove_instructor",
    ),
    path(
        "<uuid:public_id>/students/<int:user_id>/remove/",
        class_views.remove_student,
        name="remove_student",
    ),
    path("<uuid:public_id>/archive/", class_views.archive, name="archive"),
    path("<uuid:public_id>/restore/", class_views.restore, name="restore"),
    path("<uuid:public_id>/leave/", class_views.leave, name="leave"),
    path(
        "<uuid:public_id>/assignments/new/",
        class_views.assignment_create,
        name="assignment_create",
    ),
    path(
        "<uuid:public_id>/assignments/<int:assignment_id>/edit/",
        class_views.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "<uuid:public_id>/assignments/<int:assignment_id>/start/",
        class_views.assignment_start,
        name="assignment_start",
    ),
]

"""URLs of instructors' reports on a class (mounted under /classes/)."""

from django.urls import path

from . import report_views

app_name = "reports"
urlpatterns = [
    path("<uuid:public_id>/reports/", report_views.overview, name="overview"),
    path(
        "<uuid:public_id>/reports/students/<int:student_id>/",
        report_views.student,
        name="student",
    ),
    path("<uuid:public_id>/reports/questions/", report_views.questions, name="questions"),
    path("<uuid:public_id>/reports/roster.csv", report_views.roster_csv, name="roster_csv"),
    path(
        "<uuid:public_id>/reports/responses.csv",
        report_views.responses_csv,
        name="responses_csv",
    ),
]

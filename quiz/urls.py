"""URLs of the quizzes."""

from django.urls import path

from . import views

app_name = "quiz"
urlpatterns = [
    path("", views.quiz_home, name="home"),
    path("start/<slug:kind>/", views.start, name="start"),
    path("custom/", views.custom, name="custom"),
    path("attempts/<uuid:public_id>/", views.attempt_page, name="attempt"),
    path("attempts/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("attempts/<uuid:public_id>/flag/", views.flag, name="flag"),
    path("attempts/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("attempts/<uuid:public_id>/result/", views.result, name="result"),
]

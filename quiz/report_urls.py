"""URLs of instructors' reports on a class."""

app_name = "reports"
urlpatterns: list = []

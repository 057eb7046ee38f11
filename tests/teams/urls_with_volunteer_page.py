"""The project's URLs plus a stand-in volunteer page at /v/ (built by a later issue)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("v/", lambda request: HttpResponse("volunteer page")),
    *project_urlpatterns,
]

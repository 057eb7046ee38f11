from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from training.urls import public_urlpatterns as training_public_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("training/", include("training.urls")),
    *training_public_urls,
    path("", include("teams.urls")),
    path("", include("dispatch.urls")),
    path("", include("dispatch.dashboard.urls")),
]

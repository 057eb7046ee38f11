from django.urls import include, path

app_name = "dispatch"
urlpatterns: list = [
    path("hooks/", include("dispatch.webhooks.urls")),
]

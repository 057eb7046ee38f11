from django.urls import path

from dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>", views.track_page, name="track"),
    path("api/v1/track/<str:code>", views.track_api, name="track_api"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<str:code>/", views.request_detail, name="request_detail"),
]

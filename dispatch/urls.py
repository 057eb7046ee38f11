from django.urls import include, path

from dispatch.live import views as volunteer_views
from dispatch.views import help as help_views
from dispatch.views import metrics as metrics_views
from dispatch.views import notices as notice_views
from dispatch.views import posters as poster_views
from dispatch.views import privacy, request_actions
from dispatch.views import staff as staff_views
from dispatch.views import tracking as tracking_views

app_name = "dispatch"
urlpatterns = [
    path("hooks/", include("dispatch.webhooks.urls")),
    path("help/", help_views.help_form, name="help"),
    path("help/<slug:village_slug>/", help_views.help_form, name="help_village"),
    path("operator/", help_views.operator_form, name="operator_form"),
    path("posters/", poster_views.poster_list, name="posters"),
    path("posters/all.zip", poster_views.poster_all, name="posters_all"),
    path("posters/<slug:village_slug>.svg", poster_views.poster_one, name="poster"),
    path("track/", tracking_views.track_lookup, name="track_lookup"),
    path("track/<str:code>", tracking_views.track_page, name="track"),
    path("api/v1/track/<str:code>", tracking_views.track_api, name="track_api"),
    path("requests/", staff_views.request_list, name="request_list"),
    path("requests/<str:code>/", staff_views.request_detail, name="request_detail"),
    path(
        "requests/<str:code>/<slug:action>/",
        request_actions.request_action,
        name="request_action",
    ),
    path("notices/", notice_views.notices, name="notices"),
    path("privacy/subject/", privacy.subject_request, name="privacy_subject"),
    path("v/", volunteer_views.volunteer_app, name="volunteer_app"),
    path("v/team/", volunteer_views.team_roster, name="team_roster"),
    path("v/login/", volunteer_views.phone_login_start, name="phone_login"),
    path("v/login/code/", volunteer_views.phone_login_code, name="phone_login_code"),
    path("v/locks/", volunteer_views.login_locks, name="login_locks"),
    path("v/manifest.webmanifest", volunteer_views.manifest, name="volunteer_manifest"),
    path("v/sw.js", volunteer_views.service_worker, name="volunteer_sw"),
    path("board/", volunteer_views.board, name="board"),
    path("metrics", metrics_views.metrics, name="metrics"),
]

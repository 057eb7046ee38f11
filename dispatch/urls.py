from django.urls import include, path

from dispatch.live import campaigns as volunteer_campaigns
from dispatch.live import views as volunteer_views
from dispatch.views import callbacks as callback_views
from dispatch.views import campaigns as campaign_views
from dispatch.views import guides as guide_views
from dispatch.views import help as help_views
from dispatch.views import metrics as metrics_views
from dispatch.views import notices as notice_views
from dispatch.views import posters as poster_views
from dispatch.views import privacy, request_actions
from dispatch.views import scams as scam_views
from dispatch.views import staff as staff_views
from dispatch.views import tracking as tracking_views
from dispatch.views import voice_prompts as voice_prompt_views

app_name = "dispatch"
urlpatterns = [
    path("hooks/", include("dispatch.webhooks.urls")),
    path("help/", help_views.help_start, name="help"),
    path("help/chon-xa/", help_views.help_choose, name="help_choose"),
    path("help/<slug:slug>/", help_views.help_short, name="help_short"),
    path(
        "help/<slug:commune_slug>/<slug:village_slug>/",
        help_views.help_commune_village,
        name="help_commune_village",
    ),
    path("operator/", help_views.operator_form, name="operator_form"),
    path(
        "operator/callbacks/<str:code>/",
        callback_views.record_callback,
        name="record_callback",
    ),
    path("posters/", poster_views.poster_list, name="posters"),
    path("posters/all.zip", poster_views.poster_all, name="posters_all"),
    path("posters/<slug:village_slug>.svg", poster_views.poster_one, name="poster"),
    path("track/", tracking_views.track_lookup, name="track_lookup"),
    path("track/<str:code>", tracking_views.track_page, name="track"),
    path("track/<str:code>/cancel", tracking_views.track_cancel, name="track_cancel"),
    path("track/<str:code>/rate", tracking_views.track_rate, name="track_rate"),
    path("track/<str:code>/reopen", tracking_views.track_reopen, name="track_reopen"),
    path("t/<str:code>", tracking_views.track_short, name="track_short"),
    path("voice-prompts/", voice_prompt_views.voice_prompt_list, name="voice_prompts"),
    path(
        "voice-prompts/<int:pk>/audio",
        voice_prompt_views.voice_prompt_audio,
        name="voice_prompt_audio",
    ),
    path("api/v1/track/<str:code>", tracking_views.track_api, name="track_api"),
    path("requests/", staff_views.request_list, name="request_list"),
    path("requests/<str:code>/", staff_views.request_detail, name="request_detail"),
    path(
        "requests/<str:code>/<slug:action>/",
        request_actions.request_action,
        name="request_action",
    ),
    path("notices/", notice_views.notices, name="notices"),
    path("scams/", scam_views.scam_index, name="scams"),
    path("scams/warnings/", scam_views.warnings, name="scam_warnings"),
    path("scams/settings/", scam_views.scam_settings, name="scam_settings"),
    path("scams/requests/<str:code>/", scam_views.scam_report, name="scam_report"),
    path("scams/requests/<str:code>/refer/", scam_views.scam_refer, name="scam_refer"),
    path(
        "scams/referrals/<int:pk>/",
        scam_views.referral_print,
        name="scam_referral_print",
    ),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path(
        "campaigns/<int:pk>/assign/",
        campaign_views.campaign_assign,
        name="campaign_assign",
    ),
    path(
        "campaigns/<int:pk>/report/",
        campaign_views.campaign_report,
        name="campaign_report",
    ),
    path("privacy/subject/", privacy.subject_request, name="privacy_subject"),
    path("v/", volunteer_views.volunteer_app, name="volunteer_app"),
    path("v/team/", volunteer_views.team_roster, name="team_roster"),
    path("v/campaigns/", volunteer_campaigns.campaign_list, name="v_campaigns"),
    path(
        "v/campaigns/<int:pk>/",
        volunteer_campaigns.campaign_households,
        name="v_campaign",
    ),
    path(
        "v/campaigns/<int:pk>/visits/",
        volunteer_campaigns.record_visit,
        name="v_record_visit",
    ),
    path(
        "v/campaigns/<int:pk>/households/new/",
        volunteer_campaigns.add_household,
        name="v_add_household",
    ),
    path(
        "v/visits/<int:pk>/request/",
        volunteer_campaigns.visit_to_request,
        name="v_visit_request",
    ),
    path("v/login/", volunteer_views.phone_login_start, name="phone_login"),
    path("v/login/code/", volunteer_views.phone_login_code, name="phone_login_code"),
    path("v/locks/", volunteer_views.login_locks, name="login_locks"),
    path("v/manifest.webmanifest", volunteer_views.manifest, name="volunteer_manifest"),
    path("v/sw.js", volunteer_views.service_worker, name="volunteer_sw"),
    path("board/", volunteer_views.board, name="board"),
    path("metrics", metrics_views.metrics, name="metrics"),
    path("guides/", guide_views.guide_index, name="guides"),
    path("guides/staff/", guide_views.guide_staff_list, name="guide_staff_list"),
    path("guides/staff/new/", guide_views.guide_edit, name="guide_new"),
    path("guides/staff/<slug:slug>/", guide_views.guide_edit, name="guide_edit"),
    path("guides/<slug:slug>/", guide_views.guide_page, name="guide"),
    path(
        "guides/<slug:slug>/helped/", guide_views.guide_feedback, name="guide_feedback"
    ),
    path(
        "guides/<slug:slug>/poster.svg", guide_views.guide_poster, name="guide_poster"
    ),
    path("g/<slug:keyword>", guide_views.guide_short, name="guide_short"),
]

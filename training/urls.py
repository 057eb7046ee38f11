from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.workshop_list, name="workshops"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("workshops/<int:pk>/qr/", views.qr_screen, name="qr"),
    path("workshops/<int:pk>/qr/fragment/", views.qr_fragment, name="qr_fragment"),
    path("workshops/<int:pk>/checklist/", views.checklist, name="checklist"),
    path(
        "workshops/<int:pk>/checklist/<int:volunteer_pk>/",
        views.checklist_trainee,
        name="checklist_trainee",
    ),
    path(
        "enrolments/<int:pk>/<str:action>/",
        views.enrolment_action,
        name="enrolment_action",
    ),
    path("checkin/<int:workshop_pk>/<str:token>/", views.checkin, name="checkin"),
    path("me/", views.me, name="me"),
    path("quiz/", views.quiz_start, name="quiz"),
    path("quiz/<slug:topic_key>/start/", views.quiz_start, name="quiz_topic"),
    path("quiz/attempts/<int:pk>/", views.quiz_attempt, name="quiz_attempt"),
    path("coverage/", views.coverage, name="coverage"),
    path("certificates/<str:code>/", views.certificate_print, name="certificate"),
    path(
        "certificates/<str:code>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
]

# Public, outside /training/: the address printed in every certificate's QR code.
public_urlpatterns = [
    path("verify/<str:code>", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify),
]

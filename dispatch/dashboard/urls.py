from django.urls import path

from dispatch.dashboard import api, views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.dashboard, name="index"),
    path(
        "dashboard/report/<int:year>/<int:month>/",
        views.monthly_report,
        name="report",
    ),
    path("dashboard/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("dashboard/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.schema, name="api_schema"),
    path("api/v1/requests", api.request_list, name="api_requests"),
    path("api/v1/requests/<str:code>", api.request_detail, name="api_request"),
    path("api/v1/teams", api.team_list, name="api_teams"),
    path("api/v1/kpis", api.kpi_view, name="api_kpis"),
]

"""JSON API /api/v1/: token auth for office staff, filters, pagination, timeline, schema."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dispatch.dashboard import tokens
from dispatch.models import ApiToken
from tests.dispatch.kpi_history import PHONES, build_october
from tests.personas import submit_for_lan

pytestmark = pytest.mark.django_db
OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


def api(key: str | None, path: str, **params) -> tuple[int, dict]:
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    response = Client().get(path, params, **headers)
    return response.status_code, response.json()


@pytest.fixture
def secretary_key(duc_an) -> str:
    return tokens.create_token(user=duc_an.secretary.user, name="bảng tính")[1]


@pytest.fixture
def operator_key(duc_an) -> str:
    return tokens.create_token(user=duc_an.operator.user)[1]


def test_without_a_token_it_answers_401_in_vietnamese(duc_an):
    status, body = api(None, "/api/v1/requests")

    assert status == 401
    assert body["error"] == "unauthorized"
    assert "khoá API" in body["message"]


def test_a_wrong_or_revoked_token_is_refused(duc_an, secretary_key):
    assert api("cn_not-a-real-key", "/api/v1/teams")[0] == 401
    ApiToken.objects.update(revoked_at=timezone.now())

    assert api(secretary_key, "/api/v1/teams")[0] == 401


def test_a_volunteers_token_is_forbidden(duc_an):
    key = tokens.create_token(user=duc_an.an.user)[1]

    status, body = api(key, "/api/v1/kpis")

    assert status == 403
    assert body["error"] == "forbidden"


def test_only_a_hash_of_the_key_is_stored(duc_an, secretary_key):
    token = ApiToken.objects.get()

    assert secretary_key not in (token.key_hash, token.prefix)
    assert secretary_key.startswith("cn_" + token.prefix)


def test_it_pages_through_requests_newest_first(duc_an, secretary_key):
    build_october(duc_an)

    status, first = api(secretary_key, "/api/v1/requests", page_size=4, **OCTOBER)
    _status, second = api(
        secretary_key, "/api/v1/requests", page_size=4, page=2, **OCTOBER
    )

    assert status == 200
    assert (first["count"], first["pages"], first["next"]) == (6, 2, 2)
    assert [r["code"] for r in first["results"]] == ["DA-K3", "DA-K6", "DA-K5", "DA-K4"]
    assert [r["code"] for r in second["results"]] == ["DA-K2", "DA-K1"]
    assert (second["previous"], second["next"]) == (1, None)


def test_it_filters_requests_by_status_category_channel_team_and_village(
    duc_an, secretary_key
):
    build_october(duc_an)

    def codes(**params) -> list[str]:
        body = api(secretary_key, "/api/v1/requests", **OCTOBER, **params)[1]
        return sorted(r["code"] for r in body["results"])

    assert codes(status="accepted") == ["DA-K5"]
    assert codes(category="vneid") == ["DA-K1", "DA-K2"]
    assert codes(channel="voice") == ["DA-K2", "DA-K4"]
    assert codes(team=duc_an.team_thon_5.pk) == ["DA-K3"]
    assert codes(village=duc_an.thon_5.pk) == ["DA-K3", "DA-K6"]


def test_bad_filters_and_pages_are_a_400_with_the_reason(duc_an, secretary_key):
    assert api(secretary_key, "/api/v1/requests", status="lost")[0] == 400
    status, body = api(secretary_key, "/api/v1/requests", team="abc")
    assert status == 400
    assert "team" in body["fields"]
    assert api(secretary_key, "/api/v1/requests", page=99)[0] == 400


def test_resident_phones_are_for_the_secretary_not_the_operator(
    duc_an, secretary_key, operator_key
):
    build_october(duc_an)

    secretary_view = api(secretary_key, "/api/v1/requests", **OCTOBER)[1]
    operator_view = api(operator_key, "/api/v1/requests", **OCTOBER)[1]

    assert PHONES["A"] in {r.get("resident_phone") for r in secretary_view["results"]}
    assert all("resident_phone" not in r for r in operator_view["results"])


def test_a_request_detail_carries_its_timeline(duc_an, secretary_key):
    request = submit_for_lan(duc_an)

    status, body = api(secretary_key, f"/api/v1/requests/{request.code}")

    assert status == 200
    assert body["code"] == request.code
    assert [e["kind"] for e in body["timeline"]][:3] == ["created", "located", "routed"]
    assert api(secretary_key, "/api/v1/requests/DA-NOPE")[0] == 404


def test_teams_come_with_their_on_duty_counts(duc_an, secretary_key):
    body = api(secretary_key, "/api/v1/teams")[1]

    by_name = {t["name"]: t for t in body["results"]}
    assert by_name["Tổ Thôn 1"]["on_duty"] == 1
    assert by_name["Tổ Nam Tiến"]["on_duty"] == 0


def test_kpis_for_a_period_match_the_dashboard(duc_an, secretary_key):
    build_october(duc_an)

    status, body = api(secretary_key, "/api/v1/kpis", **OCTOBER)

    assert status == 200
    summary = body["summary"]
    assert (summary["received"], summary["processed"]) == (6, 4)
    assert summary["on_time_percent"] == 75.0
    assert summary["durations_seconds"]["resolve"]["p90"] == 3000 * 60
    assert len(body["daily"]) == 31


def test_a_logged_in_secretary_may_use_the_api_from_the_browser(duc_an):
    client = Client()
    client.force_login(duc_an.secretary.user)

    assert client.get("/api/v1/teams").status_code == 200


def test_the_openapi_schema_is_served_at_a_stable_url(duc_an):
    response = Client().get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/requests", "/api/v1/requests/{code}", "/api/v1/kpis"):
        assert path in schema["paths"]
    assert "/api/v1/teams" in schema["paths"]


def test_the_tracking_json_still_answers_at_its_old_address(duc_an):
    request = submit_for_lan(duc_an)

    assert Client().get(f"/api/v1/track/{request.code}").status_code == 200


def test_create_api_token_prints_a_working_key(duc_an, capsys):
    call_command("create_api_token", duc_an.secretary.user.username)

    key = capsys.readouterr().out.strip()
    assert api(key, "/api/v1/teams")[0] == 200


def test_an_admin_creates_a_token_and_sees_its_key_once(duc_an):
    admin_user = get_user_model().objects.create_superuser("quantri", password="x")
    client = Client()
    client.force_login(admin_user)

    page = client.post(
        "/admin/dispatch/apitoken/add/",
        {"user": duc_an.secretary.user.pk, "name": "Excel"},
        follow=True,
    )

    text = page.content.decode()
    key = text.split("hãy lưu lại ngay): ", 1)[1].split("<", 1)[0].strip()
    assert api(key, "/api/v1/teams")[0] == 200
    assert key not in client.get("/admin/dispatch/apitoken/").content.decode()


def test_the_secretary_makes_her_own_key_in_the_admin_and_sees_no_one_elses(
    duc_an, operator_key
):
    client = Client()
    client.force_login(duc_an.secretary.user)

    page = client.post(
        "/admin/dispatch/apitoken/add/",
        {"user": duc_an.operator.user.pk, "name": "Excel"},  # "user" is not hers to set
        follow=True,
    )

    key = page.content.decode().split("hãy lưu lại ngay): ", 1)[1].split("<", 1)[0]
    assert tokens.user_for_key(key.strip()) == duc_an.secretary.user
    listed = page.context["cl"].result_list
    assert [token.user for token in listed] == [duc_an.secretary.user]
    operators = ApiToken.objects.get(user=duc_an.operator.user)
    assert (
        client.get(f"/admin/dispatch/apitoken/{operators.pk}/change/").status_code
        == 302
    )


def test_an_admin_revokes_a_token(duc_an, secretary_key):
    admin_user = get_user_model().objects.create_superuser("quantri", password="x")
    client = Client()
    client.force_login(admin_user)

    client.post(
        "/admin/dispatch/apitoken/",
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
    )

    assert api(secretary_key, "/api/v1/teams")[0] == 401

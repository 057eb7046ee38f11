"""Operators and secretaries list open requests and see why a team was chosen."""

from __future__ import annotations

from django.urls import reverse

from teams.models import StaffMember
from tests.personas import make_user, nam_binh_commune, nam_binh_staff, submit_for_lan


def test_the_secretary_sees_open_requests_filtered_by_team(duc_an, client):
    near = submit_for_lan(duc_an)
    far = submit_for_lan(
        duc_an, description="o bon bu bir", resident_phone="0912000333", flags=[]
    )
    client.force_login(duc_an.secretary.user)
    url = reverse("dispatch:request_list")
    html = client.get(url, {"team": duc_an.team_thon_1.pk}).content.decode()
    assert near.code in html
    assert far.code not in html
    html = client.get(url, {"village": duc_an.bu_bir.pk}).content.decode()
    assert far.code in html and near.code not in html


def test_the_detail_page_shows_the_timeline_and_the_routing_reason(duc_an, client):
    request = submit_for_lan(duc_an)
    client.force_login(duc_an.operator.user)
    html = client.get(
        reverse("dispatch:request_detail", args=[request.code])
    ).content.decode()
    assert "Vì sao chọn tổ này" in html
    assert "Tổ Thôn 1" in html and "Tổ Thôn 5" in html and "Tổ Bon Bu Bir" in html
    assert "0.0 km" in html or "0,0 km" in html or "0 km" in html
    assert "đã tiếp nhận yêu cầu" in html.lower()


def test_a_volunteer_cannot_open_the_staff_pages(duc_an, client):
    client.force_login(duc_an.an.user)
    assert client.get(reverse("dispatch:request_list")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("dispatch:request_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_of_another_commune_do_not_see_this_communes_request(duc_an, client):
    stranger = nam_binh_staff(nam_binh_commune(), StaffMember.Role.OPERATOR).user
    request = submit_for_lan(duc_an)
    client.force_login(stranger)
    response = client.get(reverse("dispatch:request_detail", args=[request.code]))
    assert response.status_code == 404


def test_the_admin_shows_a_request_with_its_offers_and_timeline(duc_an, client):
    request = submit_for_lan(duc_an)
    admin = make_user("quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/dispatch/helprequest/", {"q": "0912345678"})
    assert request.code in listing.content.decode()
    page = client.get(f"/admin/dispatch/helprequest/{request.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tổ Thôn 1" in html and "routed" in html

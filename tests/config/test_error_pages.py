"""Error pages speak Vietnamese and point somewhere useful, never Django's English."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_vietnamese_page_with_a_way_to_ask_for_help(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang này" in page
    assert 'href="/help/"' in page
    assert "Not Found" not in page


def test_someone_without_the_right_on_a_staff_page_is_told_in_vietnamese(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_user("khach", password="x"))

    response = client.get("/requests/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền xem trang này" in page
    assert "Forbidden" not in page


def test_a_server_error_page_needs_nothing_but_the_template():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Xin lỗi, hệ thống đang gặp lỗi" in response.content.decode()

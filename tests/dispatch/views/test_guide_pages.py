"""The public guide pages (search, by category, one guide per page, light enough for a
slow phone), the "did this help?" tap, the QR poster, and the secretaries' edit page
with its versions — each role sees what it may."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from dispatch.models import Guide, GuideVersion
from tests.personas import client_for

pytestmark = pytest.mark.django_db
VNEID = "/guides/kich-hoat-vneid-muc-2/"


def test_the_index_lists_every_guide_by_category(client, starter_guides):
    html = client.get("/guides/").content.decode()

    assert "Hướng dẫn thủ tục" in html
    assert "<h2>Kích hoạt VNeID mức 2</h2>" in html  # the category heading
    for guide in Guide.objects.filter(published=True):
        assert f'href="/guides/{guide.slug}/"' in html


def test_search_finds_guides_without_diacritics_and_by_category(client, starter_guides):
    found = client.get("/guides/", {"q": "khai sinh"}).content.decode()
    scams = client.get("/guides/", {"category": "scam"}).content.decode()
    nothing = client.get("/guides/", {"q": "tàu vũ trụ"}).content.decode()

    assert "Đăng ký khai sinh trực tuyến cho con" in found
    assert "Nhận biết 5 kiểu lừa đảo" not in found
    assert "Nhận biết 5 kiểu lừa đảo hay gặp" in scams
    assert "Kích hoạt tài khoản VNeID" not in scams
    assert "Chưa có hướng dẫn nào khớp" in nothing


def test_a_guide_page_shows_steps_papers_fees_place_time_and_mistakes(
    client, starter_guides
):
    html = client.get(VNEID).content.decode()

    assert "<h1>Kích hoạt tài khoản VNeID mức 2</h1>" in html
    assert html.count("<li>") >= 5
    assert "Nhập mã OTP trong tin nhắn." in html
    assert "Giấy tờ cần mang" in html and "Thẻ căn cước gắn chip" in html
    assert "Lệ phí" in html and "Không mất phí." in html
    assert "Công an xã" in html and "Mất bao lâu" in html and "Lỗi hay gặp" in html
    assert "có thể đến tận nhà" in html
    assert "Nhắn HD VNEID" in html
    assert Guide.objects.get(keyword="vneid").view_count == 1


def test_a_guide_page_reads_in_english(client, starter_guides):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(VNEID).content.decode()

    assert "<h1>Activate your level-2 VNeID account</h1>" in html
    assert "Enter the OTP code from the SMS." in html
    assert "Papers to bring" in html and "Common mistakes" in html
    assert "Did this guide help you?" in html


def test_a_guide_page_first_load_is_under_30_kb(client, starter_guides):
    html = client.get(VNEID).content
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
    static_root = Path(settings.BASE_DIR)
    size = len(html)
    for asset in assets:
        name = asset.removeprefix("/static/")
        found = list(static_root.glob(f"*/static/{name}")) + list(
            static_root.glob(f"config/static/{name}")
        )
        assert found, asset
        size += found[0].stat().st_size

    assert size <= 30 * 1024, size


def test_an_unknown_or_hidden_guide_is_not_found(client, starter_guides):
    Guide.objects.filter(keyword="vneid").update(published=False)

    assert client.get(VNEID).status_code == 404
    assert client.get("/guides/khong-co/").status_code == 404


def test_the_short_link_in_the_sms_opens_the_guide(client, starter_guides):
    response = client.get("/g/vneid")

    assert response.status_code == 302 and response["Location"] == VNEID
    assert client.get("/g/khongco")["Location"] == "/guides/"


def test_did_this_help_taps_are_counted_and_thanked(client, starter_guides):
    yes = client.post(f"{VNEID}helped/", {"helped": "yes"}, follow=True)
    client.post(f"{VNEID}helped/", {"helped": "no"})
    client.post(f"{VNEID}helped/", {"helped": "maybe"})

    guide = Guide.objects.get(keyword="vneid")
    assert (guide.helped_yes, guide.helped_no) == (1, 1)
    assert "Cảm ơn bác đã cho biết." in yes.content.decode()


def test_the_qr_poster_is_an_a4_svg_for_office_staff_only(
    client, duc_an, starter_guides
):
    anonymous = client.get(f"{VNEID}poster.svg")
    staff = client_for(duc_an.operator.user).get(f"{VNEID}poster.svg")

    assert anonymous.status_code == 302
    svg = staff.content.decode()
    assert staff["Content-Type"] == "image/svg+xml"
    assert 'width="210mm" height="297mm"' in svg
    assert "Kích hoạt tài khoản VNeID mức 2" in svg
    assert "Nhắn HD VNEID" in svg
    assert f"{settings.PUBLIC_BASE_URL}/g/vneid" in svg
    assert svg.count("<path") >= 1  # the QR code


def _form(guide: Guide, **changes: str) -> dict[str, str]:
    data = {
        name: getattr(guide, name)
        for name in (
            "title_vi", "title_en", "keyword", "aliases", "category", "audience_vi",
            "audience_en", "papers_vi", "papers_en", "fees_vi", "fees_en", "online_url",
            "office_vi", "office_en", "office_hours_vi", "office_hours_en",
            "duration_vi", "duration_en", "mistakes_vi", "mistakes_en", "sms_vi",
            "sms_en",
        )
    }  # fmt: skip
    data["steps_vi"] = "\n".join(s["vi"] for s in guide.steps)
    data["steps_en"] = "\n".join(s["en"] for s in guide.steps)
    data["home_visit"] = "on" if guide.home_visit else ""
    data["published"] = "on"
    data["voice_rank"] = str(guide.voice_rank or "")
    data.update(changes)
    return data


def test_a_secretary_edits_a_guide_and_the_version_says_who_when_what(
    duc_an, starter_guides
):
    guide = starter_guides["vneid"]
    secretary = client_for(duc_an.secretary.user)

    listed = secretary.get("/guides/staff/").content.decode()
    saved = secretary.post(
        "/guides/staff/kich-hoat-vneid-muc-2/",
        _form(guide, fees_vi="Miễn phí hoàn toàn."),
        follow=True,
    )

    assert 'href="/guides/staff/kich-hoat-vneid-muc-2/"' in listed
    html = saved.content.decode()
    assert "Đã lưu hướng dẫn (phiên bản 2)." in html
    version = GuideVersion.objects.get(guide=guide, number=2)
    assert version.edited_by == duc_an.secretary.user
    assert version.changes == {"fees_vi": ["Không mất phí.", "Miễn phí hoàn toàn."]}
    assert "Phiên bản 2" in html and "fees_vi" in html
    assert "Miễn phí hoàn toàn." in secretary.get(VNEID).content.decode()


def test_saving_without_a_change_makes_no_version(duc_an, starter_guides):
    guide = starter_guides["vneid"]
    client_for(duc_an.secretary.user).post(
        "/guides/staff/kich-hoat-vneid-muc-2/", _form(guide)
    )

    assert GuideVersion.objects.filter(guide=guide).count() == 1


def test_an_sms_text_too_long_for_two_segments_is_refused_in_vietnamese(
    duc_an, starter_guides
):
    guide = starter_guides["vneid"]

    response = client_for(duc_an.secretary.user).post(
        "/guides/staff/kich-hoat-vneid-muc-2/", _form(guide, sms_vi="Buoc dai. " * 28)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Có vấn đề cần sửa" in html and "Tin nhắn quá dài: phải vừa 2 tin SMS." in html
    )
    assert Guide.objects.get(pk=guide.pk).version == 1


def test_a_secretary_adds_a_new_guide(duc_an, starter_guides):
    guide = starter_guides["vneid"]
    data = _form(
        guide, keyword="ketHon".lower(), title_vi="Đăng ký kết hôn", voice_rank=""
    )

    client_for(duc_an.secretary.user).post("/guides/staff/new/", data)

    added = Guide.objects.get(keyword="kethon")
    assert added.slug == "kethon" and added.version == 1
    assert added.versions.get().edited_by == duc_an.secretary.user


@pytest.mark.parametrize("who", ["operator", "volunteer", "anonymous"])
def test_only_secretaries_edit_guides(client, duc_an, starter_guides, who):
    user = {"operator": duc_an.operator.user, "volunteer": duc_an.an.user}.get(who)
    browser = client_for(user) if user else client
    guide = starter_guides["vneid"]

    page = browser.get("/guides/staff/")
    post = browser.post(
        "/guides/staff/kich-hoat-vneid-muc-2/", _form(guide, fees_vi="x")
    )

    assert page.status_code in (302, 403) and post.status_code in (302, 403)
    assert "Sửa hướng dẫn thủ tục" not in page.content.decode()
    assert Guide.objects.get(pk=guide.pk).fees_vi == "Không mất phí."


def test_the_dashboard_shows_views_sends_and_helpful_taps_per_guide(
    client, duc_an, starter_guides
):
    client.get(VNEID)
    client.post(f"{VNEID}helped/", {"helped": "yes"})

    html = client_for(duc_an.secretary.user).get("/dashboard/").content.decode()

    assert "Hướng dẫn thủ tục nào giúp được dân" in html
    row = re.search(r"Kích hoạt tài khoản VNeID mức 2</a></td>(.*?)</tr>", html, re.S)
    assert row and re.findall(r"<td>([^<]*)</td>", row.group(1))[:2] == ["1", "0 (0)"]
    assert "1 · 100%" in row.group(1)


def test_a_step_gets_a_picture_and_the_page_shows_it(
    duc_an, starter_guides, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    guide = starter_guides["vneid"]
    png = SimpleUploadedFile(
        "buoc-3.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png"
    )
    secretary = client_for(duc_an.secretary.user)

    secretary.post(
        "/guides/staff/kich-hoat-vneid-muc-2/",
        {**_form(guide), "picture_step": "3", "picture": png},
    )
    refused = secretary.post(
        "/guides/staff/kich-hoat-vneid-muc-2/",
        {
            **_form(guide),
            "picture_step": "3",
            "picture": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
        },
    )

    guide.refresh_from_db()
    assert guide.steps[2]["picture"].startswith("guides/buoc-3")
    assert guide.steps[0]["picture"] == ""
    html = secretary.get(VNEID).content.decode()
    assert 'alt="Hình minh hoạ bước 3"' in html
    assert "Chỉ nhận ảnh PNG, JPEG, WebP hoặc GIF." in refused.content.decode()

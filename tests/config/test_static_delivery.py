"""Static delivery fit for slow links: compressed pages and static files, hashed static
files cached for a year, and a small favicon instead of an error page."""

from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def test_the_favicon_is_a_small_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 2048


@pytest.mark.django_db
def test_pages_are_sent_gzip_compressed_to_browsers_that_accept_it(
    client: Client,
) -> None:
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Nhờ giúp đỡ" in gzip.decompress(response.content).decode()


@pytest.mark.django_db
def test_hashed_static_files_are_precompressed_and_cached_for_a_year(
    tmp_path,
) -> None:
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=MANIFEST, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = static("css/app.css")
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        b"".join(response.streaming_content)
    assert url != "/static/css/app.css"  # named by its content's hash
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]

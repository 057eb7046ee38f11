"""QR posters for the villages: the list, one village's poster, and all as a ZIP."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dispatch.permissions import staff_required
from dispatch.views import poster_sheets
from dispatch.views.help import staff_commune
from teams.models import Village


@staff_required
def poster_list(request: HttpRequest) -> HttpResponse:
    commune = staff_commune(request)
    villages = Village.objects.filter(commune=commune).order_by("number")
    return render(
        request, "dispatch/posters.html", {"commune": commune, "villages": villages}
    )


@staff_required
def poster_one(request: HttpRequest, village_slug: str) -> HttpResponse:
    commune = staff_commune(request)
    village = Village.objects.filter(commune=commune, slug=village_slug).first()
    if village is None:
        raise Http404(_("Không tìm thấy thôn, bon này."))
    response = HttpResponse(
        poster_sheets.poster_svg(village), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'inline; filename="{village.slug}.svg"'
    return response


@staff_required
def poster_all(request: HttpRequest) -> HttpResponse:
    commune = staff_commune(request)
    villages = list(Village.objects.filter(commune=commune).order_by("number"))
    response = HttpResponse(
        poster_sheets.posters_zip(villages), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="ap-phich-thon-bon.zip"'
    return response

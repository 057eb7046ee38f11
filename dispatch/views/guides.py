"""Procedure guides: the public catalogue and pages residents reach by QR or SMS link,
the "did this help?" tap, the QR poster, and the secretaries' edit page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispatch import permissions
from dispatch.guides import selectors, services
from dispatch.guides.sms import short_link
from dispatch.intake import limits
from dispatch.models import Category, Guide
from dispatch.views import poster_sheets
from dispatch.views.guide_forms import GuideForm
from dispatch.views.help import staff_commune

FEEDBACK_PER_HOUR = 20


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def localized(guide: Guide) -> dict[str, Any]:
    """The guide's facts in the page's language (Vietnamese when a text is missing)."""
    en = _english()

    def pick(name: str) -> str:
        vi_text = getattr(guide, f"{name}_vi")
        return (getattr(guide, f"{name}_en") or vi_text) if en else vi_text

    def lines(name: str) -> list[str]:
        return [line for line in pick(name).splitlines() if line.strip()]

    return {
        "guide": guide,
        "title": pick("title"),
        "audience": pick("audience"),
        "steps": [
            {
                "text": (s.get("en") or s["vi"]) if en else s["vi"],
                "picture": default_storage.url(s["picture"])
                if s.get("picture")
                else "",
            }
            for s in guide.steps
        ],
        "papers": lines("papers"),
        "fees": pick("fees"),
        "office": pick("office"),
        "office_hours": pick("office_hours"),
        "duration": pick("duration"),
        "mistakes": lines("mistakes"),
        "category_label": Category(guide.category).label,
        "short_link": short_link(guide),
    }


@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:80]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    found = selectors.search(query, category=category)
    groups = [
        (label, [localized(g) for g in found if g.category == value])
        for value, label in Category.choices
    ]
    context = {
        "groups": [(label, items) for label, items in groups if items],
        "query": query,
        "category": category,
        "categories": Category.choices,
        "count": len(found),
    }
    return render(request, "dispatch/guides/index.html", context)


@require_GET
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_by_slug(slug)
    if guide is None:
        raise Http404(_("Không có hướng dẫn này."))
    services.record_view(guide=guide)
    context = {
        "g": localized(guide),
        "thanks": request.GET.get("thanks") == "1",
        "staff": permissions.may_use_office_pages(user=request.user),
    }
    return render(request, "dispatch/guides/page.html", context)


@require_GET
def guide_short(request: HttpRequest, keyword: str) -> HttpResponse:
    """`/g/<keyword>`: the short link in the guide's SMS."""
    guide = Guide.objects.filter(keyword=keyword.lower(), published=True).first()
    if guide is None:
        return redirect("dispatch:guides")
    return redirect("dispatch:guide", slug=guide.slug)


@require_POST
def guide_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_by_slug(slug)
    if guide is None:
        raise Http404(_("Không có hướng dẫn này."))
    allowed = limits.allow(
        scope=f"guide-feedback:{guide.pk}",
        client=limits.client_key(request),
        limit=FEEDBACK_PER_HOUR,
        window=3600,
    )
    if allowed and request.POST.get("helped") in ("yes", "no"):
        services.record_feedback(guide=guide, helped=request.POST["helped"] == "yes")
    return redirect(reverse("dispatch:guide", args=[guide.slug]) + "?thanks=1#feedback")


@permissions.staff_required
@require_GET
def guide_poster(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_by_slug(slug)
    if guide is None:
        raise Http404(_("Không có hướng dẫn này."))
    svg = poster_sheets.guide_poster_svg(guide, commune=staff_commune(request))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="huong-dan-{guide.slug}.svg"'
    return response


@permissions.guide_editor_required
@require_GET
def guide_staff_list(request: HttpRequest) -> HttpResponse:
    context = {
        "guides": Guide.objects.order_by("category", "title_vi"),
        "figures": selectors.guide_figures(),
    }
    return render(request, "dispatch/guides/staff_list.html", context)


@permissions.guide_editor_required
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, slug: str = "") -> HttpResponse:
    guide = selectors.guide_by_slug(slug, include_hidden=True) if slug else None
    if slug and guide is None:
        raise Http404(_("Không có hướng dẫn này."))
    form = GuideForm(request.POST or None, request.FILES or None, instance=guide)
    if request.method == "POST" and form.is_valid():
        picture = form.cleaned_data.get("picture")
        path = (
            default_storage.save(f"guides/{picture.name}", picture) if picture else ""
        )
        values = form.values(picture_path=path)
        if guide is None:
            values["slug"] = form.cleaned_data["keyword"]
        saved = services.save_guide(guide=guide, values=values, user=request.user)
        messages.success(
            request, _("Đã lưu hướng dẫn (phiên bản %(n)s).") % {"n": saved.version}
        )
        return redirect("dispatch:guide_edit", slug=saved.slug)
    context = {
        "form": form,
        "guide": guide,
        "versions": guide.versions.select_related("edited_by")[:20] if guide else [],
        "public_url": settings.PUBLIC_BASE_URL,
    }
    return render(
        request,
        "dispatch/guides/edit.html",
        context,
        status=400 if form.errors else 200,
    )

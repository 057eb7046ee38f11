"""Reading guides: the public catalogue, search, the SMS keyword, and their figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from dispatch.models import Guide, GuideSend, HelpRequest
from teams.text import fold


def published_guides() -> QuerySet[Guide]:
    return Guide.objects.filter(published=True)


def guide_by_slug(slug: str, *, include_hidden: bool = False) -> Guide | None:
    guides = Guide.objects.all() if include_hidden else published_guides()
    return guides.filter(slug=slug).first()


def guide_for_keyword(words: str) -> Guide | None:
    """The published guide residents asked for with `HD <words>` (folded match).

    Tried in order: the keyword, an alias, then the words joined (`tien dien` →
    `tiendien`), then a guide whose Vietnamese title holds every word.
    """
    folded = fold(words)
    if not folded:
        return None
    joined = folded.replace(" ", "")
    for guide in published_guides():
        names = {guide.keyword, *fold(guide.aliases).split()}
        if joined in names or folded in names:
            return guide
    tokens = folded.split()
    for guide in published_guides():
        title = f" {fold(guide.title_vi)} "
        if all(f" {token} " in title for token in tokens):
            return guide
    return None


def guide_titles() -> dict[str, str]:
    """Slug → title in the current language, for the volunteer app's guide list."""
    english = (get_language() or "vi").startswith("en")
    return {
        g.slug: (g.title_en or g.title_vi) if english else g.title_vi
        for g in published_guides().order_by("category", "title_vi")
    }


def sent_for_request(request: HelpRequest) -> list[str]:
    """Slugs of the guides already sent to this request's resident, oldest first."""
    slugs = GuideSend.objects.filter(request=request).order_by("sent_at")
    return list(dict.fromkeys(slugs.values_list("guide__slug", flat=True)))


def keywords() -> list[str]:
    return list(
        published_guides().order_by("keyword").values_list("keyword", flat=True)
    )


def search(query: str = "", *, category: str = "") -> list[Guide]:
    """Published guides whose title, audience, keywords or steps hold every word."""
    guides = list(published_guides())
    if category:
        guides = [g for g in guides if g.category == category]
    words = fold(query).split()
    if not words:
        return guides
    found = []
    for guide in guides:
        haystack = (
            " "
            + fold(
                " ".join(
                    [
                        guide.title_vi,
                        guide.title_en,
                        guide.keyword,
                        guide.aliases,
                        guide.audience_vi,
                        guide.audience_en,
                        *(
                            step.get("vi", "") + " " + step.get("en", "")
                            for step in guide.steps
                        ),
                    ]
                )
            )
            + " "
        )
        if all(f" {w}" in haystack for w in words):
            found.append(guide)
    return found


def guides_for_category(category: str, *, limit: int = 3) -> list[Guide]:
    """Guides to suggest for a request of this category (voice-menu order first)."""
    guides = published_guides().filter(category=category)
    return sorted(guides, key=lambda g: (g.voice_rank is None, g.voice_rank or 0))[
        :limit
    ]


def voice_guides(*, limit: int = 8) -> list[Guide]:
    """The guides the voice line reads after "bấm 8", keyed 1… in this order."""
    return list(
        published_guides()
        .filter(voice_rank__isnull=False)
        .order_by("voice_rank")[:limit]
    )


@dataclass(frozen=True)
class GuideFigures:
    guide: Guide
    views: int
    sends: int
    sends_recent: int
    helped_yes: int
    helped_no: int

    @property
    def helpful_share(self) -> int | None:
        """Percent of "did this help?" taps that said yes (None before any tap)."""
        taps = self.helped_yes + self.helped_no
        return round(100 * self.helped_yes / taps) if taps else None


def guide_figures(
    *, commune_id: int | None = None, days: int = 30
) -> list[GuideFigures]:
    """Views, sends and "did this help?" per guide, most used first.

    Views and taps are counted for the whole catalogue (the public pages have no
    commune); sends are the commune's when `commune_id` is given.
    """
    since = timezone.now() - timedelta(days=days)
    scope = Q(sends__commune_id=commune_id) if commune_id else Q()
    guides = Guide.objects.annotate(
        send_count=Count("sends", filter=scope),
        recent_count=Count("sends", filter=scope & Q(sends__sent_at__gte=since)),
    )
    rows = [
        GuideFigures(
            guide=g,
            views=g.view_count,
            sends=g.send_count,
            sends_recent=g.recent_count,
            helped_yes=g.helped_yes,
            helped_no=g.helped_no,
        )
        for g in guides
    ]
    return sorted(rows, key=lambda r: (-(r.sends + r.views), r.guide.title_vi))


def sends_by_via(*, guide: Guide) -> dict[str, int]:
    rows = GuideSend.objects.filter(guide=guide).values("via").annotate(n=Count("id"))
    return {row["via"]: row["n"] for row in rows}

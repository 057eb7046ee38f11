"""Pages of the registry: the staff home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve

from teams.selectors import communes_for_staff, team_overview

VOLUNTEER_HOME = "/v/"


def home(request: HttpRequest) -> HttpResponse:
    """Residents (not signed in) see how to ask for help or track a code, beside the
    staff login; staff see every team with its counts; volunteers go to their page."""
    if not request.user.is_authenticated:
        return render(request, "teams/welcome.html")
    return _signed_in_home(request)


@login_required
def _signed_in_home(request: HttpRequest) -> HttpResponse:
    communes = communes_for_staff(request.user)
    if not (request.user.is_staff or hasattr(request.user, "staff_member")):
        if hasattr(request.user, "volunteer") and _exists(VOLUNTEER_HOME):
            return redirect(VOLUNTEER_HOME)
        return render(request, "teams/no_staff_home.html", status=200)
    overview = [(c, list(team_overview(commune=c))) for c in communes]
    return render(request, "teams/home.html", {"overview": overview})


def _exists(url: str) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True

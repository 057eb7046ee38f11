"""The notices page: write a short notice to volunteers, see the recent ones and who
got each (dispatch/help_requests/team_notices.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dispatch import permissions
from dispatch.errors import DispatchError
from dispatch.help_requests import team_notices
from teams.models import SupportTeam

EVERYONE, TEAMS = "everyone", "teams"


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung thông báo"),
        max_length=team_notices.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tối đa 150 ký tự, vừa một tin SMS cho người không mở ứng dụng."),
    )
    audience = forms.ChoiceField(
        label=_("Gửi cho"),
        choices=[(EVERYONE, _("Mọi người đang trực")), (TEAMS, _("Các tổ được chọn"))],
        widget=forms.RadioSelect,
        initial=TEAMS,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Tổ"),
        queryset=SupportTeam.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commune, own_team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.own_team = own_team
        if own_team is not None:  # a team leader writes to their own team only
            del self.fields["audience"]
            del self.fields["teams"]
        else:
            self.fields["teams"].queryset = SupportTeam.objects.filter(
                commune=commune, active=True
            ).order_by("name")

    def chosen_teams(self) -> list[SupportTeam] | None:
        if self.own_team is not None:
            return [self.own_team]
        if self.cleaned_data["audience"] == EVERYONE:
            return None
        return list(self.cleaned_data["teams"])


@login_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    scope = permissions.notice_scope(user=request.user)
    if scope is None:
        raise PermissionDenied
    commune, own_team = scope
    form = NoticeForm(request.POST or None, commune=commune, own_team=own_team)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = team_notices.send_notice(
                    author=request.user,
                    commune=commune,
                    text=form.cleaned_data["text"],
                    teams=form.chosen_teams(),
                )
            except DispatchError as error:
                form.add_error(None, error.message)
            else:
                count = notice.deliveries.count()
                messages.success(
                    request,
                    _("Đã gửi thông báo cho %(n)s người.") % {"n": count},
                )
                return redirect("dispatch:notices")
        status = 400
    context = {
        "form": form,
        "own_team": own_team,
        "sent": team_notices.recent_notices_sent(commune=commune),
    }
    return render(request, "dispatch/notices.html", context, status=status)

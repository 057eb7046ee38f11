"""Forms of the request page's office actions (dispatch/help_requests/management.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.help_requests import rules, selectors
from dispatch.models import CancelReason, Category, HelpRequest, Outcome, Priority
from dispatch.views.forms import FLAG_CHOICES
from teams.models import SupportTeam, Village, Volunteer


class EditForm(forms.Form):
    category = forms.ChoiceField(label=_("Loại việc"), choices=Category.choices)
    priority = forms.TypedChoiceField(
        label=_("Mức ưu tiên"), choices=Priority.choices, coerce=int
    )
    flags = forms.MultipleChoiceField(
        label=_("Hoàn cảnh"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    village = forms.ModelChoiceField(
        label=_("Thôn, bon"), queryset=Village.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "category": help_request.category,
                "priority": help_request.priority,
                "flags": [
                    name
                    for name, field in rules.FLAG_FIELDS.items()
                    if getattr(help_request, field)
                ],
                "village": help_request.village_id,
                "description": help_request.description,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(
            commune_id=help_request.commune_id
        ).order_by("number", "name")

    def clean(self) -> dict:
        """Flags as the service takes them: every flag field, set or not."""
        data = super().clean()
        chosen = set(data.get("flags") or ())
        data["flags"] = {f: n in chosen for n, f in rules.FLAG_FIELDS.items()}
        return data


class CodeField(forms.CharField):
    """Another request of the same commune, by its tracking code."""

    def __init__(self, *args, commune_id: int | None = None, **kwargs) -> None:
        self.commune_id = commune_id
        super().__init__(*args, max_length=20, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = selectors.request_by_code(value)
        if found is None or found.commune_id != self.commune_id:
            raise forms.ValidationError(_("Không tìm thấy yêu cầu có mã này trong xã."))
        return found


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do hủy"), choices=CancelReason.choices, widget=forms.RadioSelect
    )
    duplicate_of = CodeField(label=_("Trùng với yêu cầu mã"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicate_of"].commune_id = help_request.commune_id

    def clean(self):
        data = super().clean()
        if data.get("reason") == CancelReason.DUPLICATE and not data.get(
            "duplicate_of"
        ):
            self.add_error(
                "duplicate_of", _("Hãy ghi mã của yêu cầu mà yêu cầu này trùng.")
            )
        return data


class MergeForm(forms.Form):
    duplicate = CodeField(label=_("Mã yêu cầu trùng (sẽ gộp vào yêu cầu này)"))

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].commune_id = help_request.commune_id


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False)

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300)

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú nội bộ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Tình nguyện viên"),
        queryset=Volunteer.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(
        label=_("Hoặc mời cả tổ"), queryset=SupportTeam.objects.none(), required=False
    )

    def __init__(self, *args, help_request: HelpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        commune_id = help_request.commune_id
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            team__commune_id=commune_id, active=True
        ).select_related("team")
        self.fields["team"].queryset = SupportTeam.objects.filter(
            commune_id=commune_id, active=True
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("volunteer") and not data.get("team"):
            raise forms.ValidationError(_("Hãy chọn một người hoặc một tổ."))
        return data

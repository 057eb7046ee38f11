"""The staff form that edits a guide: one field per fact, steps one per line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.guides import sms as guide_sms
from dispatch.models import Category, Guide

PICTURE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
MAX_PICTURE_BYTES = 300 * 1024
TEXT_FIELDS = (
    "title_vi", "title_en", "keyword", "aliases", "audience_vi", "audience_en",
    "papers_vi", "papers_en", "fees_vi", "fees_en", "online_url", "office_vi",
    "office_en", "office_hours_vi", "office_hours_en", "duration_vi", "duration_en",
    "mistakes_vi", "mistakes_en", "sms_vi", "sms_en",
)  # fmt: skip


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GuideForm(forms.ModelForm):
    steps_vi = forms.CharField(
        label=_("Các bước (mỗi dòng một bước)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    steps_en = forms.CharField(
        label=_("Các bước, tiếng Anh (mỗi dòng một bước, cùng thứ tự)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    online_url = forms.URLField(
        label=_("làm trực tuyến tại"), required=False, assume_scheme="https"
    )
    picture_step = forms.IntegerField(
        label=_("Thêm ảnh cho bước số"), min_value=1, max_value=12, required=False
    )
    picture = forms.FileField(
        label=_("Ảnh minh hoạ (PNG, JPEG, WebP; dưới 300 KB)"), required=False
    )

    class Meta:
        model = Guide
        fields = [*TEXT_FIELDS[:4], "category", *TEXT_FIELDS[4:], "home_visit"]
        fields += ["voice_rank", "published"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("papers_vi", "papers_en", "mistakes_vi", "mistakes_en")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
        self.fields["papers_vi"].help_text = _("Mỗi dòng một giấy tờ.")
        self.fields["mistakes_vi"].help_text = _("Mỗi dòng một lỗi.")
        self.fields["sms_vi"].help_text = _(
            "3–5 bước chính, không dấu cũng được: cùng đường link phải vừa 2 tin SMS."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["steps_vi"] = "\n".join(s["vi"] for s in self.instance.steps)
            self.initial["steps_en"] = "\n".join(s["en"] for s in self.instance.steps)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        vi, en = _lines(data.get("steps_vi", "")), _lines(data.get("steps_en", ""))
        if vi and en and len(vi) != len(en):
            self.add_error(
                "steps_en", _("Số bước tiếng Anh phải bằng số bước tiếng Việt.")
            )
        for name in ("sms_vi", "sms_en"):
            text = data.get(name, "")
            if text and not guide_sms.fits(text, keyword=data.get("keyword", "")):
                self.add_error(name, _("Tin nhắn quá dài: phải vừa 2 tin SMS."))
        picture = data.get("picture")
        if picture is not None:
            if picture.content_type not in PICTURE_TYPES:
                self.add_error("picture", _("Chỉ nhận ảnh PNG, JPEG, WebP hoặc GIF."))
            elif picture.size > MAX_PICTURE_BYTES:
                self.add_error("picture", _("Ảnh phải dưới 300 KB."))
            if not data.get("picture_step") or data["picture_step"] > len(vi):
                self.add_error("picture_step", _("Chọn số của một bước có sẵn."))
        return data

    def values(self, *, picture_path: str = "") -> dict[str, Any]:
        """The cleaned values as `save_guide` takes them (steps as one list)."""
        data = self.cleaned_data
        old = list(self.instance.steps or [])
        steps = []
        for i, (vi, en) in enumerate(
            zip(_lines(data["steps_vi"]), _lines(data["steps_en"]), strict=True)
        ):
            picture = old[i].get("picture", "") if i < len(old) else ""
            if picture_path and data.get("picture_step") == i + 1:
                picture = picture_path
            steps.append({"vi": vi, "en": en, "picture": picture})
        values = {name: data[name] for name in self.Meta.fields}
        values["steps"] = steps
        return values

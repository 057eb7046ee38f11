"""The voice line in minority languages: staff record each IVR prompt (upload a file or
use the browser's microphone); Twilio fetches the recordings from a public address."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dispatch.intake import voice_prompts
from dispatch.models import VoicePrompt
from dispatch.permissions import staff_required
from dispatch.views.help import staff_commune


@require_GET
def voice_prompt_audio(request: HttpRequest, pk: int) -> FileResponse:
    """Public: the IVR prompts are what any caller hears anyway."""
    prompt = get_object_or_404(VoicePrompt, pk=pk)
    if not prompt.audio:
        raise Http404()
    kind = mimetypes.guess_type(prompt.audio.name)[0] or "application/octet-stream"
    return FileResponse(prompt.audio.open("rb"), content_type=kind)


@staff_required
@require_http_methods(["GET", "POST"])
def voice_prompt_list(request: HttpRequest) -> HttpResponse:
    commune = staff_commune(request)
    if request.method == "POST":
        audio = request.FILES.get("audio")
        if audio is None or audio.size > voice_prompts.MAX_AUDIO_BYTES:
            messages.error(request, _("Hãy chọn một tệp âm thanh dưới 5 MB."))
            return redirect("dispatch:voice_prompts")
        try:
            voice_prompts.save_recording(
                commune=commune,
                language=request.POST.get("language", ""),
                key=request.POST.get("key", ""),
                audio=audio,
                user=request.user,
            )
        except ValueError:
            messages.error(request, _("Không rõ lời nhắc hay ngôn ngữ này."))
        else:
            messages.success(request, _("Đã lưu bản ghi âm."))
        return redirect("dispatch:voice_prompts")
    recorded = {
        (p.key, p.language): p for p in VoicePrompt.objects.filter(commune=commune)
    }
    rows = [
        {
            "key": key,
            "text": text,
            "cells": [
                (code, voice_prompts.language_name(code), recorded.get((key, code)))
                for code in voice_prompts.RECORDABLE_LANGUAGES
            ],
        }
        for key, text in voice_prompts.PROMPTS.items()
    ]
    return render(request, "dispatch/voice_prompts.html", {"rows": rows})

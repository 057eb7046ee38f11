"""IVR prompts a commune can record in a minority language (M'Nông, K'Ho…).

`PROMPTS` lists every fixed prompt of the voice line with its Vietnamese text (the one
read by text-to-speech); the voice line plays a commune's recording of a prompt to
callers who chose that language and reads the Vietnamese text for any prompt not yet
recorded. Prompts that carry a code or a number are always read in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dispatch.models import VoicePrompt
from teams.models import LANGUAGE_NAMES, Commune

# The first menu offers these keys for the languages a commune has recorded.
LANGUAGE_KEYS = {"7": "mnong", "8": "koho"}
RECORDABLE_LANGUAGES = tuple(LANGUAGE_KEYS.values())
AUDIO_TYPES = ("audio/mpeg", "audio/wav", "audio/x-wav", "audio/ogg", "audio/webm")
MAX_AUDIO_BYTES = 5 * 1024 * 1024

PROMPTS = {
    "welcome": _(
        "Cầu Nối xin chào. Cuộc gọi có thể được ghi âm để tổ hỗ trợ nghe lại."
        " Nếu không đồng ý ghi âm, bạn chỉ cần không để lại lời nhắn."
    ),
    "menu": _(
        "Bấm 1: VNeID, định danh điện tử. Bấm 2: dịch vụ công và hồ sơ."
        " Bấm 3: thanh toán điện tử. Bấm 4: nghi bị lừa đảo, khẩn cấp."
        " Bấm 0: gặp tổng đài viên. Bấm 9: nghe tình trạng yêu cầu bằng mã."
    ),
    "not_understood": _("Xin lỗi, chúng tôi chưa nhận được lựa chọn của bạn."),
    "village": _(
        "Nhập số thôn, bon của bạn gồm hai chữ số, ví dụ 0 5 cho thôn 5."
        " Nếu không biết, bấm phím sao."
    ),
    "consent": _(
        "Bấm 1 để đồng ý cho tổ hỗ trợ lưu số điện thoại và ghi âm lời nhắn của bạn."
        " Bấm 2 để chỉ lưu số điện thoại, không ghi âm."
    ),
    "record": _(
        "Sau tiếng bíp, hãy nói ngắn gọn việc cần giúp rồi bấm phím thăng."
        " Nếu không muốn để lại lời nhắn, bấm phím thăng ngay."
    ),
    "goodbye": _("Cảm ơn bạn đã gọi Cầu Nối. Xin chào."),
}


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def recorded_languages(commune: Commune | None) -> list[str]:
    """Languages this commune has at least one recording in, in menu-key order."""
    if commune is None:
        return []
    have = set(commune.voice_prompts.values_list("language", flat=True))
    return [code for code in RECORDABLE_LANGUAGES if code in have]


def recordings(*, commune: Commune | None, language: str) -> dict[str, str]:
    """Prompt key → the public URL Twilio fetches the recording from."""
    if commune is None or language not in RECORDABLE_LANGUAGES:
        return {}
    base = settings.PUBLIC_BASE_URL
    return {
        prompt.key: base + reverse("dispatch:voice_prompt_audio", args=[prompt.pk])
        for prompt in commune.voice_prompts.filter(language=language)
    }


def save_recording(
    *, commune: Commune, language: str, key: str, audio: UploadedFile, user: Any
) -> VoicePrompt:
    """Store (or replace) the commune's recording of one prompt in one language."""
    if language not in RECORDABLE_LANGUAGES or key not in PROMPTS:
        raise ValueError("unknown prompt or language")
    with transaction.atomic():
        prompt, _created = VoicePrompt.objects.select_for_update().get_or_create(
            commune=commune, language=language, key=key, defaults={"audio": audio}
        )
        if not _created:
            prompt.audio.delete(save=False)
            prompt.audio = audio
        prompt.uploaded_by = user if getattr(user, "pk", None) else None
        prompt.save()
    return prompt

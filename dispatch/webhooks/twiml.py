"""Every TwiML document we answer with, built in one place from translatable texts.

Voice: keypad first, so any phone works; prompts in Vietnamese with a Google vi-VN
voice (Amazon Polly has none). The flow keeps its state in the action URLs' query
strings, which Twilio signs with the rest of the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, Record, VoiceResponse

from dispatch.help_requests import codes
from dispatch.intake import voice_prompts

VOICE_BASE = "/hooks/twilio/voice"
# Keypad → request category (DESIGN: 1 VNeID, 2 portal / dossier, 3 e-payment, 4 scam).


@dataclass(frozen=True)
class Voice:
    """The caller's language and the commune's recordings in it (key → URL)."""

    language: str = "vi"
    recordings: dict[str, str] = field(default_factory=dict)
    offered: tuple[str, ...] = ()  # recorded languages the first menu offers

    @property
    def lang(self) -> str:
        """The value carried in action URLs ("" for Vietnamese)."""
        return "" if self.language == "vi" else self.language


VIETNAMESE = Voice()


def _prompt(target: VoiceResponse | Gather, key: str, voice: Voice) -> None:
    """Play the commune's recording of `key` in the caller's language, else say it."""
    url = voice.recordings.get(key)
    if url:
        target.play(url)
    else:
        _say(target, str(voice_prompts.PROMPTS[key]))


def xml(response: MessagingResponse | VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def messaging_ack() -> HttpResponse:
    """An empty `<Response/>`: Twilio logs error 11200 for an empty body."""
    return xml(MessagingResponse())


def step_url(step: str = "", **state: object) -> str:
    path = f"{VOICE_BASE}/{step}" if step else VOICE_BASE
    query = urlencode({k: v for k, v in state.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _one_key(action: str) -> Gather:
    """A one-key menu that posts to `action` even when no key was pressed."""
    return Gather(
        num_digits=1,
        timeout=6,
        action=action,
        method="POST",
        action_on_empty_result=True,
    )


def _say(target: VoiceResponse | Gather, text: str) -> None:
    target.say(text, voice=settings.TWILIO_VOICE, language="vi-VN")


def spell_code(code: str) -> str:
    """`DA-7K3Q9XY` → `dê, a, bảy, ca, …`: Vietnamese letter names, one at a time."""
    return codes.spoken_code(code)


def welcome(
    *, open_code: str = "", open_status: str = "", voice: Voice = VIETNAMESE
) -> HttpResponse:
    response = VoiceResponse()
    _prompt(response, "welcome", voice)
    if open_code:
        _open_request(response, code=open_code, status=open_status)
    else:
        response.redirect(step_url("menu"), method="POST")
    return xml(response)


def open_request(*, code: str, status: str) -> HttpResponse:
    response = VoiceResponse()
    _open_request(response, code=code, status=status)
    return xml(response)


def _open_request(response: VoiceResponse, *, code: str, status: str) -> None:
    gather = Gather(
        num_digits=1, timeout=6, action=step_url("open", code=code), method="POST"
    )
    _say(
        gather,
        _("Yêu cầu %(code)s của bạn: %(status)s.")
        % {"code": spell_code(code), "status": status},
    )
    _say(gather, _("Bấm 9 để nghe lại. Bấm 1 để gửi yêu cầu mới."))
    response.append(gather)
    goodbye_into(response)


def rate_prompt(*, code: str) -> HttpResponse:
    """A caller whose request was resolved: rate it 1–5 by keypad, or 0 if not done."""
    response = VoiceResponse()
    gather = _one_key(step_url("rate", code=code))
    _say(
        gather,
        _(
            "Yêu cầu %(code)s của bạn đã xong. Để đánh giá, bấm một phím từ 1 đến 5:"
            " 1 là tệ, 5 là rất tốt. Nếu việc chưa xong, bấm 0."
            " Để gửi yêu cầu mới, bấm phím sao."
        )
        % {"code": spell_code(code)},
    )
    response.append(gather)
    response.redirect(step_url("menu"), method="POST")
    return xml(response)


def rated_by_voice(*, outcome: str) -> HttpResponse:
    response = VoiceResponse()
    if outcome == "rated":
        _say(response, _("Cảm ơn bạn đã đánh giá."))
    elif outcome == "reopened":
        _say(response, _("Đã báo lại cho tổ hỗ trợ. Tổ sẽ gọi lại cho bạn."))
    goodbye_into(response)
    return xml(response)


def menu(*, attempt: int, voice: Voice = VIETNAMESE) -> HttpResponse:
    """The first menu; it also offers each language the commune has recorded."""
    response = VoiceResponse()
    action = step_url("category", attempt=attempt, lang=voice.lang)
    gather = _one_key(action)
    _prompt(gather, "menu", voice)
    for key, language in voice_prompts.LANGUAGE_KEYS.items():
        if language in voice.offered:
            _say(
                gather,
                _("Bấm %(key)s để nghe %(language)s.")
                % {"key": key, "language": voice_prompts.language_name(language)},
            )
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def not_understood(*, next_url: str, voice: Voice = VIETNAMESE) -> HttpResponse:
    response = VoiceResponse()
    _prompt(response, "not_understood", voice)
    response.redirect(next_url, method="POST")
    return xml(response)


def dial_operator(
    *, number: str, fallback_url: str, after_url: str = ""
) -> HttpResponse:
    """Put the caller through; Twilio posts the outcome to `after_url` (busy, no answer
    → the caller is offered a call back instead of being hung up on)."""
    response = VoiceResponse()
    if not number:
        _say(response, _("Hiện chưa có tổng đài viên trực. Mời bạn chọn lại."))
        response.redirect(fallback_url, method="POST")
        return xml(response)
    _say(response, _("Đang nối máy tới tổng đài viên, xin chờ trong giây lát."))
    if after_url:
        response.dial(
            number, timeout=25, answer_on_bridge=True, action=after_url, method="POST"
        )
    else:
        response.dial(number, timeout=25, answer_on_bridge=True)
    return xml(response)


def _keys(action: str, *, digits: int, timeout: int = 8) -> Gather:
    return Gather(
        num_digits=digits,
        finish_on_key="#",
        timeout=timeout,
        action=action,
        method="POST",
        action_on_empty_result=True,
    )


def callback_village(*, attempt: int) -> HttpResponse:
    """The operator did not answer: ask the village for the call-back request."""
    response = VoiceResponse()
    action = step_url("callback-village", attempt=attempt)
    gather = _keys(action, digits=2)
    _say(
        gather,
        _(
            "Tổng đài viên chưa nghe máy được. Để tổng đài gọi lại cho bạn,"
            " nhập số thôn, bon của bạn gồm hai chữ số. Không biết thì bấm phím sao."
        ),
    )
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def callback_confirm(*, village: str, phone: str) -> HttpResponse:
    response = VoiceResponse()
    action = step_url("callback-confirm", village=village, phone=phone)
    gather = _one_key(action)
    _say(
        gather,
        _("Tổng đài sẽ gọi lại số: %(phone)s. Bấm 1 để đồng ý. Bấm 2 để nhập số khác.")
        % {"phone": codes.spoken_code(phone)},
    )
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def callback_number(*, village: str) -> HttpResponse:
    response = VoiceResponse()
    action = step_url("callback-number", village=village)
    gather = _keys(action, digits=11, timeout=12)
    _say(gather, _("Nhập số điện thoại cần gọi lại, rồi bấm phím thăng."))
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def callback_done(*, code: str) -> HttpResponse:
    response = VoiceResponse()
    _say(
        response,
        _(
            "Đã ghi lại. Tổng đài sẽ gọi lại cho bạn sớm."
            " Mã theo dõi của bạn là: %(code)s."
        )
        % {"code": spell_code(code)},
    )
    goodbye_into(response)
    return xml(response)


def status_ask() -> HttpResponse:
    """Status by code from any phone: the code's 7 characters keyed as digits."""
    response = VoiceResponse()
    action = step_url("status-code")
    gather = _keys(action, digits=7, timeout=12)
    _say(
        gather,
        _(
            "Nhập 7 ký tự sau dấu gạch của mã theo dõi. Số thì bấm số đó;"
            " chữ cái thì bấm phím có chữ đó, ví dụ chữ K bấm phím 5."
        ),
    )
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def status_heard(*, code: str, status: str) -> HttpResponse:
    response = VoiceResponse()
    _say(
        response,
        _("Yêu cầu %(code)s: %(status)s.")
        % {"code": spell_code(code), "status": status},
    )
    goodbye_into(response)
    return xml(response)


def village(*, category: str, attempt: int, voice: Voice = VIETNAMESE) -> HttpResponse:
    response = VoiceResponse()
    action = step_url(
        "village-done", category=category, attempt=attempt, lang=voice.lang
    )
    gather = Gather(
        num_digits=2,
        finish_on_key="#",
        timeout=8,
        action=action,
        method="POST",
        action_on_empty_result=True,
    )
    _prompt(gather, "village", voice)
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def consent(*, category: str, village: str, voice: Voice = VIETNAMESE) -> HttpResponse:
    """Ask before storing and recording: an explicit keypress, per purpose (Law
    91/2025: silence is not consent). The answer travels in the signed action URL."""
    response = VoiceResponse()
    action = step_url("consent", category=category, village=village, lang=voice.lang)
    gather = _one_key(action)
    _prompt(gather, "consent", voice)
    response.append(gather)
    response.redirect(action, method="POST")
    return xml(response)


def record_message(
    *, category: str, village: str, consent: str = "", voice: Voice = VIETNAMESE
) -> HttpResponse:
    response = VoiceResponse()
    _prompt(response, "record", voice)
    done = step_url(
        "done", category=category, village=village, consent=consent, lang=voice.lang
    )
    response.append(
        Record(
            action=done,
            method="POST",
            max_length=60,
            timeout=5,
            finish_on_key="#",
            play_beep=True,
            trim="trim-silence",
            recording_status_callback=f"{settings.PUBLIC_BASE_URL}/hooks/twilio/status",
            recording_status_callback_event="completed",
        )
    )
    response.redirect(done, method="POST")
    return xml(response)


def code_read_back(*, code: str, team: str, voice: Voice = VIETNAMESE) -> HttpResponse:
    response = VoiceResponse()
    spelled = spell_code(code)
    _say(
        response,
        _("Chúng tôi đã nhận yêu cầu. Mã theo dõi của bạn là: %(code)s.")
        % {"code": spelled},
    )
    _say(response, _("Nhắc lại, mã của bạn là: %(code)s.") % {"code": spelled})
    if team:
        _say(response, _("%(team)s sẽ gọi lại cho bạn.") % {"team": team})
    _say(response, _("Mã cũng đã được gửi qua tin nhắn."))
    goodbye_into(response, voice=voice)
    return xml(response)


def goodbye(*, code: str = "", voice: Voice = VIETNAMESE) -> HttpResponse:
    response = VoiceResponse()
    if code:
        _say(
            response,
            _(
                "Chúng tôi đã ghi nhận cuộc gọi và sẽ gọi lại cho bạn."
                " Mã theo dõi: %(code)s."
            )
            % {"code": spell_code(code)},
        )
    goodbye_into(response, voice=voice)
    return xml(response)


def call_kept(*, voice: Voice = VIETNAMESE) -> HttpResponse:
    """The call is kept but has no code yet (its number awaits triage, or the step
    failed and will be retried): the code comes by SMS."""
    response = VoiceResponse()
    _say(
        response,
        _(
            "Chúng tôi đã ghi nhận cuộc gọi. Mã theo dõi sẽ được gửi qua tin nhắn"
            " và cán bộ xã sẽ gọi lại cho bạn."
        ),
    )
    goodbye_into(response, voice=voice)
    return xml(response)


def goodbye_into(response: VoiceResponse, *, voice: Voice = VIETNAMESE) -> None:
    _prompt(response, "goodbye", voice)
    response.hangup()

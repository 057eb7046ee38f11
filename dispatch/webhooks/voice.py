"""Voice hotline steps: each POST is stored first, then answered with TwiML at once."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse

from dispatch.help_requests import selectors
from dispatch.intake import sms as sms_intake
from dispatch.intake import store as intake_store
from dispatch.intake import voice as voice_intake
from dispatch.intake import voice_prompts
from dispatch.models import InboundMessage
from dispatch.webhooks import twiml
from dispatch.webhooks.signatures import twilio_signed
from teams.phones import national_format, try_normalize_phone

MAX_TRIES = 2


def national_digits(raw: str) -> str:
    """`+84912345678` or `0912345678` → `0912345678`; "" when it is not a phone."""
    e164 = try_normalize_phone(raw or "")
    return "".join(c for c in national_format(e164) if c.isdigit()) if e164 else ""


def _step(request: HttpRequest, step: str) -> tuple[InboundMessage, dict[str, str]]:
    """Store this call step (a retry of the same step is the same row)."""
    data = {key: request.POST.get(key, "") for key in request.POST}
    # Form data was already parsed for the signature; the raw body is gone.
    fingerprint = hashlib.sha256(
        (request.get_full_path() + repr(sorted(data.items()))).encode()
    )
    inbound, _ = intake_store.store_inbound(
        provider=InboundMessage.Provider.TWILIO_VOICE,
        provider_id=f"{data.get('CallSid', '')}:{step}:{fingerprint.hexdigest()[:16]}",
        event=f"voice:{step}",
        from_number=data.get("From", ""),
        to_number=data.get("To", ""),
        body=data.get("Digits", ""),
        payload=data,
    )
    return inbound, data


def _voice(request: HttpRequest, data: dict[str, str], lang: str = "") -> twiml.Voice:
    """The caller's chosen language (carried in the signed URL) and its recordings."""
    commune = intake_store.commune_for_number(data.get("To", ""))
    offered = tuple(voice_prompts.recorded_languages(commune))
    lang = lang or request.GET.get("lang", "")
    if lang not in offered:
        return twiml.Voice(offered=offered)
    return twiml.Voice(
        language=lang,
        recordings=voice_prompts.recordings(commune=commune, language=lang),
        offered=offered,
    )


def _attempt(request: HttpRequest) -> int:
    value = request.GET.get("attempt", "1")
    return int(value) if value.isdecimal() and int(value) < 10 else 1


@twilio_signed
def voice_start(request: HttpRequest) -> HttpResponse:
    inbound, _data = _step(request, "start")
    open_request = voice_intake.open_request_for_caller(inbound=inbound)
    if open_request is None:
        done = voice_intake.rateable_request_for_caller(inbound=inbound)
        if done is not None:
            return twiml.rate_prompt(code=done.code)
        return twiml.welcome()
    return twiml.welcome(
        open_code=open_request.code, open_status=open_request.get_status_display()
    )


@twilio_signed
def voice_open(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "open")
    digits = data.get("Digits", "")
    found = sms_intake.find_request(request.GET.get("code", ""))
    if digits == "9" and found is not None:
        return twiml.open_request(code=found.code, status=found.get_status_display())
    if digits == "1":
        return twiml.menu(attempt=1)
    return twiml.goodbye()


@twilio_signed
def voice_rate(request: HttpRequest) -> HttpResponse:
    """Rating by keypad (1–5), or 0 for "not done yet"; the caller's own request only."""
    inbound, data = _step(request, "rate")
    digit = data.get("Digits", "").strip()[:1]
    found = voice_intake.rateable_request_for_caller(inbound=inbound)
    if found is None or found.code != request.GET.get("code", "") or digit == "*":
        return twiml.menu(attempt=1)
    outcome = voice_intake.rate_or_reopen_by_keypad(request=found, digit=digit)
    if not outcome:
        return twiml.menu(attempt=1)
    return twiml.rated_by_voice(outcome=outcome)


@twilio_signed
def voice_menu(request: HttpRequest) -> HttpResponse:
    _inbound, data = _step(request, "menu")
    return twiml.menu(attempt=_attempt(request), voice=_voice(request, data))


@twilio_signed
def voice_category(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "category")
    digits, attempt = data.get("Digits", "").strip(), _attempt(request)
    voice = _voice(request, data)
    chosen = voice_prompts.LANGUAGE_KEYS.get(digits, "")
    if chosen in voice.offered:
        return twiml.menu(attempt=1, voice=_voice(request, data, lang=chosen))
    if digits in voice_intake.MENU_CATEGORIES:
        category = voice_intake.MENU_CATEGORIES[digits]
        return twiml.village(category=category, attempt=1, voice=voice)
    if digits == "0":
        commune = intake_store.commune_for_number(data.get("To", ""))
        return twiml.dial_operator(
            number=commune.operator_phone if commune else "",
            fallback_url=twiml.step_url("menu", attempt=attempt),
            after_url=twiml.step_url("dial-done"),
        )
    if digits == "9":
        return twiml.status_ask()
    if attempt >= MAX_TRIES:
        return _finish(
            inbound, category="other", village_number=None, complete=False, voice=voice
        )
    return twiml.not_understood(
        next_url=twiml.step_url("menu", attempt=attempt + 1, lang=voice.lang),
        voice=voice,
    )


@twilio_signed
def voice_village_done(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "village")
    digits, attempt = data.get("Digits", "").strip(), _attempt(request)
    category = request.GET.get("category", "other")
    voice = _voice(request, data)
    if digits.isdecimal() or "*" in digits:
        number = digits if digits.isdecimal() and int(digits) > 0 else ""
        return twiml.consent(category=category, village=number, voice=voice)
    if attempt >= MAX_TRIES:
        return _finish(
            inbound, category=category, village_number=None, complete=False, voice=voice
        )
    return twiml.not_understood(
        next_url=twiml.step_url(
            "village", category=category, attempt=attempt + 1, lang=voice.lang
        ),
        voice=voice,
    )


@twilio_signed
def voice_consent(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "consent")
    digits = data.get("Digits", "").strip()[:1]
    category = request.GET.get("category", "other")
    village = request.GET.get("village", "")
    voice = _voice(request, data)
    if digits == "1":
        return twiml.record_message(
            category=category, village=village, consent="1", voice=voice
        )
    # "2": stored without a recording; no answer: no consent recorded at all.
    return _finish(
        inbound,
        category=category,
        village_number=int(village) if village.isdecimal() else None,
        complete=True,
        consent="2" if digits == "2" else "",
        voice=voice,
    )


@twilio_signed
def voice_village(request: HttpRequest) -> HttpResponse:
    _inbound, data = _step(request, "village-ask")
    return twiml.village(
        category=request.GET.get("category", "other"),
        attempt=_attempt(request),
        voice=_voice(request, data),
    )


@twilio_signed
def voice_done(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "done")
    number = request.GET.get("village", "")
    return _finish(
        inbound,
        category=request.GET.get("category", "other"),
        village_number=int(number) if number.isdecimal() else None,
        complete=True,
        consent=request.GET.get("consent", "")[:1],
        voice=_voice(request, data),
    )


# <Dial action> outcomes where nobody talked to the caller.
NOT_CONNECTED = {"busy", "no-answer", "failed", "canceled"}


@twilio_signed
def voice_dial_done(request: HttpRequest) -> HttpResponse:
    """After the operator's line: connected → goodbye; otherwise offer a call back."""
    _inbound, data = _step(request, "dial-done")
    if data.get("DialCallStatus", "") not in NOT_CONNECTED:
        return twiml.goodbye()
    return twiml.callback_village(attempt=1)


@twilio_signed
def voice_callback_village(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "callback-village")
    digits, attempt = data.get("Digits", "").strip(), _attempt(request)
    if not (digits.isdecimal() or "*" in digits) and attempt < MAX_TRIES:
        return twiml.callback_village(attempt=attempt + 1)
    village = digits if digits.isdecimal() and int(digits) > 0 else ""
    caller = national_digits(inbound.from_number)
    if not caller:
        return twiml.callback_number(village=village)
    return twiml.callback_confirm(village=village, phone=caller)


@twilio_signed
def voice_callback_number(request: HttpRequest) -> HttpResponse:
    _inbound, data = _step(request, "callback-number")
    village = request.GET.get("village", "")
    phone = national_digits(data.get("Digits", ""))
    if not phone:
        return twiml.callback_number(village=village)
    return twiml.callback_confirm(village=village, phone=phone)


@twilio_signed
def voice_callback_confirm(request: HttpRequest) -> HttpResponse:
    inbound, data = _step(request, "callback-confirm")
    village, phone = request.GET.get("village", ""), request.GET.get("phone", "")
    if data.get("Digits", "") == "2":
        return twiml.callback_number(village=village)
    if data.get("Digits", "") != "1":
        return twiml.callback_confirm(village=village, phone=phone)
    voice_intake.keep_step(
        inbound=inbound,
        do="callback",
        village_number=int(village) if village.isdecimal() else None,
        phone=phone,
    )
    help_request = voice_intake.run_call_step(inbound=inbound)
    if help_request is None:
        return twiml.call_kept()
    return twiml.callback_done(code=help_request.code)


@twilio_signed
def voice_status_code(request: HttpRequest) -> HttpResponse:
    """Status by the code's keypad digits, from any phone (no personal data said)."""
    inbound, data = _step(request, "status-code")
    commune = intake_store.commune_for_number(data.get("To", ""))
    found = selectors.request_by_keypad(
        digits=data.get("Digits", ""), commune_id=commune.pk if commune else None
    )
    if found is None:
        return twiml.not_understood(next_url=twiml.step_url("menu", attempt=1))
    return twiml.status_heard(code=found.code, status=found.get_status_display())


def _finish(
    inbound: InboundMessage,
    *,
    category: str,
    village_number: int | None,
    complete: bool,
    consent: str = "",
    voice: twiml.Voice = twiml.VIETNAMESE,
) -> HttpResponse:
    voice_intake.keep_step(
        inbound=inbound,
        do="call",
        category=category,
        village_number=village_number,
        consent=consent,
        language=voice.language,
    )
    request = voice_intake.run_call_step(inbound=inbound)
    if request is None:
        # Kept: retried if it failed, or waiting for triage (a number no commune
        # has); either way the code is texted once the request exists.
        return twiml.call_kept(voice=voice)
    if not complete:
        return twiml.goodbye(code=request.code, voice=voice)
    team = request.current_team.name if request.current_team_id else ""
    return twiml.code_read_back(code=request.code, team=team, voice=voice)

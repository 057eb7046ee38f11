from django.urls import path

from dispatch.webhooks import messaging, voice, zalo

urlpatterns = [
    path("twilio/sms", messaging.twilio_sms, name="twilio-sms"),
    path("twilio/status", messaging.twilio_status, name="twilio-status"),
    path("twilio/voice", voice.voice_start, name="twilio-voice"),
    path("twilio/voice/open", voice.voice_open, name="twilio-voice-open"),
    path("twilio/voice/menu", voice.voice_menu, name="twilio-voice-menu"),
    path("twilio/voice/category", voice.voice_category, name="twilio-voice-category"),
    path("twilio/voice/village", voice.voice_village, name="twilio-voice-village"),
    path(
        "twilio/voice/village-done",
        voice.voice_village_done,
        name="twilio-voice-village-done",
    ),
    path("twilio/voice/consent", voice.voice_consent, name="twilio-voice-consent"),
    path("twilio/voice/done", voice.voice_done, name="twilio-voice-done"),
    path(
        "twilio/voice/dial-done", voice.voice_dial_done, name="twilio-voice-dial-done"
    ),
    path(
        "twilio/voice/callback-village",
        voice.voice_callback_village,
        name="twilio-voice-callback-village",
    ),
    path(
        "twilio/voice/callback-number",
        voice.voice_callback_number,
        name="twilio-voice-callback-number",
    ),
    path(
        "twilio/voice/callback-confirm",
        voice.voice_callback_confirm,
        name="twilio-voice-callback-confirm",
    ),
    path(
        "twilio/voice/status-code",
        voice.voice_status_code,
        name="twilio-voice-status-code",
    ),
    path("twilio/voice/rate", voice.voice_rate, name="twilio-voice-rate"),
    path("twilio/voice/guide", voice.voice_guide, name="twilio-voice-guide"),
    path("smsgate", messaging.smsgate, name="smsgate"),
    path("zalo", zalo.zalo, name="zalo"),
]

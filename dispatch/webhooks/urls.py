from django.urls import path

from dispatch.webhooks import messaging, voice

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
    path("smsgate", messaging.smsgate, name="smsgate"),
]

"""Erasing a resident's phone takes their scam footprint with it: the referral's copy
of the summary, their warning opt-in and the warnings sent to them."""

from __future__ import annotations

from django.urls import reverse

from dispatch.models import PoliceReferral, WarningDelivery, WarningSubscription
from dispatch.scams import services
from training.models import ScamPattern

DIGITS = "912345678"  # Bà Lan's phone, 0912 345 678


def test_erasing_the_phone_blanks_the_referral_and_drops_the_opt_in(
    client, duc_an, police, scam_request, fake_police
):
    report = services.record_scam(
        request=scam_request, pattern=fake_police, user=duc_an.secretary.user
    )
    services.refer_to_police(
        report=report, consent_given=True, user=duc_an.secretary.user
    )
    services.subscribe_to_warnings(
        commune=duc_an.commune, phone=scam_request.resident_phone, method="sms"
    )
    electricity = ScamPattern.objects.get(key="electricity")
    services.send_warning(
        author=duc_an.secretary.user,
        commune=duc_an.commune,
        pattern=electricity,
        villages=[duc_an.thon_1],
        what_to_do=electricity.what_to_do,
        never_do=electricity.never_do,
        to_residents=True,
    )
    assert DIGITS in PoliceReferral.objects.get().summary.replace(" ", "")
    assert WarningDelivery.objects.filter(phone__endswith=DIGITS).exists()

    client.force_login(duc_an.secretary.user)
    client.post(
        reverse("dispatch:privacy_subject"),
        {"phone": scam_request.resident_phone, "action": "erase", "confirm": "yes"},
    )

    assert PoliceReferral.objects.get().summary == ""
    assert not WarningSubscription.objects.exists()
    assert not WarningDelivery.objects.filter(phone__endswith=DIGITS).exists()

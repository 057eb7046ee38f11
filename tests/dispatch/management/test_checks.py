"""`manage.py check` says what would fail in front of a resident, before it does."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from dispatch.management import checks
from teams.models import Commune
from tests.personas import nam_binh_commune


def ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_production_without_an_https_public_address_is_an_error(settings):
    settings.PRODUCTION = True
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"

    assert ids(checks.check_public_base_url()) == {"dispatch.E001"}

    settings.PUBLIC_BASE_URL = "https://ducan.example.vn"
    assert checks.check_public_base_url() == []


def test_a_development_machine_may_use_a_local_address(settings):
    settings.PRODUCTION = False
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"

    assert checks.check_public_base_url() == []


def test_an_sms_backend_without_its_credentials_is_an_error_naming_them(settings):
    settings.SMS_BACKEND = "smsgate"
    settings.SMSGATE_USERNAME = ""
    settings.SMSGATE_PASSWORD = "secret"
    settings.SMSGATE_SIGNING_KEY = ""

    [error] = checks.check_sms_backend_credentials()

    assert error.id == "dispatch.E002"
    assert "SMSGATE_USERNAME" in error.msg and "SMSGATE_SIGNING_KEY" in error.msg
    assert "SMSGATE_PASSWORD" not in error.msg


def test_the_console_backend_needs_no_credentials(settings):
    settings.SMS_BACKEND = "console"

    assert checks.check_sms_backend_credentials() == []


@pytest.mark.django_db
def test_hotline_numbers_without_a_twilio_token_is_an_error(settings, duc_an):
    settings.PRODUCTION = True
    settings.TWILIO_AUTH_TOKEN = ""
    Commune.objects.filter(pk=duc_an.commune.pk).update(
        hotline_numbers=["+842633000111"]
    )

    assert ids(checks.check_voice_token()) == {"dispatch.E003"}

    settings.TWILIO_AUTH_TOKEN = "a-token"
    assert checks.check_voice_token() == []


@pytest.mark.django_db
def test_with_two_communes_one_without_a_hotline_number_is_warned_about(duc_an):
    Commune.objects.filter(pk=duc_an.commune.pk).update(
        hotline_numbers=["+842633000111"]
    )
    assert checks.check_commune_hotlines() == []  # one commune: nothing to tell apart

    nam_binh = nam_binh_commune()

    [warning] = checks.check_commune_hotlines()
    assert warning.id == "dispatch.W001"
    assert warning.obj == nam_binh
    assert "Nam Bình" in warning.msg


@pytest.mark.django_db
def test_manage_py_check_fails_loudly_on_an_error(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ""

    with pytest.raises(SystemCheckError, match="dispatch.E002"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_a_development_machine_without_twilio_starts(settings, duc_an):
    """`make run` on the embedded default: hotline numbers, no Twilio account yet."""
    settings.PRODUCTION = False
    settings.TWILIO_AUTH_TOKEN = ""
    Commune.objects.filter(pk=duc_an.commune.pk).update(
        hotline_numbers=["+842633000111"]
    )

    assert checks.check_voice_token() == []

"""Tracking codes a resident can read aloud, type without the prefix, and key on a phone."""

from __future__ import annotations

import re

from dispatch.help_requests import codes, selectors
from dispatch.models import HelpRequest
from dispatch.webhooks.twiml import spell_code

from ..conftest import submit_for_lan


def test_new_codes_use_only_letters_of_the_vietnamese_alphabet_and_clear_digits(
    duc_an,
):
    drawn = "".join(codes.new_code("DA")[3:] for _ in range(3000))
    assert not set(drawn) & set("FJWZ01OIL")
    assert set(drawn) == set(codes.ALPHABET)
    assert re.fullmatch(r"DA-[2-9ABCDEGHKMNPQRSTUVXY]{7}", submit_for_lan(duc_an).code)


def test_an_old_code_with_letters_no_longer_drawn_still_finds_its_request(duc_an):
    request = submit_for_lan(duc_an)
    HelpRequest.objects.filter(pk=request.pk).update(code="DA-6B8QP9W")
    assert selectors.request_by_code("da 6b8 qp9w").pk == request.pk
    assert selectors.request_by_code("6B8QP9W").pk == request.pk


def test_a_code_typed_without_the_prefix_in_any_case_with_spaces_is_found(duc_an):
    request = submit_for_lan(duc_an)
    body = request.code.split("-")[1]
    typed = " ".join(body.lower())
    assert selectors.request_by_code(typed).pk == request.pk
    assert selectors.request_by_code(f"da{body}").pk == request.pk


def test_the_keypad_alias_of_a_code_finds_it(duc_an):
    request = submit_for_lan(duc_an)
    HelpRequest.objects.filter(pk=request.pk).update(code="DA-7K3QXYA")
    assert codes.keypad_alias("DA-7K3QXYA") == "7537992"
    found = selectors.request_by_keypad(digits="7537992", commune_id=duc_an.commune.pk)
    assert found.pk == request.pk
    assert (
        selectors.request_by_keypad(digits="7537993", commune_id=duc_an.commune.pk)
        is None
    )


def test_voice_prompts_spell_codes_with_vietnamese_letter_names():
    assert spell_code("DA-7KQXY") == "dê, a, bảy, ca, quy, ích xì, i dài"

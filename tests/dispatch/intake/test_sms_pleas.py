"""A plea for help is never read as a command; words are read for what they mean."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from dispatch.help_requests.locating import VillageIndex, village_from_text
from dispatch.intake import classifier as sms_classifier
from dispatch.intake.parsing import Kind, guess_flags, parse_sms
from dispatch.models import Category, HelpRequest, OutboundMessage, Priority
from teams.text import fold
from tests.dispatch.providers import FIXTURES, fixture, post_twilio

RESIDENT = "+84933111222"


def send(client, deliver, body: str, *, sid: str = "SM1") -> str:
    data = fixture("twilio_sms_inbound.json")
    data.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=RESIDENT)
    deliver(post_twilio, client, "/hooks/twilio/sms", data)
    return (
        OutboundMessage.objects.filter(
            to_number=RESIDENT, purpose=OutboundMessage.Purpose.REPLY
        )
        .latest("created_at")
        .body
    )


@pytest.mark.django_db
def test_giup_em_voi_bi_lua_mat_tien_is_an_urgent_scam_request_in_thon_3(
    client, demo_commune, deliver
):
    reply = send(client, deliver, "Giúp em với, bị lừa mất tiền, em ở thôn 3")

    request = HelpRequest.objects.get(resident_phone=RESIDENT)
    assert request.category == Category.SCAM
    assert request.village.name == "Thôn 3"
    assert request.priority == Priority.URGENT
    assert request.code in reply


@pytest.mark.django_db
def test_giup_toi_lam_ho_so_dang_ky_ket_hon_is_a_dossier_request(
    client, duc_an, deliver
):
    reply = send(client, deliver, "Giup toi lam ho so dang ky ket hon")

    request = HelpRequest.objects.get(resident_phone=RESIDENT)
    assert request.category == Category.DOSSIER
    assert request.code in reply
    # It could have been the GIUP command: the reply says how to get the usage text.
    assert "GIUP" in reply


@pytest.mark.django_db
def test_giup_alone_is_answered_with_the_usage_text(client, duc_an, deliver):
    reply = send(client, deliver, "GIUP")

    assert not HelpRequest.objects.filter(resident_phone=RESIDENT).exists()
    assert "TT" in reply and "HUY" in reply


@pytest.mark.django_db
def test_huy_giup_toi_is_a_request_whose_reply_mentions_the_cancel_command(
    client, duc_an, deliver
):
    reply = send(client, deliver, "Hủy giúp tôi cái đăng ký tạm trú nộp nhầm hôm qua")

    request = HelpRequest.objects.get(resident_phone=RESIDENT)
    assert request.status != "cancelled"
    assert f"HUY {request.code}" in reply


@pytest.mark.django_db
def test_a_text_the_model_cannot_place_goes_to_triage_and_the_reply_says_we_will_call(
    client, duc_an, deliver, monkeypatch
):
    monkeypatch.setattr(sms_classifier, "CONFIDENCE_THRESHOLD", 1.01)
    reply = send(client, deliver, "em can hoi viec nay o thon 5")

    request = HelpRequest.objects.get(resident_phone=RESIDENT)
    assert request.needs_triage
    assert request.category == Category.OTHER
    assert request.village.name == "Thôn 5"
    assert "goi lai" in fold(reply)


@pytest.mark.parametrize(
    "text",
    [
        "GIUP",
        "giúp!",
        "Hướng dẫn",
        "HD",
        "help",
        "GIUP VNEID",
        "hd dvc",
    ],
)
def test_help_is_the_word_alone_or_with_one_topic(text):
    assert parse_sms(text).kind == Kind.HELP


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("giup toi", Kind.HELP),
        ("Help me kich hoat vneid muc 2", Kind.HELP),
        ("Hủy giúp tôi cái hồ sơ nộp nhầm", Kind.CANCEL),
        ("Huy oi, cho hoi lam can cuoc o dau", Kind.CANCEL),
        ("tt ho so khai sinh cua con toi sao roi", Kind.STATUS),
        ("xm giup toi cai ho so nay", Kind.CERTIFICATE),
        ("Xong roi ma vneid van chua kich hoat", Kind.DONE),
    ],
)
def test_a_sentence_that_starts_like_a_command_is_a_request(text, hint):
    parsed = parse_sms(text)
    assert parsed.kind == Kind.NEW_REQUEST
    assert parsed.hint == hint


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("người giả danh công an", "elderly"),
        ("nguoi gia mao nhan vien dien luc goi den", "elderly"),
        ("Gia đình tôi muốn đăng ký thường trú", "elderly"),
        ("liet ke giup cac giay to can de lam khai sinh", "disability"),
        ("mu bao hiem bi quen o uy ban xa", "disability"),
        ("nguoi ta den tan nha doi tien truoc", "home_visit"),
    ],
)
def test_flags_come_from_meaning_not_from_letters_inside_other_words(text, absent):
    assert absent not in guess_flags(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("ba noi em 78 tuoi can kich hoat vneid", "elderly"),
        ("toi gia roi mat kem", "elderly"),
        ("me em bi liet 2 chan", "disability"),
        ("vo em dang mang thai", "pregnant"),
        ("nha toi dung dien thoai cuc gach", "no_smartphone"),
        ("bo toi chi noi tieng M'Nong", "ethnic_minority"),
        ("nho to den nha cai giup", "home_visit"),
    ],
)
def test_flags_are_found_in_the_words_people_use(text, flag):
    assert flag in guess_flags(text)


@pytest.fixture(scope="module")
def demo_index():
    """The demo commune's villages as `seed_demo` writes them, in memory (no database)."""
    from teams.demo import sample_villages

    return VillageIndex.build(sample_villages())


@pytest.mark.parametrize(
    ("text", "village"),
    [
        ("vneid bi khoa, o th5", "Thôn 5"),
        ("nha o T.5 a", "Thôn 5"),
        ("em o t1 gap lam", "Thôn 1"),
        ("thon5 ne", "Thôn 5"),
        ("thôn năm", "Thôn 5"),
        ("xom 5", "Thôn 5"),
        ("thon 10 Nam Binh", "Thôn 10"),
        ("bon BBir", "Bon Bu Bir"),
        ("o Dak N Drung", "Bon Đắk N'Drung"),
        ("nha o bu roăh", "Bon Bu Rwăh"),
        ("em o N Jang Bo a", "Bon N'Jang Bơ"),
        ("nha gan cho Duc An", "Thôn 2"),
        ("doi dien nha tho nam binh", "Thôn 7"),
    ],
)
def test_villages_are_found_as_people_write_them(demo_index, text, village):
    found, _ = village_from_text(demo_index, text)
    assert found is not None and found.name == village


@pytest.mark.parametrize(
    "text",
    [
        "mat 5 trieu, gap lam",
        "ho doi 15 trieu",
        "mat dien ca xom tu sang",
        "nap tien dien thoai bang app ngan hang",
    ],
)
def test_words_that_only_look_like_villages_name_none(demo_index, text):
    assert village_from_text(demo_index, text) == (None, [])


@pytest.mark.django_db
def test_a_landmark_the_commune_adds_in_the_registry_finds_the_village(demo_commune):
    village = demo_commune.villages.get(name="Thôn 11")
    village.landmarks = ["Nhà văn hóa thôn Mười Một", "trường mầm non Hoa Sen"]
    village.save()

    index = VillageIndex.build(demo_commune.villages.all())
    found, _ = village_from_text(index, "nha em gan truong mam non hoa sen")
    assert found == village


def test_the_train_command_writes_a_model_that_loads_and_answers(tmp_path):
    out = tmp_path / "model.json"
    call_command(
        "train_sms_classifier",
        corpus=FIXTURES / "sms_corpus.tsv",
        output=out,
        verbosity=0,
    )
    model = json.loads(out.read_text(encoding="utf-8"))
    guess = sms_classifier.predict(model, "dien luc goi doa cat dien, bat quet ma qr")
    assert guess.category == "scam"
    assert sorted(model["classes"]) == sorted(Category.values)

"""Training is scoped by commune: staff of Nam Bình neither see nor change Đức An's
workshops, enrolments, checklists or certificates, and operators only read training."""

from __future__ import annotations

import pytest
from django.test import Client

from teams.models import Commune, StaffMember
from tests import personas
from training.models import Enrolment, StepCompletion, Workshop
from training.services import checkin_token

HONG = personas.HONG.full_name


@pytest.fixture
def nam_binh(db) -> Commune:
    return personas.nam_binh_commune()


def office(commune: Commune, role: str) -> Client:
    """The commune's office account of `role`, signed in (tests/personas.py)."""
    if commune.code == "NB":
        member = personas.nam_binh_staff(commune, role)
    elif role == StaffMember.Role.SECRETARY:
        member = personas.secretary_of(commune)
    else:
        member = personas.operator_of(commune)
    return personas.client_for(member.user)


@pytest.fixture
def certified_hong(hong, workshop, certify):
    """Hồng of Đức An, enrolled in its workshop, checked in and certified."""
    certify(hong, workshop)
    return hong


def step_of(workshop: Workshop):
    return workshop.topics.get().steps.order_by("order").first()


def actions(workshop: Workshop, hong, certificate) -> dict[str, tuple[str, dict]]:
    enrolment = workshop.enrolments.get(volunteer=hong)
    return {
        "revoke": (
            f"/training/certificates/{certificate.code}/revoke/",
            {"reason": "thử quyền"},
        ),
        "cancel": (f"/training/enrolments/{enrolment.pk}/cancel/", {}),
        "absent": (f"/training/enrolments/{enrolment.pk}/absent/", {}),
        "step": (
            f"/training/workshops/{workshop.pk}/checklist/{hong.pk}/",
            {"step": step_of(workshop).pk, "done": "0"},
        ),
    }


def pages(workshop: Workshop, hong, certificate) -> list[str]:
    return [
        f"/training/workshops/{workshop.pk}/",
        f"/training/workshops/{workshop.pk}/qr/",
        f"/training/workshops/{workshop.pk}/qr/fragment/",
        f"/training/workshops/{workshop.pk}/checklist/",
        f"/training/workshops/{workshop.pk}/checklist/{hong.pk}/",
        f"/training/certificates/{certificate.code}/",
        "/training/",
    ]


def nothing_changed(workshop, hong, certificate) -> None:
    certificate.refresh_from_db()
    enrolment = workshop.enrolments.get(volunteer=hong)
    assert certificate.revoked_at is None
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert enrolment.checked_in_at is not None
    assert StepCompletion.objects.filter(
        volunteer=hong, step=step_of(workshop)
    ).exists()


@pytest.mark.parametrize("role", ["operator", "secretary"])
def test_staff_of_another_commune_see_nothing_of_its_training(
    nam_binh, certified_hong, workshop, role
):
    certificate = certified_hong.certificates.get()
    client = office(nam_binh, role)

    for url in pages(workshop, certified_hong, certificate):
        page = client.get(url)
        html = page.content.decode()
        assert HONG not in html, url
        assert workshop.title not in html, url
        assert "<svg" not in html, url
        assert checkin_token(workshop=workshop) not in html, url


@pytest.mark.parametrize("role", ["operator", "secretary"])
def test_staff_of_another_commune_change_nothing_of_its_training(
    nam_binh, certified_hong, workshop, role, minh
):
    certificate = certified_hong.certificates.get()
    client = office(nam_binh, role)

    for url, data in actions(workshop, certified_hong, certificate).values():
        assert client.post(url, data).status_code in (403, 404), url
    client.post(f"/training/workshops/{workshop.pk}/enrol/", {"volunteer": minh.pk})

    nothing_changed(workshop, certified_hong, certificate)
    assert not workshop.enrolments.filter(volunteer=minh).exists()
    verify = Client().get(f"/verify/{certificate.code}").content.decode()
    assert "thu hồi" not in verify.lower()


def test_an_operator_of_the_commune_reads_its_training_but_changes_nothing(
    commune, certified_hong, workshop, minh
):
    certificate = certified_hong.certificates.get()
    client = office(commune, "operator")

    detail = client.get(f"/training/workshops/{workshop.pk}/").content.decode()
    printed = client.get(f"/training/certificates/{certificate.code}/")
    trainee = client.get(
        f"/training/workshops/{workshop.pk}/checklist/{certified_hong.pk}/"
    ).content.decode()
    for url, data in actions(workshop, certified_hong, certificate).values():
        assert client.post(url, data).status_code == 403, url
    client.post(f"/training/workshops/{workshop.pk}/enrol/", {"volunteer": minh.pk})
    qr = client.get(f"/training/workshops/{workshop.pk}/qr/")
    listing = client.get("/training/").content.decode()

    assert HONG in detail and "Có mặt" in detail  # the column, not the button
    assert "Ghi danh</button>" not in detail and ">Huỷ</button>" not in detail
    assert HONG in printed.content.decode()
    assert "certificate_revoke" not in printed.content.decode()
    assert "/revoke/" not in printed.content.decode()
    assert step_of(workshop).title in trainee and 'name="step"' not in trainee
    assert qr.status_code == 403 and "<svg" not in qr.content.decode()
    assert "Thêm buổi tập huấn" not in listing
    assert client.get("/training/workshops/new/").status_code == 403
    nothing_changed(workshop, certified_hong, certificate)
    assert not workshop.enrolments.filter(volunteer=minh).exists()


def test_the_secretary_of_the_commune_runs_its_training(
    commune, certified_hong, workshop, minh
):
    certificate = certified_hong.certificates.get()
    client = office(commune, "secretary")

    printed = client.get(f"/training/certificates/{certificate.code}/").content.decode()
    client.post(f"/training/workshops/{workshop.pk}/enrol/", {"volunteer": minh.pk})
    client.post(
        f"/training/certificates/{certificate.code}/revoke/", {"reason": "sai sót"}
    )

    assert "/revoke/" in printed
    assert workshop.enrolments.filter(volunteer=minh).exists()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_the_trainer_runs_her_workshop_but_no_other(
    nam_binh, certified_hong, workshop, hoa_trainer
):
    other = Workshop.objects.create(
        commune=nam_binh,
        title="Lớp Nam Bình",
        address="Nhà văn hoá xã Nam Bình",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        capacity=5,
    )
    client = Client()
    client.force_login(hoa_trainer)

    own = client.get(f"/training/workshops/{workshop.pk}/qr/fragment/")
    foreign = client.get(f"/training/workshops/{other.pk}/")

    assert own.status_code == 200 and "<svg" in own.content.decode()
    assert foreign.status_code == 403 and "Lớp Nam Bình" not in foreign.content.decode()

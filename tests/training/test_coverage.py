"""Coverage: who is trained and certified, per team and per village, with CSV export."""

from __future__ import annotations

import csv
import io

from training.coverage import coverage


def test_it_counts_trained_and_certified_members_per_team_and_village(
    commune, hong, minh, other_team, workshop, certify
):
    certify(hong, workshop)

    report = coverage(commune=commune)

    scam = [t.key for t in report.topics].index("scam")
    bu_bir_team = next(r for r in report.teams if r.name == "Tổ Bon Bu Bir")
    assert bu_bir_team.members == 2
    assert bu_bir_team.counts[scam].trained == 1
    assert bu_bir_team.counts[scam].certified == 1
    assert bu_bir_team.counts[scam].expiring == 0
    village = next(r for r in report.villages if r.name == "Bon Bu Bir")
    assert village.counts[scam].certified == 1
    assert report.uncovered["Nhận diện và phòng chống lừa đảo trực tuyến"] == ["Thôn 3"]


def test_the_secretary_sees_the_page_and_downloads_csv(
    commune, hong, other_team, workshop, certify, secretary, logged_in
):
    certify(hong, workshop)
    client = logged_in(secretary)

    page = client.get("/training/coverage/")
    export = client.get("/training/coverage/?csv=village")

    assert "Thôn, bon chưa có tình nguyện viên có chứng nhận" in page.content.decode()
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Thôn, bon", "Thành viên"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Bon Bu Bir"][1] == "1"
    assert by_name["Thôn 3"][1] == "0"
    assert export.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8


def test_a_volunteer_cannot_see_the_coverage_page(hong, logged_in):
    assert logged_in(hong.user).get("/training/coverage/").status_code == 403

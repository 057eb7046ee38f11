"""The training coverage CSV opens a team or village name typed as a formula as text."""

from __future__ import annotations

import csv
import io

from teams.models import Village


def test_it_opens_a_village_name_typed_as_a_formula_as_text(
    commune, lan, secretary, logged_in
):
    Village.objects.filter(commune=commune, name="Bon Bu Bir").update(
        name='=HYPERLINK("http://x","y")'
    )

    export = logged_in(secretary).get("/training/coverage/?csv=village")

    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not [n for n in names if n.startswith("=")]

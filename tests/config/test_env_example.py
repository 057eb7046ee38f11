""".env.example documents every variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

READ = re.compile(
    r'(?:\benv(?:\.\w+)?|env_choice|env_positive_int|Env\(\)\.\w+)\(\s*"([A-Z][A-Z0-9_]*)"'
)


def test_every_variable_read_in_the_settings_is_in_env_example() -> None:
    base = Path(settings.BASE_DIR)
    read = {
        name
        for path in (base / "config" / "settings").glob("*.py")
        for name in READ.findall(path.read_text())
    }
    documented = set(
        re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (base / ".env.example").read_text(), re.M)
    )

    assert "DATABASE_URL" in read  # the pattern finds calls split over lines
    assert sorted(read - documented) == []

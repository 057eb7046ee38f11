"""API tokens for staff: create (the key is shown once) and authenticate by its hash."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from dispatch.models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(token: ApiToken) -> str:
    """Give `token` a fresh key (unsaved); returns the plain key, which is never stored."""
    key = "cn_" + secrets.token_urlsafe(32)
    token.prefix, token.key_hash = key[3:11], _hash(key)
    return key


def create_token(*, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the plain key, shown to the user once."""
    token = ApiToken(user=user, name=name)
    key = new_key(token)
    token.save()
    return token, key


def revoke_tokens(*, tokens: Any) -> int:
    """Revoke the given tokens (a queryset) now; already revoked ones keep their time."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_for_key(key: str) -> Any | None:
    """The active user owning the unrevoked token `key`, or None. Marks it used."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user

"""Settings for the test suite: the embedded default, fast hashing, fixed secrets."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="AC" + "0" * 32)
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="test-twilio-auth-token")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="+15005550006")
SMSGATE_SIGNING_KEY = env.str("SMSGATE_SIGNING_KEY", default="test-smsgate-signing-key")

# The SQLite test database is a FILE, not memory, so the Daphne and qcluster processes that
# end-to-end tests start can share it. One file per test run: parallel runs don't collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

# Test processes run without DEBUG and without collectstatic: serve from the app folders.
WHITENOISE_USE_FINDERS = True

# django-axes needs the request in authenticate(), which the test client's login() does
# not pass; tests/dispatch/intake/test_abuse_limits.py switches it on where it is the subject.
AXES_ENABLED = False

# Unit tests queue on the ORM broker (or run tasks inline); the live stacks of the browser
# and stack tests switch the hot queue on through the environment.
TASK_HOT_QUEUE = env.bool("TASK_HOT_QUEUE", default=False)

# Browser tests wait for the tracking page's poll: keep it short there.
DISPATCH_TRACK_POLL_SECONDS = 10

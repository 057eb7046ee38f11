"""Settings for the test suite: the embedded default, fast hashing, fixed secrets."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="AC" + "0" * 32)
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="test-twilio-auth-token")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="+15005550006")
SMSGATE_SIGNING_KEY = env.str("SMSGATE_SIGNING_KEY", default="test-smsgate-signing-key")

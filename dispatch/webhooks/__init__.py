"""Provider webhooks: signature first, store the raw message, answer fast, work later."""

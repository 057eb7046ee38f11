"""Outreach campaigns: households to visit, visits recorded in the field, progress."""

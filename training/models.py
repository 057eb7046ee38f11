"""Training: topics, workshops, practice checklists, the scam quiz and certificates."""

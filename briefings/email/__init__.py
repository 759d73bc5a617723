"""Digests as email: rendering here; sending and tokens beside it."""

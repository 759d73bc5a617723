"""News ingestion: fetch (guarded HTTP), parse (feedparser, bounded), clean (one
allowlist policy) and store (news sources and items). Plain functions only.

This package imports nothing from Django at module level in `parse`, so the
parser's worker process starts without configuring Django.
"""

"""Date and number formats for languages Django ships without (FORMAT_MODULE_PATH)."""

"""Translations that stay in step with their source page.

simple_translation copies a page once. Each copy is recorded here with the
source revision it was made from (`TranslationRecord`); a translation is out
of date once its source has been published again after that revision (a draft
of the source does not count). Editors see it on the translation's edit screen
and in Reports → Translations, compare the two source revisions with Wagtail's
revision comparison, and mark the translation up to date.
"""

"""Django's makemessages, without fuzzy matching when catalogues are updated."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # A fuzzy guess (a near msgid's translation) is hidden from readers until a
    # translator clears the flag, and easily overlooked; an empty entry is
    # caught by tests/site_config/test_i18n_catalogues.py instead.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

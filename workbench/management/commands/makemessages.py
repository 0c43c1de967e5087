from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages without gettext's fuzzy guesses: a new string stays untranslated until someone translates it.

    Fuzzy matching pairs new strings with unrelated old ones ("Attainment" → "Management"), which
    then slip into the catalogue looking translated.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

"""Django's password-rule messages, marked here so that Vigil's Welsh catalogue has them.

Django's own Welsh catalogue leaves these untranslated, so a Welsh page would show them in
English. Vigil's catalogue (LOCALE_PATHS) is searched before Django's: once
`makemessages` has copied these msgids into vigil/locale/cy and they are translated, the
validators' gettext/ngettext calls find the Welsh there.

The texts must stay exactly as in django/contrib/auth/password_validation.py (including
the typographic apostrophes and the %d / %(...)d placeholders); check them when Django is
upgraded. Nothing calls this module's contents: it exists for `makemessages`.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# MinimumLengthValidator.get_error_message (the number is filled in with "%" and a plain
# integer, hence %d).
TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
# MinimumLengthValidator.get_help_text
LENGTH_HELP = ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
MESSAGES = (
    # UserAttributeSimilarityValidator (the verbose name is one of Vigil's field names,
    # such as "e-mail address", already in the catalogue).
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    # CommonPasswordValidator
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    # NumericPasswordValidator
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)

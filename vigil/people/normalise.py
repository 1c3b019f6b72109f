"""Normalising names, references and online identifiers so that the same value written
differently (case, spaces, +44, a leading @) is found by the duplicate check and search."""

from __future__ import annotations

import ipaddress
import re

from django.utils.translation import gettext as _

from vigil.core.exceptions import ValidationFailed
from vigil.people.choices import IdentifierKind

_SPACES = re.compile(r"\s+")
_PNC = re.compile(r"^\d{2}(\d{2})?/\d{1,7}[A-Z]$")


def collapse(value: str) -> str:
    """Trimmed, with every run of white space made one space."""
    return _SPACES.sub(" ", (value or "").strip())


def search_name(given_name: str, family_name: str) -> str:
    """The case- and space-insensitive form of a full name."""
    return collapse(f"{given_name} {family_name}").casefold()


def reference(value: str) -> str:
    """PNC IDs and register references: upper case, no spaces."""
    return _SPACES.sub("", value or "").upper()


def is_valid_pnc(value: str) -> bool:
    return bool(_PNC.match(value))


def identifier(kind: str, value: str) -> str:
    """The comparable form of an online identifier.

    E-mail addresses and usernames are lower-cased (a username's leading @ dropped);
    phone numbers keep digits only, with +44 or 0044 written as a leading 0; IP addresses
    are written in their canonical form; device IDs lose spaces, dashes and colons and
    are lower-cased. Raises ValidationFailed (field "value") when nothing comparable is left.
    """
    raw = collapse(value)
    if kind == IdentifierKind.EMAIL:
        result = raw.replace(" ", "").lower()
        if "@" not in result.strip("@"):
            raise ValidationFailed(
                _("Enter an e-mail address in the correct format, like name@example.com"),
                field="value",
            )
    elif kind == IdentifierKind.USERNAME:
        result = raw.lstrip("@").lower()
    elif kind == IdentifierKind.PHONE:
        digits = re.sub(r"\D", "", raw)
        national = None
        if raw.startswith("+44"):
            national = digits[2:]
        elif digits.startswith("0044"):
            national = digits[4:]
        if national is not None:
            # "+44 (0)7700 ..." keeps the trunk 0 in brackets: drop it before adding ours.
            digits = "0" + (national[1:] if national.startswith("0") else national)
        result = digits
        if len(digits) < 5:
            raise ValidationFailed(
                _("Enter a phone number with at least 5 digits, like 07700 900123"), field="value"
            )
    elif kind == IdentifierKind.IP_ADDRESS:
        try:
            result = str(ipaddress.ip_address(raw.replace(" ", "")))
        except ValueError:
            raise ValidationFailed(
                _("Enter an IP address in the correct format, like 192.0.2.10 or 2001:db8::1"),
                field="value",
            ) from None
    elif kind == IdentifierKind.DEVICE:
        result = re.sub(r"[\s\-:]", "", raw).lower()
    else:
        raise ValidationFailed(_("Select the kind of identifier"), field="kind")
    if not result:
        raise ValidationFailed(_("Enter the identifier"), field="value")
    return result

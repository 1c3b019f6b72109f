"""What the partnership's templates ask of the user."""

from django import template

from vigil.partners import selectors

register = template.Library()


@register.simple_tag
def can_set_up_partners(user) -> bool:
    return selectors.can_set_up(user)


@register.simple_tag
def can_use_partners(user) -> bool:
    return selectors.can_use(user)

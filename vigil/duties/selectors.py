"""Reads of the duty ledger."""

from __future__ import annotations

from vigil.duties.models import Notification


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

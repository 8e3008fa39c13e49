"""The one way to write the audit log."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser

from kindred.core.models import AuditEntry


def _label(actor: AbstractBaseUser | None, role: str) -> str:
    name = getattr(actor, "display_name", "") or "Kindred"
    return f"{name} ({role})" if role else name


def record(
    *,
    actor: AbstractBaseUser | None,
    subject: AbstractBaseUser | None,
    action: str,
    target: str,
    role: str = "",
    reason: str = "",
) -> AuditEntry:
    """Append one entry; `target` names what was touched, never its content."""
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=_label(actor, role),
        subject=subject,
        action=action,
        target=target[:120],
        reason=reason[:200],
    )


def record_reads(
    *,
    actor: AbstractBaseUser,
    subjects: Iterable[AbstractBaseUser],
    target: str,
    role: str = "",
    reason: str = "",
) -> int:
    """Record that `actor` saw personal data of each subject (one query for a whole list)."""
    label = _label(actor, role)
    entries = [
        AuditEntry(
            actor=actor,
            actor_label=label,
            subject=subject,
            action="viewed",
            target=target[:120],
            reason=reason[:200],
        )
        for subject in {s.pk: s for s in subjects if s.pk != actor.pk}.values()
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)

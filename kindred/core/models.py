"""Shared privacy mechanisms: the audit log and per-owner data keys."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One append-only line: who did what to whose data. Written only by core.audit.record."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries_made",
    )
    actor_label = models.CharField(max_length=120, help_text="Display name and role at the time")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_entries_about",
        help_text="Whose data this was",
    )
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=120, help_text="What was read or changed, without content")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")


class DataKey(models.Model):
    """A person's data key, wrapped by a key from KINDRED_ENCRYPTION_KEYS.

    Deleting this row makes everything encrypted with it unreadable, backups included.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_key"
    )
    wrapping_key_id = models.CharField(max_length=40)
    wrapped_key = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"data key of {self.owner_id} (wrapped by {self.wrapping_key_id})"

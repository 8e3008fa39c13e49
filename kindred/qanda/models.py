"""Live anonymous Q&A for an event: questions, upvotes and reports.

The asker is kept only so they can see their own questions, for safety and for erasure: the room
and the moderators see a question's words, never who asked, unless the asker chose to show
their display name."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kindred.core.encryption import EncryptedTextField
from kindred.events.models import Event

QUESTION_LIMIT = 500


class Question(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Shown to the room"
        HIDDEN = "hidden", "Hidden by a moderator"
        HELD = "held", "Held for safety"
        MERGED = "merged", "Merged into another question"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    # Never shown to anyone else unless show_name; deleting the account deletes the question.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_questions"
    )
    text = EncryptedTextField(owner_field="author")
    show_name = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    pinned = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    # Kept equal to the number of QuestionVote rows (see services.vote): the list sorts on it.
    votes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "-votes", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"question {self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_question_vote_each")
        ]

    def __str__(self) -> str:
        return f"question vote {self.pk}"


class QuestionReport(models.Model):
    """Someone in the room thinks a question should not be there; moderators see the count."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "reporter"], name="one_report_each")
        ]

    def __str__(self) -> str:
        return f"question report {self.pk}"

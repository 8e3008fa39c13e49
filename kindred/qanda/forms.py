from django import forms

from kindred.accounts.forms import KindredForm
from kindred.qanda.models import QUESTION_LIMIT


class QuestionForm(KindredForm):
    # No max_length here: the service refuses long questions with a message that keeps the text.
    text = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 3, "data-limit": QUESTION_LIMIT}),
        help_text=f"Up to {QUESTION_LIMIT} characters. The room sees it without your name.",
    )
    show_name = forms.BooleanField(required=False, label="Show my display name with this question")

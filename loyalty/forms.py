import uuid

from django import forms

from .models import Redemption


class RedemptionForm(forms.Form):
    kind = forms.ChoiceField(choices=Redemption.KIND_CHOICES, label="Spend on")
    amount = forms.IntegerField(min_value=1, label="Credits")
    description = forms.CharField(max_length=200, help_text="Course, exam or event")
    event_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Event passes only: the day of the event (may be after the credits expire)",
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex

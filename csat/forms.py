from django import forms

from .models import FollowUp


class FollowUpForm(forms.ModelForm):
    recorded_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default today"
    )

    class Meta:
        model = FollowUp
        fields = ["recorded_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with columns partner, country, customer, received_on, score, valid, reference"
    )
    dry_run = forms.BooleanField(required=False, initial=True, help_text="Check the file without saving")


class MeasurementDateForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

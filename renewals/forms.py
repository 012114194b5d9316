from django import forms


class SubmitRenewalForm(forms.Form):
    """Submitting needs no input: the requirements are evaluated when it is submitted."""


class DecisionForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Required when rejecting"
    )


class ExtensionForm(forms.Form):
    until = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Extension ends on",
        help_text="The last day of the extension",
    )

from django import forms

from .models import Individual


class IndividualForm(forms.ModelForm):
    start = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="First day with this partner (default today)",
    )

    class Meta:
        model = Individual
        fields = ["first_name", "last_name", "email", "testing_number"]

    def validate_unique(self):
        pass  # the service decides, so the form and the API give the same message

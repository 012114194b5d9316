from django import forms

from .models import Integration


class IntegrationForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="The CRM or system that will use the token")
    description = forms.CharField(max_length=300, required=False)
    scope = forms.ChoiceField(choices=Integration.SCOPE_CHOICES, initial=Integration.READ_ONLY)
    all_partners = forms.BooleanField(required=False, label="The whole program")
    partners = forms.ModelMultipleChoiceField(queryset=None, required=False, help_text="Or these partners")
    expires_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Default: a year from now",
    )

    def __init__(self, *args, partners, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners  # the partners the person may see (a selector's queryset)
        if not staff:  # a partner admin's integration sees her partner only
            del self.fields["all_partners"], self.fields["partners"]

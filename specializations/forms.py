from django import forms

from core.dates import AS_OF_HELP, AS_OF_MAX, AS_OF_MIN
from core.forms import NamedChoicesMixin

from .models import SpecializationRole


class RoleAllocationForm(NamedChoicesMixin, forms.Form):
    role = forms.ModelChoiceField(queryset=SpecializationRole.objects.none())
    individual = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, roles, individuals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles
        self.fields["individual"].queryset = individuals


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="As of",
        error_messages={"invalid": AS_OF_HELP},
    )

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day is not None and not AS_OF_MIN <= day <= AS_OF_MAX:
            raise forms.ValidationError(AS_OF_HELP)
        return day

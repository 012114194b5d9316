from django import forms

from core.dates import AS_OF_MAX, AS_OF_MIN
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
    """The "as of" date picker; the pages read the date with core.views.as_of_from (a bad one: today, said so)."""

    as_of = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": AS_OF_MIN.isoformat(), "max": AS_OF_MAX.isoformat()}),
        label="As of",
    )

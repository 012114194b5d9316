from django import forms

from .models import SpecializationRole


class RoleAllocationForm(forms.Form):
    role = forms.ModelChoiceField(queryset=SpecializationRole.objects.none())
    individual = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, roles, individuals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles
        self.fields["individual"].queryset = individuals


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="As of")

from django import forms

from core.event_kinds import KINDS, kind_topic


class EndpointForm(forms.Form):
    url = forms.URLField(
        max_length=500, assume_scheme="https", label="URL", help_text="Where the portal POSTs (https:// in production)"
    )
    description = forms.CharField(max_length=200, required=False)
    kinds = forms.MultipleChoiceField(
        choices=[(k, f"{kind_topic(k)}: {text}") for k, text in sorted(KINDS.items(), key=lambda i: kind_topic(i[0]))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Event kinds",
        help_text="Tick none to receive every kind",
    )
    partner = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Whose events; empty: the whole program", empty_label="All partners"
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.fields["partner"]  # a partner admin's endpoints are her partner's; editing keeps the partner
        else:
            self.fields["partner"].queryset = partners

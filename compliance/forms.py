from django import forms

from core.forms import NamedChoicesMixin

from .models import HybridITService, SupportAgreement, SupportCapability
from .services.records import RECORD_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class PartnerRecordForm(NamedChoicesMixin, forms.ModelForm):
    """Territory choices are the partner's own countries."""

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = partner.territories.all()
        self.fields["territory"].label = "Country"
        self.fields["territory"].empty_label = "Choose a country…"
        if "code" in self.fields:
            self.fields["code"].label = "Capability"
            self.fields["code"].choices = [("", "Choose a capability…"), *list(self.fields["code"].choices)[1:]]

    def validate_unique(self):
        pass  # the service decides, so the form and the API give the same message

    def _post_clean(self):
        pass  # the service validates the whole row


def _form(model, widgets=None):
    meta = type(
        "Meta", (), {"model": model, "fields": ["territory", *RECORD_FIELDS[model.__name__]], "widgets": widgets or {}}
    )
    return type(f"{model.__name__}Form", (PartnerRecordForm,), {"Meta": meta})


HybridITServiceForm = _form(HybridITService, {"withdrawn_on": DATE, "description": forms.Textarea(attrs={"rows": 3})})
SupportAgreementForm = _form(SupportAgreement, {"starts_on": DATE, "ends_on": DATE})
SupportCapabilityForm = _form(SupportCapability, {"since": DATE, "until": DATE})

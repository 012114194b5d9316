from django import forms
from django.conf import settings

from core.forms import NamedChoicesMixin

from .evidence_rules import file_size
from .models import HybridITService, SupportAgreement, SupportCapability
from .services.records import RECORD_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe); the service judges each by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PartnerRecordForm(NamedChoicesMixin, forms.ModelForm):
    """Territory choices are the partner's own countries; evidence documents may come with the record."""

    evidence = MultipleFileField(required=False, label="Evidence documents")

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = partner.territories.all()
        self.fields["territory"].label = "Country"
        self.fields["territory"].empty_label = "Choose a country…"
        if "code" in self.fields:
            self.fields["code"].label = "Capability"
            self.fields["code"].choices = [("", "Choose a capability…"), *list(self.fields["code"].choices)[1:]]
        self.fields["evidence"].help_text = (
            f"PDF or images (PNG, JPEG, GIF, WebP), at most {file_size(settings.EVIDENCE_MAX_BYTES, up=False)} each; "
            f"you may choose several (a record keeps up to {settings.EVIDENCE_MAX_FILES})."
        )  # read when the form is made: the limit is a setting
        if self.instance.pk:
            self.fields["evidence"].label = "Add evidence documents"

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

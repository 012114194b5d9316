import csv
import hashlib
import io
import uuid

from django import forms

from core.forms import NamedChoicesMixin

from .models import KnowledgeSession, LearningHow

CSV_REQUIRED = ("testing_number", "session_code", "occurred_on", "how")
GENERATED_ID = "csv:"  # the id given to a line without a client_record_id (never shown: it is the portal's)


class LearningRecordForm(NamedChoicesMixin, forms.Form):
    individual = forms.ModelChoiceField(queryset=None)
    session = forms.ModelChoiceField(
        queryset=KnowledgeSession.objects.filter(is_active=True).order_by("title"), label="Knowledge session"
    )
    occurred_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    how = forms.ChoiceField(
        choices=LearningHow.choices,
        initial=LearningHow.VIEWED,
        help_text="Viewing counts; a download does not; an assessment session counts on a pass",
    )
    client_record_id = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, individuals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["individual"].queryset = individuals
        self.fields["client_record_id"].initial = f"form:{uuid.uuid4()}"  # a double submit adds nothing

    def record_key(self) -> str:
        """Who and which session: the confirmation holds only for what the warning was about."""
        return f"{self.cleaned_data['individual'].pk}:{self.cleaned_data['session'].pk}"

    def confirmed(self) -> bool:
        """Sent by the "Record anyway" button after the warning of an earlier completion, for this person and
        session (record_key)."""
        return self.data.get("record_anyway") == self.record_key()


def csv_rows(text: str) -> list[dict]:
    """CSV text -> records for learning_records_import, with line numbers. Without a client_record_id
    column each row gets an id derived from its content, so the same file uploaded twice adds nothing."""
    try:
        return _csv_rows(text)
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise forms.ValidationError(f"The file is not readable CSV: {exc}.") from None


def _csv_rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [h for h in CSV_REQUIRED if h not in header]
    if missing:
        raise forms.ValidationError(f"The first line must name the columns; missing: {', '.join(missing)}.")
    reader.fieldnames = header
    rows = []
    for raw in reader:
        row = {k: (v or "").strip() for k, v in raw.items() if k in (*CSV_REQUIRED, "client_record_id")}
        if not any(row.values()):
            continue
        if not row.get("client_record_id"):
            digest = hashlib.sha256("|".join(row[k] for k in CSV_REQUIRED).encode()).hexdigest()[:32]
            row["client_record_id"] = f"{GENERATED_ID}{digest}"
        rows.append({**row, "line": reader.line_num})
    if not rows:
        raise forms.ValidationError("The file has no records.")
    return rows


class LearningUploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="CSV with columns testing_number, session_code, occurred_on "
        "(YYYY-MM-DD), how (viewed, downloaded, assessment_passed) and "
        "optionally client_record_id",
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 5 * 1024 * 1024:
                raise forms.ValidationError("The file is larger than 5 MB; split it.")
            try:
                data["content"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text.") from None
            data["confirm"] = False
        if not data.get("content"):
            raise forms.ValidationError("Choose a CSV file.")
        data["rows"] = csv_rows(data["content"])
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Shown in the ledger history next to the correction",
    )

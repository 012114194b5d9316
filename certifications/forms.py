from django import forms

from .models import CeActivity, CeClaim, ExamKind, Level

DATE = forms.DateInput(attrs={"type": "date"})


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}: {obj.credits} CE, completions until {obj.expires_on}"


class CeClaimForm(forms.Form):
    """Shape only; the service decides what is refused, so the page and the API say the same."""

    activity = ActivityChoiceField(
        queryset=CeActivity.objects.order_by("title", "-expires_on"),
        required=False,
        empty_label="Not in the catalogue (give the course name)",
    )
    course_name = forms.CharField(max_length=200, required=False)
    credits = forms.IntegerField(min_value=1, required=False, help_text="Only for a course not in the catalogue")
    started_on = forms.DateField(widget=DATE, label="Start date")
    ended_on = forms.DateField(widget=DATE, label="End date")
    validation_code = forms.CharField(max_length=60, label="Certificate validation code")
    certificate = forms.FileField(
        required=False,
        label="Completion certificate (PDF, at most 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    attended_in_full = forms.BooleanField(required=False, label="I attended the activity for its full duration")


class CeClaimReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(CeClaim.Status.EARNED, "Earned"), (CeClaim.Status.REJECTED, "Rejected")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a rejection; the individual reads it",
    )
    credits = forms.IntegerField(min_value=1, required=False, help_text="Only when granting a different number")


class CertificationForm(forms.Form):
    track = forms.CharField(max_length=100, help_text="e.g. CCNP Enterprise")
    level = forms.ChoiceField(choices=Level.choices)
    certified_on = forms.DateField(widget=DATE)


class ExamForm(forms.Form):
    kind = forms.ChoiceField(choices=ExamKind.choices)
    exam_code = forms.CharField(max_length=40, required=False, help_text="e.g. 350-401 ENCOR")
    passed_on = forms.DateField(widget=DATE)

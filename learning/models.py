from django.db import models  # noqa: F401

from .ce_models import CeActivity, CeClaim, CePolicy, CeRenewalPath, CertificationPeriod, ExamPass, IndividualCertification  # noqa: F401

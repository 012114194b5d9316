from django.urls import path

from . import views

urlpatterns = [
    path("partners/<int:pk>/compliance/", views.partner_compliance, name="compliance-partner"),
    path("compliance/portfolio/", views.portfolio, name="compliance-portfolio"),
    path("compliance/evidence/<int:pk>/", views.evidence_download, name="compliance-evidence-download"),
    path("compliance/evidence/<int:pk>/remove/", views.evidence_remove, name="compliance-evidence-remove"),
]
for _slug in views.RECORDS:
    _add, _edit, _verify, _delete = views.record_views(_slug)
    urlpatterns += [
        path(f"partners/<int:pk>/compliance/{_slug}/new/", _add, name=f"compliance-{_slug}-add"),
        path(f"compliance/{_slug}/<int:pk>/edit/", _edit, name=f"compliance-{_slug}-edit"),
        path(f"compliance/{_slug}/<int:pk>/verify/", _verify, name=f"compliance-{_slug}-verify"),
        path(f"compliance/{_slug}/<int:pk>/delete/", _delete, name=f"compliance-{_slug}-delete"),
    ]

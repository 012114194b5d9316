from django.urls import path

from . import views

urlpatterns = [
    path("loyalty/", views.loyalty_home, name="loyalty-home"),
    path("loyalty/accounts/", views.account_list, name="loyalty-account-list"),
    path("loyalty/accounts/<int:pk>/", views.account_detail, name="loyalty-account-detail"),
    path("loyalty/accounts/<int:pk>/redeem/", views.account_redeem, name="loyalty-account-redeem"),
    path("loyalty/accounts/<int:pk>/accept-terms/", views.account_accept_terms, name="loyalty-account-accept-terms"),
]

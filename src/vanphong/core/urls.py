from django.urls import path

from vanphong.core.views import accounts, audit, delegations, home, organizations, people

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", home.LoginView.as_view(), name="login"),
    path("logout/", home.auth_views.LogoutView.as_view(), name="logout"),
    path("language/", home.set_language, name="set_language"),
    path("profile/", home.profile, name="profile"),
    # organisations
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", organizations.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:pk>/restructure/",
        organizations.organization_restructure,
        name="organization_restructure",
    ),
    path("organizations/<int:pk>/history/", organizations.organization_history, name="organization_history"),
    # people and positions
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/history/", people.person_history, name="person_history"),
    path("people/<int:pk>/positions/new/", people.position_assign, name="position_assign"),
    path("positions/<int:pk>/end/", people.position_end, name="position_end"),
    path("people/<int:pk>/roles/new/", people.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", people.role_revoke, name="role_revoke"),
    # accounts
    path("accounts/", accounts.account_list, name="account_list"),
    path("people/<int:pk>/account/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/action/", accounts.account_action, name="account_action"),
    # delegations
    path("delegations/", delegations.delegation_list, name="delegation_list"),
    path("delegations/new/", delegations.delegation_create, name="delegation_create"),
    path("delegations/<int:pk>/revoke/", delegations.delegation_revoke, name="delegation_revoke"),
    # audit
    path("audit/", audit.audit_list, name="audit_list"),
]

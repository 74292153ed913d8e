"""Django admin, for central administrators only.

The admin bypasses the services, so it is read-only for the records that
the audit trail covers; central administrators use it to look, and the
pages and API to change.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from steward.organisations.access import access_for_user
from steward.organisations.models import (
    ApiKey,
    Membership,
    Organisation,
    Role,
    SiroAppointment,
)


def _central_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff  # type: ignore[union-attr]
        and user.is_verified()  # type: ignore[union-attr]
        and Role.CENTRAL in access_for_user(user).roles
    )


admin.site.has_permission = _central_only  # type: ignore[method-assign]
admin.site.site_header = "Steward administration"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def,override]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return _central_only(request)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "path")
    search_fields = ("name", "code")
    list_filter = ("kind",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "organisation", "granted_at", "revoked_at")
    list_filter = ("role",)


@admin.register(SiroAppointment)
class SiroAppointmentAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "person", "started_at", "ended_at")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "role", "prefix", "revoked_at")
    exclude = ("digest",)

from django.contrib import admin

from tyollisyystalo.organisations.models import Municipality, Organisation, Unit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["code", "name_fi", "name_sv"]


class UnitInline(admin.TabularInline[Unit, Organisation]):
    model = Unit
    extra = 0
    fk_name = "organisation"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name_fi", "type", "code", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name_fi", "code"]
    filter_horizontal = ["municipalities"]
    inlines = [UnitInline]

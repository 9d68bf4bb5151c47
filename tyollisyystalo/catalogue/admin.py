from django.contrib import admin

from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    Service,
    ServiceArea,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)


class AttributeInline(admin.TabularInline[Attribute, Service]):
    model = Attribute
    extra = 0
    autocomplete_fields = ["taxonomy_term"]


class AreaInline(admin.TabularInline[ServiceArea, Service]):
    model = ServiceArea
    extra = 0


class LanguageInline(admin.TabularInline[ServiceLanguage, Service]):
    model = ServiceLanguage
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = [
        "source_id",
        "name_fi",
        "organization",
        "status",
        "is_published",
        "last_modified",
    ]
    list_filter = ["status", "is_published", "organization__kind"]
    search_fields = ["source_id", "name_fi", "name_sv", "name_en"]
    inlines = [AttributeInline, AreaInline, LanguageInline]


@admin.register(CatalogueOrganization)
class CatalogueOrganizationAdmin(admin.ModelAdmin[CatalogueOrganization]):
    list_display = ["source_id", "name_fi", "kind", "network_organisation"]
    search_fields = ["source_id", "name_fi"]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin[Taxonomy]):
    list_display = ["code", "name", "version"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin[TaxonomyTerm]):
    list_display = ["taxonomy", "code", "name_fi", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["code", "name_fi"]

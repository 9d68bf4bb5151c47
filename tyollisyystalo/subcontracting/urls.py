from django.urls import path

from tyollisyystalo.subcontracting import views

app_name = "subcontracting"
urlpatterns = [
    path("", views.index, name="index"),
    path("ryhmat/<int:group_id>/", views.group, name="group"),
    path("ryhmat/<int:group_id>/tyontekijat/uusi/", views.member_add, name="member_add"),
    path("ryhmat/<int:group_id>/palkat.csv", views.payroll, name="payroll"),
    path("ryhmat/<int:group_id>/talous/", views.group_economics, name="economics"),
    path("skenaariot/", views.scenarios, name="scenarios"),
    path("tyontekijat/<uuid:member_id>/", views.member, name="member"),
    path("tyontekijat/<uuid:member_id>/paata/", views.member_end, name="member_end"),
    path("tilaajat/", views.customers, name="customers"),
    path("tilaajat/<int:customer_id>/", views.customer, name="customer"),
    path("tilaajat/<int:customer_id>/sopimus/<int:version>/", views.agreement, name="agreement"),
    path("tilaukset/<uuid:order_id>/", views.order, name="order"),
    path("tilaukset/<uuid:order_id>/tila/", views.order_transition, name="order_transition"),
    path("tilaukset/<uuid:order_id>/riskiarvio/", views.order_risk, name="order_risk"),
    path("tilaukset/<uuid:order_id>/rivit/", views.order_line, name="order_line"),
    path("tilaukset/<uuid:order_id>/tunnit/", views.order_hours, name="order_hours"),
    path("tilaukset/<uuid:order_id>/laskuta/", views.invoice_send, name="invoice_send"),
    path("laskut/<uuid:invoice_id>/", views.invoice, name="invoice"),
    path("laskut/<uuid:invoice_id>/pdf/", views.invoice_pdf_view, name="invoice_pdf"),
    path("laskut/<uuid:invoice_id>/finvoice.xml", views.invoice_finvoice, name="invoice_finvoice"),
]

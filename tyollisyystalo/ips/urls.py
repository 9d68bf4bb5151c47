app_name = "ips"
urlpatterns: list[object] = []

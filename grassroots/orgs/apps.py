from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "grassroots.orgs"
    label = "orgs"

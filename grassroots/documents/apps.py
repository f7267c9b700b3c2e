from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "grassroots.documents"
    label = "documents"

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "grassroots.documents"
    label = "documents"

    def ready(self) -> None:
        from grassroots.core import citations

        from . import citations as documents_citations

        citations.register(documents_citations.SOURCES)

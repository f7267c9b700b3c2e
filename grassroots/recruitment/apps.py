from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "grassroots.recruitment"
    label = "recruitment"

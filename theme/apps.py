from django.apps import AppConfig


class ThemeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "theme"

    def ready(self):
        # Wagtail's CSV exports (listings, reports, modeladmin) write what
        # visitors typed as is, and a spreadsheet runs a cell that starts with
        # "=" as a formula: every CSV the site writes goes through one safe
        # writer (theme/csv_safety.py).
        from theme import csv_safety, srcset

        csv_safety.install()
        # A small image asked for wider renditions names one width once.
        srcset.install()

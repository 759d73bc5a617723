from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "site_config"

    def ready(self):
        from site_config.chrome import connect_signals
        from site_config.purge import purge_signals_connect

        connect_signals()
        purge_signals_connect()

from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "site_config"

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from site_config.chrome import connect_signals
        from site_config.purge import purge_signals_connect
        from site_config.translations.services import copy_for_translation_recorded

        connect_signals()
        purge_signals_connect()
        copy_for_translation_done.connect(
            copy_for_translation_recorded,
            dispatch_uid="site_config_translation_recorded",
        )

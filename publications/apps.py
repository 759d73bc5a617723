from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publications"

    def ready(self):
        from django.db.models.signals import post_save

        from wagtail.documents import get_document_model
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published

        from publications.partners import study_files_release
        from publications.pdf.signals import document_saved, study_published
        from publications.permissions import VoicesPagePermissionPolicy, install
        from publications.review_emails import review_emails_connect

        # Registered for the concrete Page model, so it is found before
        # Wagtail's own policy (registered for AbstractPage).
        register_permission_policy(Page, VoicesPagePermissionPolicy(Page))
        # Partner authors see others' pages under their live title (once).
        install()
        page_published.connect(
            study_files_release, dispatch_uid="publications_study_files_release"
        )
        # Before wagtail.admin's ready(): ours take the place of its handlers.
        review_emails_connect()
        # OAI-PMH tombstones (publications/oai/signals.py) and download counts.
        from publications import downloads
        from publications.oai import signals as oai_signals

        oai_signals.connect()
        downloads.connect()
        # The library's facet counts, kept with the publications they count.
        from publications.library import tally

        tally.connect(self)
        # After study_files_release: the files it moved may now be indexed.
        page_published.connect(
            study_published, dispatch_uid="publications_pdf_study_published"
        )
        post_save.connect(
            document_saved,
            sender=get_document_model(),
            dispatch_uid="publications_pdf_document_saved",
        )

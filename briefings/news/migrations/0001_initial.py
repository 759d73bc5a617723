"""News sources and items move from the briefings app to their own, tables and all."""

import briefings.news.models
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("briefings", "0004_mailing"),
        ('publications', '0003_voices_partner'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (made by the briefings app's migrations 0002 to
            # 0004, under the names the models keep): only the state moves.
            state_operations=[
                migrations.CreateModel(
                    name='NewsSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('feed_url', models.URLField(help_text='The address of the RSS or Atom feed (http or https).', max_length=2000, unique=True, validators=[django.core.validators.URLValidator(schemes=['http', 'https']), briefings.news.models.feed_url_validate], verbose_name='feed address')),
                        ('site_url', models.URLField(blank=True, max_length=2000, verbose_name='website')),
                        ('category', models.CharField(blank=True, help_text='A free label to group sources, e.g. “Great Lakes press”.', max_length=100, verbose_name='category')),
                        ('language', models.CharField(blank=True, help_text='The language most items of this feed are written in.', max_length=10, verbose_name='language')),
                        ('include_keywords', models.TextField(blank=True, help_text='One word or phrase per line. When set, only items that mention at least one of them enter the inbox; the others are dismissed.', verbose_name='include keywords')),
                        ('exclude_keywords', models.TextField(blank=True, help_text='One word or phrase per line. Items that mention any of them are dismissed on arrival.', verbose_name='exclude keywords')),
                        ('is_active', models.BooleanField(default=True, help_text='Inactive sources are not polled.', verbose_name='active')),
                        ('poll_interval', models.PositiveIntegerField(default=60, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(10080)], verbose_name='poll interval (minutes)')),
                        ('etag', models.CharField(blank=True, editable=False, max_length=500, verbose_name='ETag')),
                        ('last_modified', models.CharField(blank=True, editable=False, max_length=100, verbose_name='Last-Modified')),
                        ('last_body_hash', models.CharField(blank=True, editable=False, max_length=64)),
                        ('last_fetched_at', models.DateTimeField(blank=True, null=True, verbose_name='last fetched')),
                        ('last_success_at', models.DateTimeField(blank=True, null=True, verbose_name='last success')),
                        ('last_outcome', models.CharField(blank=True, choices=[('changed', 'New content'), ('not_modified', 'Not modified (304)'), ('unchanged', 'Same content as last time'), ('failed', 'Failed')], max_length=20, verbose_name='last outcome')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('last_error_at', models.DateTimeField(blank=True, null=True, verbose_name='last error at')),
                        ('last_note', models.TextField(blank=True, help_text='What the parser noticed about the last document.', verbose_name='last parse note')),
                        ('failure_count', models.PositiveIntegerField(default=0, verbose_name='consecutive failures')),
                        ('next_poll_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='next poll')),
                        ('ingest_started_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('default_countries', models.ManyToManyField(blank=True, help_text='New items from this source are tagged with these countries.', related_name='+', to='publications.country', verbose_name='default countries')),
                        ('default_programmes', models.ManyToManyField(blank=True, help_text='New items from this source are tagged with these programmes.', related_name='+', to='publications.programme', verbose_name='default programmes')),
                    ],
                    options={
                        'verbose_name': 'news source',
                        'verbose_name_plural': 'news sources',
                        'db_table': 'briefings_newssource',
                        'ordering': ['title'],
                    },
                ),
                migrations.CreateModel(
                    name='NewsItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('identity', models.CharField(editable=False, help_text='SHA-256 of the GUID, else the link, else the title and date.', max_length=64)),
                        ('guid', models.CharField(blank=True, editable=False, max_length=1000, verbose_name='GUID')),
                        ('link', models.URLField(blank=True, max_length=2000, verbose_name='link')),
                        ('canonical_url', models.URLField(blank=True, editable=False, max_length=2000, verbose_name='canonical address')),
                        ('canonical_hash', models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                        ('title', models.CharField(max_length=500, verbose_name='title')),
                        ('author', models.CharField(blank=True, max_length=300, verbose_name='author')),
                        ('summary_html', models.TextField(blank=True, help_text='Cleaned HTML: only the tags and links the policy allows.', verbose_name='summary')),
                        ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('content_hash', models.CharField(editable=False, max_length=64)),
                        ('status', models.CharField(choices=[('new', 'New'), ('shortlisted', 'Shortlisted'), ('used', 'Used'), ('dismissed', 'Dismissed')], db_index=True, default='new', max_length=20, verbose_name='status')),
                        ('rule_note', models.CharField(blank=True, help_text='Why a keyword rule dismissed this item on arrival.', max_length=300, verbose_name='rule note')),
                        ('first_seen_at', models.DateTimeField(auto_now_add=True, verbose_name='first seen')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('countries', models.ManyToManyField(blank=True, related_name='news_items', to='publications.country', verbose_name='countries')),
                        ('duplicate_of', models.ForeignKey(blank=True, editable=False, help_text='The same article, first received from another source.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='news.newsitem', verbose_name='duplicate of')),
                        ('programmes', models.ManyToManyField(blank=True, related_name='news_items', to='publications.programme', verbose_name='programmes')),
                        ('used_in', models.ForeignKey(blank=True, editable=False, help_text='The digest issue this item was last added to.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='used in')),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='news.newssource', verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'news item',
                        'verbose_name_plural': 'news items',
                        'db_table': 'briefings_newsitem',
                        'ordering': ['-published_at', '-pk'],
                        'indexes': [models.Index(fields=['status', '-published_at'], name='briefings_news_status_date')],
                        'constraints': [models.UniqueConstraint(fields=('source', 'identity'), name='briefings_newsitem_unique_identity_per_source')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

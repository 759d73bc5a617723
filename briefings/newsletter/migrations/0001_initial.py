"""Mailing lists, subscribers, consent and dispatches move from the briefings app to their own, tables and all."""

import briefings.newsletter.models
import django.db.models.deletion
import django.utils.timezone
import modelsearch.index
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("briefings", "0004_mailing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (made by the briefings app's migrations 0002 to
            # 0004, under the names the models keep): only the state moves.
            state_operations=[
                migrations.CreateModel(
                    name='MailingList',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('description', models.TextField(blank=True, help_text='Shown on the subscription form.', verbose_name='description')),
                        ('digest_type', models.CharField(blank=True, choices=briefings.newsletter.models.digest_kinds, help_text='Leave empty for a list that may carry any digest.', max_length=80, verbose_name='digest it carries')),
                        ('from_name', models.CharField(max_length=120, verbose_name='sender name')),
                        ('from_email', models.EmailField(max_length=254, verbose_name='sender address')),
                        ('reply_to', models.EmailField(blank=True, max_length=254, verbose_name='reply-to address')),
                        ('is_public', models.BooleanField(default=True, verbose_name='offered on the public form')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'mailing list',
                        'verbose_name_plural': 'mailing lists',
                        'db_table': 'briefings_mailinglist',
                        'ordering': ['sort_order', 'name'],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name='Subscriber',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, unique=True, verbose_name='email address')),
                        ('name', models.CharField(blank=True, max_length=120, verbose_name='name')),
                        ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French'), ('sw', 'Swahili')], default='en', max_length=8, verbose_name='language')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for confirmation'), ('confirmed', 'Confirmed'), ('unsubscribed', 'Unsubscribed'), ('bounced', 'Bounced (hard)'), ('complained', 'Complained (spam report)')], db_index=True, default='pending', max_length=16, verbose_name='status')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                        ('status_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='status changed')),
                        ('key', models.CharField(default=briefings.newsletter.models._new_key, editable=False, max_length=64, unique=True)),
                        ('confirmation_nonce', models.CharField(blank=True, editable=False, max_length=64)),
                    ],
                    options={
                        'verbose_name': 'subscriber',
                        'verbose_name_plural': 'subscribers',
                        'db_table': 'briefings_subscriber',
                        'ordering': ['email'],
                    },
                ),
                migrations.CreateModel(
                    name='Dispatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('done', 'Sent'), ('failures', 'Sent, with failures')], default='queued', max_length=16, verbose_name='status')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='recipients')),
                        ('runner', models.CharField(blank=True, editable=False, max_length=64)),
                        ('lease_until', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                        ('page', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='issue')),
                        ('mailing_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dispatches', to='newsletter.mailinglist', verbose_name='list')),
                    ],
                    options={
                        'verbose_name': 'dispatch',
                        'verbose_name_plural': 'dispatches',
                        'db_table': 'briefings_dispatch',
                        'ordering': ['-created_at', '-pk'],
                        'permissions': [('send_digest', 'Can send digests to mailing lists')],
                    },
                ),
                migrations.CreateModel(
                    name='ConsentRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('requested', 'Asked to subscribe'), ('confirmed', 'Confirmed by email'), ('preferences', 'Changed preferences'), ('unsubscribed', 'Unsubscribed'), ('imported', 'Imported with consent')], max_length=16, verbose_name='action')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                        ('list_names', models.TextField(blank=True, verbose_name='lists')),
                        ('form_text', models.TextField(blank=True, verbose_name='text the person agreed to')),
                        ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                        ('source', models.CharField(blank=True, help_text='The form or the import file that recorded it.', max_length=255, verbose_name='source')),
                        ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='newsletter.subscriber')),
                    ],
                    options={
                        'verbose_name': 'consent record',
                        'verbose_name_plural': 'consent records',
                        'db_table': 'briefings_consentrecord',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended')),
                        ('mailing_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='newsletter.mailinglist', verbose_name='list')),
                        ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='newsletter.subscriber')),
                    ],
                    options={
                        'verbose_name': 'subscription',
                        'verbose_name_plural': 'subscriptions',
                        'db_table': 'briefings_subscription',
                    },
                ),
                migrations.AddField(
                    model_name='subscriber',
                    name='lists',
                    field=models.ManyToManyField(related_name='subscribers', through='newsletter.Subscription', to='newsletter.mailinglist', verbose_name='lists'),
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(max_length=8, verbose_name='language')),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped (left before sending)')], default='pending', max_length=16, verbose_name='status')),
                        ('claim', models.CharField(blank=True, editable=False, max_length=64)),
                        ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('error', models.TextField(blank=True, verbose_name='reason of failure')),
                        ('dispatch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='newsletter.dispatch')),
                        ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='newsletter.subscriber')),
                    ],
                    options={
                        'verbose_name': 'delivery',
                        'verbose_name_plural': 'deliveries',
                        'db_table': 'briefings_delivery',
                        'indexes': [models.Index(fields=['dispatch', 'status'], name='briefings_d_dispatc_b28882_idx')],
                        'constraints': [models.UniqueConstraint(fields=('dispatch', 'subscriber'), name='unique_delivery')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='subscription',
                    constraint=models.UniqueConstraint(fields=('subscriber', 'mailing_list'), name='unique_subscription'),
                ),
            ],
            database_operations=[],
        ),
    ]

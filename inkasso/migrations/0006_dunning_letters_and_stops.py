"""The dunning ledger: letters sent per order and level, and dunning stops."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from inkasso.conf import app_settings


class Migration(migrations.Migration):

    dependencies = [
        ('inkasso', '0005_handover_purged_at'),
        migrations.swappable_dependency(app_settings.ORDER_MODEL),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DunningStop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('disputed', 'Claim disputed'), ('payment_plan', 'Payment plan agreed'), ('other', 'Other')], max_length=20, verbose_name='reason')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='stopped at')),
                ('lifted_at', models.DateTimeField(blank=True, null=True, verbose_name='lifted at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='stopped by')),
                ('lifted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='lifted by')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inkasso_dunning_stops', to=app_settings.ORDER_MODEL, verbose_name='order')),
            ],
            options={
                'verbose_name': 'dunning stop',
                'verbose_name_plural': 'dunning stops',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('lifted_at__isnull', True)), fields=('order',), name='inkasso_one_active_dunning_stop_per_order')],
            },
        ),
        migrations.CreateModel(
            name='Letter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(verbose_name='level')),
                ('is_mahnung', models.BooleanField(help_text='A payment reminder is not a Mahnung; the handover counts these.', verbose_name='real Mahnung')),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('deadline', models.DateField(verbose_name='payment deadline')),
                ('fee', models.DecimalField(decimal_places=2, default=0, max_digits=8, verbose_name='dunning fee')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='open amount asked')),
                ('channel', models.CharField(choices=[('email', 'E-mail'), ('post', 'Post')], max_length=10, verbose_name='channel')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='sent to')),
                ('language', models.CharField(max_length=10, verbose_name='language')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('text', models.TextField(help_text='The letter as plain text.', verbose_name='text')),
                ('pdf', models.BinaryField(verbose_name='letter (PDF)')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('status', models.CharField(choices=[('pending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                ('failure_reason', models.TextField(blank=True, verbose_name='reason of the failure')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inkasso_letters', to=app_settings.ORDER_MODEL, verbose_name='order')),
                ('sent_by', models.ForeignKey(blank=True, help_text='Empty: sent by the command inkasso_remind.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
            ],
            options={
                'verbose_name': 'dunning letter',
                'verbose_name_plural': 'dunning letters',
                'ordering': ['order', 'level', 'created_at'],
                'permissions': [('send_reminders', 'Can send payment reminders and dunning letters')],
                'indexes': [models.Index(fields=['order', 'status', 'level'], name='inkasso_letter_by_order')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'failed'), _negated=True), fields=('order', 'level'), name='inkasso_one_letter_per_order_and_level')],
            },
        ),
    ]

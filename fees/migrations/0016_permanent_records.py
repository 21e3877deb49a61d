# Money and register records become permanent (config.permanence): triggers refuse to delete
# their rows (and their histories'), to truncate their tables, and to change a field fixed
# once written. Each MakePermanent is a frozen copy of the model's @permanent declaration
# (tests/fees/test_permanence.py checks that they agree); reversed, the triggers go.

from django.db import migrations

from config.permanence import InstallRefusal, MakePermanent


class Migration(migrations.Migration):

    dependencies = [
        ('fees', '0015_permit_photo_server_made_name'),
    ]

    operations = [
        InstallRefusal(),
        # Receipts, their lines and printed copies.
        MakePermanent(
            'receipt',
            fixed=(
                'number',
                'year',
                'token',
                'request_key',
                'payer_kind',
                'tenant',
                'contractor',
                'payer_name',
                'unit',
                'business_date',
                'issued_at',
                'cashier',
                'method',
                'reference',
                'total',
                'note',
                'discount_approved_by',
                'reverses',
                'reversal_reason',
                'book',
                'paper_number',
                'chain_previous',
                'chain_hash',
            ),
            frozen_when="OLD.status = 'void'",
        ),
        MakePermanent('historicalreceipt'),
        MakePermanent('receiptline'),
        MakePermanent('receiptprint'),
        # The daily close: the day, its figures, its counts, the handover, discrepancies.
        MakePermanent(
            'dailyclose', fixed=('business_date',), frozen_when="OLD.state = 'handed_over'"
        ),
        MakePermanent('historicaldailyclose'),
        MakePermanent(
            'dailyclosemethod',
            fixed=('close', 'method'),
            frozen_when=(
                "EXISTS (SELECT 1 FROM fees_dailyclose WHERE fees_dailyclose.id = OLD.close_id"
                " AND fees_dailyclose.state IN ('approved', 'handed_over'))"
            ),
        ),
        MakePermanent('historicaldailyclosemethod'),
        MakePermanent('daycount'),
        MakePermanent('daycountcash'),
        MakePermanent('daycountamount'),
        MakePermanent('handover'),
        MakePermanent('historicalhandover'),
        MakePermanent(
            'discrepancy',
            fixed=('handover', 'amount'),
            filled_once=('explanation', 'signed_off_by', 'signed_off_at'),
        ),
        MakePermanent('historicaldiscrepancy'),
        # The month lock and its frozen files.
        MakePermanent('monthlock'),
        MakePermanent('historicalmonthlock'),
        # Permits, charges and dunning notes.
        MakePermanent(
            'permit',
            fixed=(
                'number',
                'worker_name',
                'id_doc_type',
                'id_number',
                'phone',
                'photo',
                'contractor',
                'unit',
                'valid_from',
                'valid_to',
                'receipt',
                'replaces',
                'card_deposit',
                'issued_by',
                'issued_at',
            ),
            filled_once=('returned_on', 'lost_reported_on', 'deposit_released_on'),
            frozen_when="OLD.status = 'cancelled'",
        ),
        MakePermanent('historicalpermit'),
        MakePermanent(
            'charge',
            fixed=(
                'tenant',
                'unit',
                'fee_type',
                'description',
                'amount',
                'billed_on',
                'due_on',
                'created_by',
            ),
            frozen_when='OLD.cancelled = TRUE',
        ),
        MakePermanent('historicalcharge'),
        MakePermanent('dunningnote'),
        # Paper receipt books, their spoiled numbers, and the numbering sequences.
        MakePermanent(
            'receiptbook',
            fixed=('series', 'first_number', 'last_number', 'issued_to', 'issued_on', 'notes'),
            filled_once=('returned_on',),
        ),
        MakePermanent('historicalreceiptbook'),
        MakePermanent('spoiledpaperreceipt'),
        MakePermanent('numbersequence', fixed=('key',), only_up=('last_value',)),
    ]

#!/usr/bin/env perl
# What a signed POST stores: batches, every message type, BSUID-only
# senders; and what it refuses to store: unknown types, malformed, deep,
# empty and oversized bodies.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db, max_body => '64k');
my $dbh = $db->dbh;

sub count { scalar $dbh->selectrow_array('SELECT COUNT(*) FROM message_in') }
sub row {
    $dbh->selectrow_hashref('SELECT * FROM message_in WHERE wamid = ?',
                            undef, $_[0]);
}

# --- every message type of the reference ---------------------------------

my %media = (id => '1479537139650973', mime_type => 'image/jpeg',
             sha256 => 'B0aD2hfH0WWpWdmZ1pqTfVQX3M6iTjTNCAOgkIpTQ5g=');
my @types = (
    [ text => { text => { body => 'ఆదాయ ధృవీకరణ పత్రం' } }, 'ఆదాయ ధృవీకరణ పత్రం' ],
    [ interactive => { interactive => { type => 'button_reply',
        button_reply => { id => 'confirm', title => 'Confirm' } } }, 'confirm' ],
    [ interactive => { interactive => { type => 'list_reply',
        list_reply => { id => 'svc:REV-INC', title => 'Income certificate',
                        description => 'Revenue' } } }, 'svc:REV-INC' ],
    [ interactive => { interactive => { type => 'nfm_reply', nfm_reply => {
        name => 'flow', body => 'Sent',
        response_json => '{"flow_token":"t","name":"Ravi"}' } } },
        '{"flow_token":"t","name":"Ravi"}' ],
    [ button => { button => { text => 'Yes', payload => 'renew-yes' } }, 'renew-yes' ],
    [ location => { location => { latitude => 16.5062, longitude => 80.648,
        name => 'Vijayawada', address => 'MG Road' } }, undef ],
    [ image => { image => { %media, caption => 'my ration card' } }, 'my ration card' ],
    [ document => { document => { %media, mime_type => 'application/pdf',
        filename => 'aadhaar-masked.pdf' } }, undef ],
    [ audio => { audio => { %media, mime_type => 'audio/ogg; codecs=opus',
        voice => JSON::PP::true } }, undef ],
    [ video => { video => { %media, mime_type => 'video/mp4' } }, undef ],
    [ sticker => { sticker => { %media, mime_type => 'image/webp',
        animated => JSON::PP::false } }, undef ],
    [ contacts => { contacts => [ { name => { formatted_name => 'Ravi',
        first_name => 'Ravi' }, phones => [ { phone => '+91 90000 00009',
        type => 'CELL' } ] } ] }, undef ],
    [ reaction => { reaction => { message_id => 'wamid.OUT1', emoji => '👍' } }, '👍' ],
    [ unsupported => { errors => [ { code => 131051,
        title => 'Message type unknown' } ] }, undef ],
);

my @msgs;
my $i = 0;
for my $t (@types) {
    my ($type, $part) = @$t;
    push @msgs, { from => '919000000001', id => "wamid.type." . $i++,
                  timestamp => '1760000000', type => $type, %$part,
                  context => { from => '15550000000', id => 'wamid.OUT0' } };
}

my $r = $ngx->post_webhook(wh_payload(messages => \@msgs));
is($r->{status}, 200, 'every message type: 200');
is(json_decode($r->{content})->{stored}, scalar @types, 'all stored');

$i = 0;
for my $t (@types) {
    my ($type, undef, $body) = @$t;
    my $row = row("wamid.type." . $i);
    ok($row, "$type #$i stored") or next;
    is($row->{type}, $type, "$type #$i: type");
    is($row->{body}, $body, "$type #$i: body");
    is($row->{sender_phone}, '919000000001', "$type #$i: phone");
    is($row->{sender_bsuid}, 'IN.1000000001', "$type #$i: BSUID from contacts");
    is($row->{phone_number_id}, '106540352242922', "$type #$i: our number");
    is($row->{sent_at}, '2025-10-09 08:53:20', "$type #$i: timestamp in UTC");
    is_deeply(json_decode($row->{content}), $msgs[$i], "$type #$i: content kept whole");
    $i++;
}

# --- a batch: several entries, changes, messages and statuses -------------

$dbh->do(q{INSERT INTO outbox (phone_number_id, to_phone, payload, state, wamid)
           VALUES ('106540352242922', '919000000001', '{}', 2, 'wamid.out.1'),
                  ('106540352242922', '919000000001', '{}', 2, 'wamid.out.2')});

my $batch = wh_payload(messages => [ wh_text_message(id => 'wamid.b.1'),
                                     wh_text_message(id => 'wamid.b.2') ],
                       statuses => [ wh_status('wamid.out.1', 'delivered') ]);
my $e2 = wh_payload(messages => [ wh_text_message(id => 'wamid.b.3') ],
                    statuses => [ wh_status('wamid.out.2', 'read'),
                                  wh_status('wamid.unknown', 'sent') ]);
push @{ $batch->{entry} }, $e2->{entry}[0];
push @{ $batch->{entry}[0]{changes} }, { field => 'messages', value => {
    messaging_product => 'whatsapp',
    metadata => { phone_number_id => '106540352242999' },
    contacts => [ { user_id => 'IN.77', wa_id => '919000000077' } ],
    messages => [ wh_text_message(id => 'wamid.b.4', from => '919000000077') ] } };

$r = $ngx->post_webhook($batch);
is($r->{status}, 200, 'batched payload: 200');
is_deeply(json_decode($r->{content}),
          { stored => 4, duplicate => 0, statuses => 3, skipped => 0 },
          'four messages and three statuses taken');
ok(row("wamid.b.$_"), "batched message $_ stored") for 1 .. 4;
is(row('wamid.b.4')->{phone_number_id}, '106540352242999', 'routed by its own metadata');
is(row('wamid.b.4')->{sender_bsuid}, 'IN.77', 'its own contact');
my $st = $dbh->selectall_hashref('SELECT wamid, delivery_status FROM outbox', 'wamid');
is($st->{'wamid.out.1'}{delivery_status}, 2, 'outbox row 1 delivered');
is($st->{'wamid.out.2'}{delivery_status}, 3, 'outbox row 2 read');

# --- statuses never move backwards ---------------------------------------

$r = $ngx->post_webhook(wh_payload(statuses => [
    wh_status('wamid.out.2', 'delivered'), wh_status('wamid.out.2', 'sent') ]));
is($r->{status}, 200, 'late statuses: 200');
is($dbh->selectrow_array(q{SELECT delivery_status FROM outbox WHERE wamid = 'wamid.out.2'}),
   3, 'a late delivered or sent does not overwrite read');

$r = $ngx->post_webhook(wh_payload(statuses => [ wh_status('wamid.out.1', 'failed',
    extra => { errors => [ { code => 131047, title => 'Re-engagement message',
        error_data => { details => 'Message failed to send because more than 24 hours have passed' } } ] }) ]));
is($r->{status}, 200, 'failed status: 200');
my $o = $dbh->selectrow_hashref(q{SELECT * FROM outbox WHERE wamid = 'wamid.out.1'});
is($o->{delivery_status}, 5, 'failed recorded');
is($o->{error_code}, 131047, 'with the error code');
like($o->{error_text}, qr/24 hours/, 'and the details');

# --- senders ---------------------------------------------------------------

$r = $ngx->post_webhook(wh_payload(
    contacts => [ { profile => { name => 'U' }, user_id => 'IN.1502576394655843' } ],
    messages => [ { id => 'wamid.bsuid.only', timestamp => '1760000000',
                    type => 'text', text => { body => 'Hi' } } ]));
is($r->{status}, 200, 'BSUID-only sender: 200');
my $row = row('wamid.bsuid.only');
is($row->{sender_bsuid}, 'IN.1502576394655843', 'keyed by the BSUID');
is($row->{sender_phone}, undef, 'no phone number invented');

$r = $ngx->post_webhook(wh_payload(contacts => [],
    messages => [ { id => 'wamid.nosender', type => 'text', text => { body => 'x' } } ]));
is($r->{status}, 200, 'a message with no sender at all: 200');
is(json_decode($r->{content})->{skipped}, 1, 'skipped');
is(row('wamid.nosender'), undef, 'not stored');

# --- unusable content: 200, counted, nothing stored ------------------------

my $before = count();
my ($h0) = $ngx->health;

$r = $ngx->post_webhook(wh_payload(messages => [
    { from => '919000000001', id => 'wamid.unknown.type', timestamp => '1760000000',
      type => 'hologram', hologram => { depth => 3 } },
    wh_text_message(id => 'wamid.next.to.unknown') ]));
is($r->{status}, 200, 'unknown message type: 200');
is(row('wamid.unknown.type'), undef, 'the unknown type is not stored');
ok(row('wamid.next.to.unknown'), 'the message beside it is');

my $odd = wh_payload(messages => [ wh_text_message(id => 'wamid.extra.fields') ]);
$odd->{entry}[0]{changes}[0]{value}{future_field} = { nested => [1, 2, 3] };
$odd->{entry}[0]{changes}[0]{value}{messages}[0]{text}{future} = 'x';
$odd->{brand_new} = 'thing';
$r = $ngx->post_webhook($odd);
is($r->{status}, 200, 'unknown fields: 200');
ok(row('wamid.extra.fields'), 'unknown fields ignored, message stored');

$before = count();
for my $case (
    [ 'malformed JSON', '{"object":"whatsapp_business_account","entry":[' ],
    [ 'not JSON at all', 'hub.mode=subscribe' ],
    [ 'empty body', '' ],
    [ 'an unknown object', json_encode({ object => 'page', entry => [] }) ],
    [ 'entry of the wrong type', json_encode({ object => 'whatsapp_business_account', entry => 'x' }) ],
    [ 'a JSON array', '[1,2,3]' ],
    [ 'deep nesting', '{"object":"whatsapp_business_account","entry":' . ('[' x 5000) . (']' x 5000) . '}' ],
    [ 'a field of the wrong type', json_encode(wh_payload(messages => [ { id => 'wamid.wrong', type => 'text', from => 919000000001 } ])) ],
    [ 'a change of another field', json_encode({ object => 'whatsapp_business_account', entry => [ { id => '1', changes => [ { field => 'account_update', value => { event => 'x' } } ] } ] }) ],
    [ 'hostile ids', json_encode(wh_payload(messages => [ { from => '919000000001', id => "wamid.x'; DROP TABLE message_in; --", type => 'text', text => { body => 'x' } } ])) ],
) {
    my ($name, $body) = @$case;
    $r = $ngx->post_webhook($body);
    is($r->{status}, 200, "$name: 200 (a retry would not help)");
}
is(count(), $before, 'none of them stored anything');
my ($h1) = $ngx->health;
is($h1->{counters}{unusable_payloads} - $h0->{counters}{unusable_payloads}, 7,
   'unusable payloads counted');
ok($h1->{counters}{items_skipped} > $h0->{counters}{items_skipped}, 'skipped items counted');
like($ngx->error_log_text, qr/unusable payload: JSON nested deeper than 32/, 'deep nesting logged');

# --- oversized --------------------------------------------------------------

my $big = wh_payload(messages => [ wh_text_message(id => 'wamid.big', text => 'x' x (70 * 1024)) ]);
$r = $ngx->post_webhook($big);
is($r->{status}, 413, 'a body over mana_webhook_max_body: 413');
is(row('wamid.big'), undef, 'not stored');

my $fits = wh_payload(messages => [ wh_text_message(id => 'wamid.fits', text => 'త' x 15000) ]);
$r = $ngx->post_webhook($fits);
is($r->{status}, 200, 'a 45 KB Telugu text under the limit: 200');
is(length(row('wamid.fits')->{body}), 15000, 'stored whole');

finish_tests();

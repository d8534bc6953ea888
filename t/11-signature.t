#!/usr/bin/env perl
# POST /webhook: X-Hub-Signature-256 over the raw bytes, checked before
# anything is parsed or stored.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Digest::SHA qw(hmac_sha256_hex);
use Encode qw(encode_utf8);
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db);
my $dbh = $db->dbh;

sub stored { $dbh->selectrow_array('SELECT COUNT(*) FROM message_in WHERE wamid = ?', undef, $_[0]) }

my $msg = wh_text_message(id => 'wamid.sig.ok');
my $body = json_encode(wh_payload(messages => [$msg]));

my $r = $ngx->post_webhook($body);
is($r->{status}, 200, 'valid signature: 200');
is(stored('wamid.sig.ok'), 1, 'and the message is stored');

my $n = 0;
for my $case (
    [ 'missing header', undef, 401 ],
    [ 'wrong prefix', 'sha1=' . hmac_sha256_hex($body, $ngx->{app_secret}), 401 ],
    [ 'no prefix', hmac_sha256_hex($body, $ngx->{app_secret}), 401 ],
    [ 'too short', substr($ngx->sign($body), 0, -1), 401 ],
    [ 'too long', $ngx->sign($body) . '0', 401 ],
    [ 'non-hex', 'sha256=' . ('z' x 64), 401 ],
    [ 'empty', '', 401 ],
    [ 'wrong secret', 'sha256=' . hmac_sha256_hex($body, 'other'), 403 ],
) {
    my ($name, $sig, $want) = @$case;
    my $id = 'wamid.sig.bad' . $n++;
    my $b = json_encode(wh_payload(messages => [wh_text_message(id => $id)]));
    # the signature of the case is computed for $body, so recompute where
    # the case means "valid form, wrong key"
    $sig = 'sha256=' . hmac_sha256_hex($b, 'other') if $want == 403;
    $sig = $ngx->sign($b) . '0' if $name eq 'too long';
    $sig = substr($ngx->sign($b), 0, -1) if $name eq 'too short';
    $r = $ngx->post_webhook($b, 'X-Hub-Signature-256' => $sig);
    is($r->{status}, $want, "$name: $want");
    is(stored($id), 0, "$name: nothing stored");
}

# valid for another body
my $other = json_encode(wh_payload(messages => [wh_text_message(id => 'wamid.sig.other')]));
$r = $ngx->post_webhook($other, 'X-Hub-Signature-256' => $ngx->sign($body));
is($r->{status}, 403, 'signature of a different body: 403');
is(stored('wamid.sig.other'), 0, 'nothing stored');

# one byte changed after signing
my $sig = $ngx->sign($other);
(my $tampered = $other) =~ s/Hi/Hj/;
$r = $ngx->post_webhook($tampered, 'X-Hub-Signature-256' => $sig);
is($r->{status}, 403, 'one byte of the body changed: 403');
is(stored('wamid.sig.other'), 0, 'nothing stored');

# upper-case hex is the same digest
$r = $ngx->post_webhook($other, 'X-Hub-Signature-256' => 'sha256=' . uc hmac_sha256_hex($other, $ngx->{app_secret}));
is($r->{status}, 200, 'upper-case hex digits: 200');

# Telugu and emoji, escaped by hand the way Meta does (\u sequences) and
# raw: the signature is over the bytes, never over a re-serialisation
my $raw = encode_utf8('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},"contacts":[{"wa_id":"919000000002","user_id":"IN.2"}],"messages":[{"from":"919000000002","id":"wamid.sig.te","timestamp":"1760000000","type":"text","text":{"body":"నమస్కారం 🙏 ఆదాయ ధృవీకరణ పత్రం"}}]}}]}]}');
$r = $ngx->post_webhook($raw);
is($r->{status}, 200, 'raw UTF-8 body with Telugu and emoji: 200');
my ($text) = $dbh->selectrow_array('SELECT body FROM message_in WHERE wamid = ?', undef, 'wamid.sig.te');
is($text, 'నమస్కారం 🙏 ఆదాయ ధృవీకరణ పత్రం', 'stored exactly');

my $escaped = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},"contacts":[{"wa_id":"919000000002","user_id":"IN.2"}],"messages":[{"from":"919000000002","id":"wamid.sig.esc","timestamp":"1760000000","type":"text","text":{"body":"\u0c39\u0c3e\u0c2f\u0c4d \ud83d\ude4f"}}]}}]}]}';
$r = $ngx->post_webhook($escaped);
is($r->{status}, 200, '\u-escaped Telugu and surrogate-pair emoji: 200');
($text) = $dbh->selectrow_array('SELECT body FROM message_in WHERE wamid = ?', undef, 'wamid.sig.esc');
is($text, "హాయ్ 🙏", 'decoded and stored as UTF-8');

my ($h) = $ngx->health;
is($h->{counters}{signature_rejected}, 10, 'every rejection counted');

finish_tests();

#!/usr/bin/env perl
# MariaDB stops: 503, so Meta keeps the message and retries; MariaDB comes
# back: the next webhook is stored, with no restart of nginx.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb(private => 1);
my $ngx = start_nginx($db, workers => 2, pool_size => 2, connect_timeout => '2s');

my $r = $ngx->post_webhook(wh_payload(messages => [ wh_text_message(id => 'wamid.up.1') ]));
is($r->{status}, 200, 'with the database up: 200');
my ($h, $res) = $ngx->health;
is($res->{status}, 200, 'health: 200');
ok($h->{db}{reachable}, 'health: reachable');

$db->stop;
ok(!$db->running, 'MariaDB stopped');

my $body = json_encode(wh_payload(messages => [ wh_text_message(id => 'wamid.down.1') ]));
for my $try (1 .. 3) {
    $r = $ngx->post_webhook($body);
    is($r->{status}, 503, "database down, try $try: 503");
    like($r->{content}, qr/"error"/, 'with a JSON error, not an HTML page');
}
($h, $res) = $ngx->health;
is($res->{status}, 503, 'health: 503');
ok(!$h->{db}{reachable}, 'health: not reachable');
like($h->{db}{last_error}, qr/\S/, 'health: says why');

$db->start;

# the retry Meta would send
$r = $ngx->post_webhook($body);
is($r->{status}, 200, 'database back: the retried webhook is 200 at once');
my $dbh = $db->dbh;
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid = 'wamid.down.1'}),
   1, 'and stored once');

# every worker recovers: enough requests to reach both
my $ok = 0;
for my $i (1 .. 20) {
    $r = $ngx->post_webhook(wh_payload(messages => [ wh_text_message(id => "wamid.after.$i") ]));
    $ok++ if $r->{status} == 200;
}
is($ok, 20, 'all later webhooks: 200');
($h, $res) = $ngx->health;
is($res->{status}, 200, 'health: 200 again');

# a restart while connections sit idle in the pool: the stale connection
# is noticed or retried, and the webhook is not failed for it
$db->stop;
$db->start;
$r = $ngx->post_webhook(wh_payload(messages => [ wh_text_message(id => 'wamid.restart') ]));
is($r->{status}, 200, 'after a quick restart: 200 on the first try');

finish_tests();

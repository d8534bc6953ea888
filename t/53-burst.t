#!/usr/bin/env perl
# A burst on kept-alive connections, as Meta sends them: every delivery
# answered 200 has its message stored and answered, exactly once, whether
# it shared a transaction with others or ran alone.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my ($wrk) = grep { -x } map { "$_/wrk" } split /:/, $ENV{PATH};
plan skip_all => 'wrk is not installed (./build.sh deps installs it)' unless $wrk;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();
# a long queue timeout: a loaded machine makes a burst wait, and what is
# measured here is that none is lost or answered twice
my $ngx = start_nginx($db, workers => 1, pool_size => 8, queue_size => 4096, queue_timeout => '30s',
                      graph => $graph,
                      http_extra => 'mana_bot on; mana_sender_pair_burst 1000; '
                                    # a business number at Meta's 1,000 msg/s tier
                                    . 'mana_sender_rate 1000;');
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the worker loaded the demo catalogue');

# more bodies than two seconds can use: no wamid is sent twice
my $file = "$ngx->{dir}/bodies.txt";
open my $fh, '>', $file or die $!;
for my $c (1 .. 6000) {
    my $phone = 918100000000 + $c;
    my $body = json_encode(wh_payload(
        contacts => [ { wa_id => "$phone", user_id => "IN.$phone" } ],
        messages => [ wh_text_message(from => "$phone", id => "wamid.burst.$c", text => 'Hi') ]));
    print $fh $ngx->sign($body), "\t", $body, "\n";
}
close $fh;

local $ENV{MANA_BENCH_BODIES} = $file;
local $ENV{MANA_BENCH_THREADS} = 1;
local $ENV{MANA_BENCH_CONNECTIONS} = 64;
local $ENV{MANA_BENCH_RATE} = 0;
my $out = `$wrk -t1 -c64 -d2s -s $Mana::Test::TOP/bench/webhook.lua ${\ $ngx->url('/webhook')} 2>&1`;
my ($n) = $out =~ /(\d+) requests in/;
ok($n && $n < 6000, "wrk sent $n deliveries, each once") or diag $out;
unlike($out, qr/Non-2xx/, 'every one answered 200') or diag $out;

# deliveries still in flight when wrk stopped commit all the same (their
# answers go nowhere): wait for them
my $h;
my $stored;
ok(wait_until(sub {
    ($h) = $ngx->health;
    $stored = $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.burst.%'});
    $stored == $h->{counters}{webhooks} }, 10, 'the last commits'),
   'each delivery has its message stored')
    or diag "$stored stored of $h->{counters}{webhooks}";
is($h->{counters}{messages_duplicate}, 0, 'none was taken for a duplicate');
is($dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.burst.%'
                           AND processed_at IS NULL}), 0, 'and answered by the bot');
ok($h->{counters}{bot_shared_deliveries} > 0,
   "some shared a transaction ($h->{counters}{bot_shared_deliveries} of them, in "
   . "$h->{counters}{bot_transactions} transactions)");
ok(wait_draining(sub { $dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state < 2') }, 10,
                 'the outbox'), 'every reply sent')
    or diag explain $dbh->selectall_arrayref(q{SELECT state, COUNT(*), MIN(error_text), MIN(attempts), MAX(attempts)
                                               FROM outbox GROUP BY state}),
            [ ($ngx->health)[0]{counters} ];
is(scalar $dbh->selectrow_array('SELECT COUNT(DISTINCT citizen_id) FROM outbox'), $stored,
   'one citizen answered per message');

finish_tests();

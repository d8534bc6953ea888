#!/usr/bin/env perl
# Graph unreachable for 30 seconds (the mock stopped: connections refused)
# while citizens write: the webhook goes on answering 200 and storing their
# messages, the bot's replies wait in the outbox, and once Graph is back
# every reply is delivered exactly once.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep time);
use Mana::Test;

my $OUTAGE = 30;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();

# Retries after 1 s, 2 s, then every 3 s, each +-25 %: twenty attempts
# last at least 42 s, more than the outage, and a reply waits at most
# 3.75 s once Graph is back.  (The defaults, 2 s, 10 min and 10 attempts,
# ride out longer outages the same way.)
my $ngx = start_nginx($db, workers => 2, graph => $graph,
    backoff => '1s', backoff_max => '3s',
    graph_extra => 'mana_sender_max_attempts 20;',
    http_extra => 'mana_bot on; mana_catalogue_check 200ms;');
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} },
              30, 'the catalogue'), 'the workers loaded the demo catalogue');

my @phones = map { "91930000000$_" } 1 .. 8;
my $seq = 0;
my (@wamids, @slow, @refused);

# one message from each citizen, through the signed webhook
sub everyone_sends {
    my ($make) = @_;
    for my $phone (@phones) {
        my $msg = { %{ $make->() }, from => $phone, timestamp => '' . int(time),
                    id => "wamid.outage.$phone." . ++$seq };
        my $t = time;
        my $r;
        for (1 .. 50) {
            $r = $ngx->post_webhook(wh_payload(
                contacts => [ { wa_id => $phone, user_id => "IN.$phone" } ],
                messages => [ $msg ]));
            # a worker that has just started may not have its catalogue yet
            last if $r->{status} != 503;
            sleep 0.1;
        }
        my $j = eval { json_decode($r->{content}) } // {};
        push @refused, "$msg->{id}: $r->{status} $r->{content}"
            if $r->{status} != 200 || ($j->{stored} // 0) != 1;
        push @slow, sprintf('%s: %.1f s', $msg->{id}, time - $t) if time - $t > 5;
        push @wamids, $msg->{id};
    }
}
sub rows {
    return @{ $dbh->selectall_arrayref(
        'SELECT id, to_phone, state, attempts, wamid, error_code, error_text, payload'
        . ' FROM outbox WHERE to_phone LIKE ? ORDER BY id', { Slice => {} }, '919300%') };
}

# --- Graph goes away ----------------------------------------------------------

$graph->stop;
my $down = time;
ok(!IO::Socket::INET->new(PeerAddr => $graph->url =~ s{^http://}{}r),
   'Graph refuses connections');

# the citizens write throughout the outage: first contact, a language, the
# notice accepted, a service's page
my @turns = (
    sub { { type => 'text', text => { body => 'Hi' } } },
    sub { { type => 'interactive', interactive => { type => 'button_reply',
            button_reply => { id => 'lang:en', title => 'English' } } } },
    sub { { type => 'interactive', interactive => { type => 'button_reply',
            button_reply => { id => 'btn:accept', title => 'OK, continue' } } } },
    sub { { type => 'text', text => { body => 'REV-FEES' } } },
);
for my $i (0 .. $#turns) {
    my $wait = $down + $i * ($OUTAGE - 4) / $#turns - time;
    sleep($wait) if $wait > 0;
    everyone_sends($turns[$i]);
}

is_deeply(\@refused, [], 'every webhook was answered 200, its message stored');
is_deeply(\@slow, [], 'and at once: the webhook never waits for Graph');
is(scalar $dbh->selectrow_array('SELECT COUNT(*) FROM message_in WHERE wamid IN ('
       . join(',', map { $dbh->quote($_) } @wamids) . ')'),
   scalar @wamids, 'all ' . scalar(@wamids) . ' messages are in the database');

my $left = $down + $OUTAGE - time;
sleep($left) if $left > 0;
my @before = rows();
# 1 (language) + 1 (notice) + 2 (thanks, menu) + 1 (the service) each
is(scalar @before, 5 * @phones, 'the bot answered every message: ' . scalar(@before)
   . ' replies in the outbox');
is(scalar(grep { $_->{state} == 2 } @before), 0, 'none of them delivered while Graph is down');
my @early = grep { $_->{id} <= $before[@phones - 1]{id} } @before;
# (state 1: being tried again at this very moment)
is(scalar(grep { $_->{attempts} >= 5 && $_->{state} < 2 } @early), scalar @early,
   "the first replies were tried again and again, and are still queued")
    or diag explain [ map { "$_->{id}: state $_->{state}, $_->{attempts} attempts" } @early ];
ok(!grep({ !length($_->{error_text} // '') } @early), 'each with the reason of its last failure');
like($early[0]{error_text} // '', qr/^connect\(\) failed: Connection refused$/,
     "the reason says Graph could not be reached ($early[0]{error_text})");
my @later = grep { $_->{id} > $before[@phones - 1]{id} } @before;
is(scalar(grep { $_->{attempts} == 0 && $_->{state} == 0 } @later), scalar @later,
   "the later replies wait behind each citizen's first, not tried meanwhile")
    or diag explain [ map { "$_->{id}: state $_->{state}, $_->{attempts} attempts" } @later ];

# --- Graph is back --------------------------------------------------------------

my $up = time;
$graph->restart;
ok(wait_until(sub { !grep { $_->{state} != 2 } rows() }, 20, 'the replies'),
   'every reply delivered once Graph is back');
my $took = time - $up;
# the longest retry interval, its jitter, and the time to send on a
# machine that may be busy with other tests
ok($took < 3 * 1.25 + 10, sprintf('within the longest retry interval (%.1f s)', $took));

my @after = rows();
my @requests = grep { $_->{to} =~ /^919300/ } $graph->requests;
my %by_wamid;
push @{ $by_wamid{$_->{wamid}} }, $_ for grep { $_->{wamid} } @requests;
is(scalar(grep { $_->{time} < $up } @requests), 0, 'nothing reached Graph while it was down');
is(scalar(grep { $_->{state} == 2 && $_->{wamid} && !defined $_->{error_code} } @after),
   scalar @after, 'every row accepted, with its wamid, the error cleared');
is(scalar(grep { @{ $by_wamid{$_->{wamid} // ''} // [] } == 1
                 && $by_wamid{$_->{wamid}}[0]{to} eq $_->{to_phone}
                 && Mana::Test::json_encode(json_decode($by_wamid{$_->{wamid}}[0]{body}))
                    eq Mana::Test::json_encode(json_decode($_->{payload})) } @after),
   scalar @after, 'each row sent exactly once, to its citizen, as stored');
my %per;
$per{$_->{to}}++ for @requests;
is_deeply(\%per, { map { $_ => 5 } @phones }, 'each citizen got their 5 replies, no more');
is(scalar(grep { $_->{status} ne '200' } @requests), 0, 'and Graph accepted every request');
my %id_of = map { ($_->{wamid} // '') => $_->{id} } @after;
my %sent;
push @{ $sent{$_->{to}} }, $id_of{$_->{wamid} // ''} // 0 for @requests;
is_deeply(\%sent, { map { my $p = $_; ($p => [ map { $_->{id} } grep { $_->{to_phone} eq $p } @after ]) }
                    @phones },
          "each citizen's replies reached Graph in the order the bot wrote them");

# nothing more goes out afterwards
sleep 1;
is(scalar(grep { $_->{to} =~ /^919300/ } $graph->requests), scalar @requests,
   'and nothing is sent again later');

finish_tests();

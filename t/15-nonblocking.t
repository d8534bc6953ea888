#!/usr/bin/env perl
# The worker never blocks: with one worker, a webhook waiting on a locked
# table must not stop the same worker from answering anything else.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(time sleep);
use Mana::Test;

my $db = start_mariadb();
# no catalogue checks: they would share the pool the health check counts
my $ngx = start_nginx($db, workers => 1, pool_size => 2, query_timeout => '30s',
                      http_extra => 'mana_catalogue_check 1h;');
my $dbh = $db->dbh;

# warm the pool so that the first request needs no connect
is($ngx->post_webhook(wh_payload(messages => [ wh_text_message() ]))->{status}, 200, 'warm-up');

$dbh->do('LOCK TABLES message_in WRITE');

my $body = json_encode(wh_payload(messages => [ wh_text_message(id => 'wamid.locked') ]));
my $pid = open(my $child, '-|') // die "fork: $!";
if (!$pid) {
    my $r = $ngx->post_webhook($body);
    print "$r->{status}\n";
    close STDOUT;
    # no END blocks: DBI's would close the parent's connections
    POSIX::_exit(0);
}

# the webhook's INSERT is now waiting on the lock
ok(wait_until(sub {
    my $n = $dbh->selectrow_array(q{SELECT COUNT(*) FROM information_schema.processlist
                                    WHERE user = ? AND info LIKE '%INSERT INTO message_in%'},
                                  undef, $db->{module_user});
    $n > 0;
}, 10, 'the INSERT to wait on the lock'), 'the webhook is waiting on the locked table');

my @times;
for (1 .. 10) {
    my $t0 = time;
    my $r = $ngx->request('GET', '/static');
    push @times, time - $t0;
    is($r->{status}, 200, 'another location answers meanwhile') if $_ == 1;
}
# The webhook waits until UNLOCK TABLES, which comes only after these: a
# blocked worker would not answer at all (HTTP::Tiny gives up after 30 s).
# The bound is far from what a loaded machine takes, and far below that.
my ($max) = sort { $b <=> $a } @times;
ok($max < 5, sprintf('every answer comes while the webhook waits (slowest %.1f ms)', $max * 1000));

my $t0 = time;
my ($h) = $ngx->health;
ok(time - $t0 < 5, 'health answers too');
is($h->{db}{busy}, 1, 'health shows the busy connection');

$dbh->do('UNLOCK TABLES');
my $status = <$child>;
close $child;
chomp $status;
is($status, 200, 'after unlocking, the webhook completes with 200');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid = 'wamid.locked'}), 1, 'stored');

# a client that goes away while its batch waits: the batch still commits
# (Meta would retry, and the retry is a duplicate), nothing crashes, and
# the connection comes back to the pool
$dbh->do('LOCK TABLES message_in WRITE');
my $gone = json_encode(wh_payload(messages => [ wh_text_message(id => 'wamid.gone') ]));
{
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ngx->{port}") or die $!;
    print $s "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        . "X-Hub-Signature-256: " . $ngx->sign($gone) . "\r\n"
        . "Content-Length: " . length($gone) . "\r\n\r\n$gone";
    ok(wait_until(sub {
        $dbh->selectrow_array(q{SELECT COUNT(*) FROM information_schema.processlist
                                WHERE user = ? AND info LIKE '%wamid.gone%'},
                                undef, $db->{module_user}) > 0 }, 10, 'the batch'),
       'the batch of a client about to leave is waiting');
    close $s;
}
# nginx notices the abort while the batch still waits
my $noticed = wait_until(sub { $ngx->error_log_text =~ /client prematurely closed connection|499/ },
                         15, 'the abort to be noticed');
$dbh->do('UNLOCK TABLES');
ok(wait_until(sub { ($ngx->health)[0]{db}{busy} == 0 }, 10, 'the pool'),
   'the connection is back in the pool');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE wamid = 'wamid.gone'}), 1,
   'the abandoned batch committed');
ok($noticed, 'the client abort was noticed') or diag $ngx->error_log_text;
is($ngx->post_webhook($gone)->{status}, 200, "Meta's retry is answered 200");

finish_tests();

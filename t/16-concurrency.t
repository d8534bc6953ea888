#!/usr/bin/env perl
# 500 webhooks at once against a pool of 4 connections and a short wait
# queue: every one is answered, 200 or 503 (never an error page or a
# crash), and once the 503s are retried as Meta would, every message is
# stored exactly once.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use DBI;
use POSIX ();
use Mana::Test;

my $db = start_mariadb();
my $ngx = start_nginx($db, workers => 2, pool_size => 4, queue_size => 16,
                      queue_timeout => '2s');
my $dbh = $db->dbh;

my $n = 500;
my @ids = map { "wamid.load.$_" } 1 .. $n;
my %body = map {
    my $i = $_;
    $ids[$i] => json_encode(wh_payload(
        contacts => [ { wa_id => "9191$i", user_id => "IN.9$i" } ],
        messages => [ wh_text_message(id => $ids[$i], from => "9191$i") ]))
} 0 .. $n - 1;

# a slow moment of the database as the burst arrives: another session
# holds the table for a second, so the pool and its queue fill up
pipe(my $ready_r, my $ready_w) or die $!;
my $locker = fork // die "fork: $!";
if (!$locker) {
    my $h = DBI->connect($db->dsn, 'root', '', { RaiseError => 1 });
    $h->do('LOCK TABLES message_in WRITE');
    print $ready_w "locked\n";
    close $ready_w;
    select undef, undef, undef, 1.5;
    $h->do('UNLOCK TABLES');
    POSIX::_exit(0);
}
close $ready_w;
<$ready_r>;

my @res = $ngx->concurrent_posts(map { $body{$_} } @ids);
waitpid($locker, 0);

my %by;
$by{$_->[0]}++ for @res;
is(scalar(grep { $_->[0] == 200 || $_->[0] == 503 } @res), $n,
   "all $n answered with 200 or 503")
    or diag explain \%by;
ok($by{503}, "the full queue was answered 503 ($by{503} of them)");
ok($by{200}, "the rest were stored ($by{200})");
is(scalar(grep { $_->[0] == 503 && $_->[1] !~ /"error"/ } @res), 0,
   'every 503 is the JSON answer, not an error page');

my $stored = 0;
$stored += json_decode($_->[1])->{stored} for grep { $_->[0] == 200 } @res;
is($stored, $by{200}, 'each 200 stored its message');

# Meta retries what was not answered 200
my @pending = map { $ids[$_] } grep { $res[$_][0] != 200 } 0 .. $n - 1;
for my $round (1 .. 30) {
    last unless @pending;
    my @r = $ngx->concurrent_posts(map { $body{$_} } @pending);
    @pending = map { $pending[$_] } grep { $r[$_][0] != 200 } 0 .. $#r;
}
is(scalar @pending, 0, 'after retries every webhook was answered 200');

is(scalar $dbh->selectrow_array("SELECT COUNT(*) FROM message_in WHERE wamid LIKE 'wamid.load.%'"),
   $n, "$n rows");
is(scalar $dbh->selectrow_array("SELECT COUNT(DISTINCT wamid) FROM message_in WHERE wamid LIKE 'wamid.load.%'"),
   $n, 'each message exactly once');

my ($h) = $ngx->health;
is($h->{counters}{messages_stored}, $n, 'health counts each stored once');
ok($h->{counters}{db_unavailable} >= $by{503}, 'and counts the 503s');
is($h->{db}{queued}, 0, 'the queue drained');
ok($h->{db}{connections} <= 4, 'the pool never grew past its size');

# the pool's connections, across both workers, at most 2 x 4
my $conns = $dbh->selectrow_array(q{SELECT COUNT(*) FROM information_schema.processlist WHERE user = ?},
                                  undef, $db->{module_user});
ok($conns <= 8, "at most 8 connections to MariaDB ($conns)");

finish_tests();

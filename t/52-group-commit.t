#!/usr/bin/env perl
# Group commit: deliveries that wait for a database connection together are
# answered in one transaction, and each is still answered as if alone: the
# right replies, two messages of one citizen in order, and a delivery that
# fails its statements failing nobody else.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use DBI;
use POSIX ();
use Mana::Test;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();
# one worker with one connection: whatever arrives while it is busy waits
my $ngx = start_nginx($db, workers => 1, pool_size => 1, graph => $graph,
    http_extra => 'mana_bot on;');
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the worker loaded the demo catalogue');

my $n = 0;
sub delivery {
    my ($phone, $text) = @_;
    $n++;
    return json_encode(wh_payload(
        contacts => [ { wa_id => $phone, user_id => "IN.$phone" } ],
        messages => [ wh_text_message(from => $phone, id => "wamid.group.$n",
                                      text => $text) ]));
}
sub counters { my ($h) = $ngx->health; return $h->{counters} }

# a citizen whose row a second session holds locked: their next message
# takes the only connection and waits, and everything after it queues
my $blocker = '919300000000';
is($ngx->post_webhook(delivery($blocker, 'Hi'))->{status}, 200, 'the first citizen is known');

sub all_sent {
    return wait_until(sub {
        $dbh->selectrow_array("SELECT COUNT(*) FROM outbox WHERE state < 2") == 0 }, 15, 'the replies');
}

sub hold_citizen_then {
    my ($seconds, @bodies) = @_;
    my $blocked = delivery($blocker, 'menu');
    # the sender done with earlier replies, so the connection is free
    all_sent();
    pipe(my $r, my $w) or die $!;
    my $locker = fork // die "fork: $!";
    if (!$locker) {
        my $h = DBI->connect($db->dsn, 'root', '', { RaiseError => 1, AutoCommit => 0 });
        $h->selectall_arrayref('SELECT id FROM citizen WHERE phone = ? FOR UPDATE', undef, $blocker);
        print $w "locked\n";
        close $w;
        select undef, undef, undef, $seconds;
        $h->rollback;
        POSIX::_exit(0);
    }
    close $w;
    <$r>;
    # the blocked delivery first, on its own, so that it holds the connection
    my $first = fork // die "fork: $!";
    if (!$first) {
        my $res = $ngx->post_webhook($blocked);
        POSIX::_exit($res->{status} == 200 ? 0 : 1);
    }
    ok(wait_until(sub {
        $dbh->selectrow_array("SELECT COUNT(*) FROM information_schema.processlist "
                            . "WHERE user = 'mana_module' AND info LIKE 'INSERT INTO citizen%'") },
        10, 'the lock wait'),
       'the first delivery waits for the citizen lock')
        or diag explain $dbh->selectall_arrayref("SHOW FULL PROCESSLIST");
    my @res = $ngx->concurrent_posts(@bodies);
    waitpid($first, 0);
    is($? >> 8, 0, 'the blocked delivery was answered 200 once the lock went');
    waitpid($locker, 0);
    return @res;
}

# --- ten deliveries, one transaction ---------------------------------------

my $before = counters();
my @citizens = map { sprintf '91930000%04d', $_ } 1 .. 8;
my $twice = '919300009999';
my @bodies = ((map { delivery($_, 'Hi') } @citizens),
              delivery($twice, 'Hi'), delivery($twice, 'help'));
my @res = hold_citizen_then(3, @bodies);

is(scalar(grep { $_->[0] == 200 } @res), 10, 'all ten answered 200')
    or diag explain \@res;
is(scalar(grep { json_decode($_->[1])->{stored} == 1 } grep { $_->[0] == 200 } @res), 10,
   'each answer counts its own message stored');
my $after = counters();
is($after->{bot_transactions} - $before->{bot_transactions}, 2,
   'two transactions: the blocked delivery, and the ten that waited');
is($after->{bot_shared_deliveries} - $before->{bot_shared_deliveries}, 10,
   'the ten shared theirs');

ok(all_sent(), 'every reply was sent');
for my $p (@citizens) {
    my @got = grep { $_->{to} eq $p } $graph->requests;
    is(scalar @got, 1, "$p got one reply");
    like($got[0]{body} // '', qr/lang:en/, "$p: the language choice");
}
my @two = grep { $_->{to} eq $twice } $graph->requests;
is(scalar @two, 2, 'the citizen with two messages got two replies');
my ($version, $processed) = $dbh->selectrow_array(
    'SELECT s.version, (SELECT COUNT(*) FROM message_in m WHERE m.sender_phone = c.phone '
  . 'AND m.processed_at IS NOT NULL) FROM citizen c JOIN session s ON s.citizen_id = c.id '
  . 'WHERE c.phone = ?', undef, $twice);
is($version, 1, 'their session was written twice, the second on top of the first');
is($processed, 2, 'both messages are marked processed');
is(scalar $dbh->selectrow_array('SELECT COUNT(*) FROM citizen WHERE phone LIKE ?', undef, '91930000%'),
   scalar(@citizens) + 2, 'one citizen row each');

# --- a delivery whose statements fail fails alone --------------------------

# a stand-in for a message the database refuses (a fault of this one
# delivery, whatever its cause): the group it joined rolls back, and the
# others are answered on their own
$db->dbh->do(q{CREATE TRIGGER refuse_pill BEFORE INSERT ON message_in FOR EACH ROW
               IF NEW.body = 'poison pill' THEN
                   SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test';
               END IF});

$before = counters();
my @others = map { sprintf '91931000%04d', $_ } 1 .. 5;
my $pill = delivery('919310009999', 'poison pill');
@res = hold_citizen_then(3, (map { delivery($_, 'Hi') } @others), $pill);

is(scalar(grep { $_->[0] == 200 } @res[0 .. 4]), 5, 'the five good deliveries answered 200')
    or diag explain \@res;
is($res[5][0], 503, 'the refused one answered 503, for Meta to retry');
like($res[5][1], qr/"error"/, 'with the JSON error');
$after = counters();
is($after->{bot_shared_deliveries} - $before->{bot_shared_deliveries}, 0,
   'no transaction with the refused delivery committed');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE body = 'poison pill'}), 0,
   'nothing of the refused delivery is stored');
is(scalar $dbh->selectrow_array('SELECT COUNT(*) FROM message_in WHERE sender_phone LIKE ?', undef, '91931000%'),
   5, 'each good message stored once');
ok(all_sent(), 'every reply was sent');
is(scalar(grep { $_->{to} =~ /^91931000000/ } $graph->requests), 5, 'one reply each');

# Meta retries it: the same answer, and still nothing half done
is($ngx->post_webhook($pill)->{status}, 503, 'the retry is refused the same way');

$dbh->do('DROP TRIGGER refuse_pill');
is($ngx->post_webhook($pill)->{status}, 200, 'once the cause is gone, the retry is answered');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM message_in WHERE body = 'poison pill'}), 1,
   'and stored once') or diag explain $dbh->selectall_arrayref(q{SELECT wamid, body, processed_at FROM message_in WHERE sender_phone = '919310009999'});

finish_tests();

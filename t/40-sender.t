#!/usr/bin/env perl
# The outbound sender against the mock Graph API: every outbox row is
# delivered once, faults are retried or recorded by their code, 131047
# falls back to the template, and a worker killed mid-send loses nothing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
my $dbh = $db->dbh;
my $graph = start_mock_graph();
my $ngx = start_nginx($db, workers => 2, graph => $graph,
                      graph_extra => 'mana_window_template mana_update;');

my $n = 0;
sub enqueue {
    my (%o) = @_;
    my $to = $o{to} // '9170000' . sprintf('%05d', ++$n);
    my $payload = json_encode({ messaging_product => 'whatsapp',
        recipient_type => 'individual', to => $to, type => 'text',
        text => { body => $o{text} // "reply $n" } });
    $dbh->do(q{INSERT INTO outbox (citizen_id, phone_number_id, to_phone, lang, payload)
               VALUES (?, ?, ?, ?, ?)}, undef, $o{citizen_id},
             $o{pnid} // '106540352242922', $to, $o{lang} // 'en', $payload);
    return $dbh->last_insert_id;
}
sub row { $dbh->selectrow_hashref('SELECT * FROM outbox WHERE id = ?', undef, $_[0]) }
sub requests_for { my ($to) = @_; grep { $_->{to} eq $to } $graph->requests }
sub settled {
    my (@ids) = @_;
    wait_until(sub {
        my $left = $dbh->selectrow_array(
            'SELECT COUNT(*) FROM outbox WHERE state < 2 AND id IN ('
            . join(',', @ids) . ')');
        $left == 0;
    }, 20, 'outbox rows to settle');
}

# --- the happy path ---------------------------------------------------------

my $id = enqueue(text => 'నమస్కారం 🙏', to => '919000000001', lang => 'te');
ok(settled($id), 'a queued reply is sent');
my $r = row($id);
is($r->{state}, 2, 'recorded as accepted');
like($r->{wamid}, qr/^wamid\.mock\./, 'with the wamid Graph returned');
my @req = requests_for('919000000001');
is(scalar @req, 1, 'sent once');
is($req[0]{path}, '/v25.0/106540352242922/messages', 'to the messages edge of our number');
is($req[0]{authorization}, "Bearer $ngx->{graph_token}", 'with the bearer token from its file');
is_deeply(json_decode($req[0]{body}), json_decode(row($id)->{payload}), 'the payload as stored');

# many rows, two workers: each delivered exactly once
my @many = map { enqueue() } 1 .. 200;
ok(settled(@many), '200 rows sent');
my %count;
$count{$_->{to}}++ for $graph->requests;
my @twice = grep { $count{$_} > 1 } keys %count;
is(scalar @twice, 0, 'two workers never sent a row twice')
    or diag explain [ map { my $t = $_; [ (map { "$_->{time} $_->{status}" } grep { $_->{to} eq $t } $graph->requests),
                     $dbh->selectrow_hashref('SELECT id, attempts, lease_owner, wamid, state FROM outbox WHERE to_phone = ?', undef, $t) ] } @twice ];
is($dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state = 2 AND id IN ('
   . join(',', @many) . ')'), 200, 'all 200 accepted');
ok($dbh->selectrow_array('SELECT COUNT(DISTINCT wamid) FROM outbox') >= 201, 'each with its own wamid');

# --- faults -------------------------------------------------------------------

sub fault_case {
    my ($name, $script, $check) = @_;
    my $to = '9188' . sprintf('%08d', ++$n);
    $graph->script(@$script);
    my $id = enqueue(to => $to, lang => 'te');
    ok(settled($id), "$name: settled");
    $check->(row($id), [ requests_for($to) ], $to);
}

fault_case('HTTP 500 then 200', [ { http_status => 500, body => 'oops' } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, 'HTTP 500 then 200: delivered');
    is(scalar @$req, 2, 'HTTP 500 then 200: two attempts, one delivery');
});

fault_case('Graph 2 (temporary) then 200', [ { code => 2, http_status => 503 } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, 'temporary error: delivered on retry');
});

fault_case('429/130429', [ { code => 130429, http_status => 429 }, { code => 130429, http_status => 429 } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, '130429 twice: delivered on the third try');
    is(scalar @$req, 3, '130429: three attempts');
    ok($req->[2]{time} - $req->[0]{time} >= 0.15, 'after backing off');
});

fault_case('131026 undeliverable', [ { code => 131026, http_status => 400,
        error_data => { details => 'Message undeliverable' } } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 3, '131026: failed for good');
    is($r->{error_code}, 131026, '131026: the code recorded');
    like($r->{error_text}, qr/undeliverable/, '131026: and the reason');
    is(scalar @$req, 1, '131026: not retried');
});

fault_case('131047 window closed', [ { code => 131047, http_status => 400 } ], sub {
    my ($r, $req, $to) = @_;
    is($r->{state}, 3, '131047: the free-form message failed');
    is($r->{error_code}, 131047, '131047: recorded');
    my $tpl;
    ok(wait_until(sub {
        $tpl = $dbh->selectrow_hashref(q{SELECT * FROM outbox WHERE to_phone = ? AND id > ?}, undef, $to, $r->{id});
        $tpl && $tpl->{state} == 2 }, 10, 'the template'), '131047: a template was queued and sent');
    my @all = requests_for($to);
    my $body = json_decode($all[-1]{body});
    is($body->{type}, 'template', '131047: the second send is a template');
    is($body->{template}{name}, 'mana_update', '131047: the configured template');
    is($body->{template}{language}{code}, 'te', "131047: in the citizen's language");
});

# the citizen's last message is 25 hours old: the free-form reply is not
# even tried (Graph would refuse it), the template goes instead; inside the
# window a reply goes as it is
{
    my %ids;
    for my $case ([old => 25], [fresh => 23]) {
        my ($name, $hours) = @$case;
        my $to = '9177' . sprintf('%08d', ++$n);
        $dbh->do(q{INSERT INTO citizen (phone, language, last_inbound_at)
                   VALUES (?, 'te', UTC_TIMESTAMP() - INTERVAL ? HOUR)}, undef, $to, $hours);
        # with its citizen at once: the sender may claim it the moment it is in
        my $id = enqueue(to => $to, lang => 'te', citizen_id => $dbh->last_insert_id);
        $ids{$name} = [$id, $to];
    }
    ok(settled(map { $_->[0] } values %ids), 'window: settled');
    my ($id, $to) = @{ $ids{old} };
    my $r = row($id);
    is($r->{state}, 3, 'window closed: the free-form reply failed');
    is($r->{error_code}, 131047, 'window closed: recorded as 131047');
    like($r->{error_text}, qr/known before sending/, 'window closed: without asking Graph');
    my $tpl;
    ok(wait_until(sub {
        $tpl = $dbh->selectrow_hashref(q{SELECT * FROM outbox WHERE to_phone = ? AND id > ?}, undef, $to, $id);
        $tpl && $tpl->{state} == 2 }, 10, 'the template'), 'window closed: the template was sent');
    my @all = requests_for($to);
    is(scalar @all, 1, 'window closed: Graph got one request');
    is(json_decode($all[0]{body})->{type}, 'template', 'window closed: and it was the template');
    ($id, $to) = @{ $ids{fresh} };
    is(row($id)->{state}, 2, 'inside the window: the reply was sent as it is');
    is(json_decode((requests_for($to))[0]{body})->{type}, 'text', 'inside the window: free-form');
}

fault_case('a reset connection', [ { action => 'reset' } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, 'reset: delivered on retry');
});

fault_case('a hanging Graph', [ { action => 'hang', seconds => 4 } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, 'hang: timed out, then delivered');
    ok($req->[1]{time} - $req->[0]{time} >= 1.5, 'hang: after the 2 s timeout (the mock stamps late when loaded)');
});

fault_case('token expired (190)', [ { code => 190, http_status => 401 } ], sub {
    my ($r, $req) = @_;
    is($r->{state}, 2, '190: kept and delivered once the token works');
});
like($ngx->error_log_text, qr/\[crit\].*rejects the access token/, '190 is logged loudly');

# --- one citizen's replies, in the order they were written ---------------------

sub sent_to {
    my ($to) = @_;
    return [ map { [ json_decode($_->{body})->{text}{body}, $_->{status} ] }
             requests_for($to) ];
}

# Graph fails the first of a turn's two replies once: the second waits for
# it, and is not charged an attempt for waiting
{
    my $to = '9166' . sprintf('%08d', ++$n);
    $graph->script({ http_status => 500, body => 'oops' });
    $dbh->begin_work;
    my $first = enqueue(to => $to, text => 'first');
    my $second = enqueue(to => $to, text => 'second');
    $dbh->commit;
    ok(settled($first, $second), 'order: both replies delivered');
    is_deeply(sent_to($to), [ [ first => 500 ], [ first => 200 ], [ second => 200 ] ],
              'order: the first failed, was sent again, and only then the second')
        or diag explain [ requests_for($to) ];
    is(row($first)->{attempts}, 2, 'order: the first took two attempts');
    is(row($second)->{attempts}, 1, 'order: the second one, not charged for the wait');
}

# the first reply is leased by a worker that died: the second waits for the
# lease to end and the first to be sent again
{
    my $to = '9155' . sprintf('%08d', ++$n);
    $dbh->begin_work;
    my $held = enqueue(to => $to, text => 'held');
    $dbh->do(q{UPDATE outbox SET state = 1, attempts = 1, lease_owner = 'gone:1:00000000:1',
               next_attempt_at = NOW(3) + INTERVAL 5 SECOND WHERE id = ?}, undef, $held);
    my $later = enqueue(to => $to, text => 'later');
    $dbh->commit;
    sleep 1;
    is_deeply(sent_to($to), [], "lease: nothing sent while the first is another's");
    ok(settled($held, $later), 'lease: both delivered once it ended');
    is_deeply(sent_to($to), [ [ held => 200 ], [ later => 200 ] ], 'lease: in their order');
}

# --- Graph down for a while ---------------------------------------------------

$graph->stop;
my @while_down = map { enqueue() } 1 .. 5;
sleep 3;
is($dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state = 2 AND id IN ('
   . join(',', @while_down) . ')'), 0, 'nothing delivered while Graph is down');
$graph->restart;
ok(settled(@while_down), 'everything delivered once Graph is back');
is($dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state = 2 AND id IN ('
   . join(',', @while_down) . ')'), 5, 'all five');

# --- a worker killed in the middle of a send ----------------------------------

$graph->script({ action => 'hang', seconds => 30 });
my $to = '917777777777';
my $killed = enqueue(to => $to);
ok(wait_until(sub { scalar requests_for($to) }, 10, 'the send'), 'the send reached Graph');
my $holder = $dbh->selectrow_array('SELECT lease_owner FROM outbox WHERE id = ?', undef, $killed);
my ($pid) = $holder =~ /:(\d+):[0-9a-f]{8}:\d+$/;
ok($pid && kill('KILL', $pid), "the worker holding the lease ($pid) killed");
$ngx->{allow_log} = qr/worker process $pid exited on signal 9/;
ok(settled($killed), 'another worker delivered it after the lease');
is(row($killed)->{state}, 2, 'accepted');
is(scalar(requests_for($to)), 2, 'the second attempt went through');

# an idle sender polls on its timer (100 ms here), not back to back
{
    ok(wait_until(sub { !$dbh->selectrow_array('SELECT COUNT(*) FROM outbox WHERE state < 2') }, 20,
                  'the outbox'), 'idle: nothing left to send');
    my $count = sub { ($dbh->selectrow_array(q{SHOW GLOBAL STATUS LIKE 'Questions'}))[1] };
    my $before = $count->();
    sleep 2;
    my $claims = $count->() - $before;
    # two workers, a claim every 100 ms each: about 40 statements in 2 s
    ok($claims < 120, "idle: $claims statements in 2 s, claims on the timer");
}

finish_tests();

#!/usr/bin/env perl
# Instant documents end to end: a department's hall-ticket list imported
# with mmctl (signed into certificates there), then students through the
# signed webhook (real nginx, MariaDB and the mock Graph API).  The right
# roll number and date of birth get the hall ticket at once, whose link
# the verification page finds genuine; a wrong one gets the clear answer
# and the questions again; the fourth attempt within the window gets the
# cool-down and no question, and a lookup in a cool-down refuses even the
# right details, until the window has passed.  The expected texts are
# built here from sql/seed/messages.json and the catalogue.
use strict;
use warnings;
use utf8;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test qw(:DEFAULT slurp demo_hall_tickets);

my $TMP = tempdir('instant-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $SERVICE = 'SED-SSCHT';
my $OFFICE = 'SED-GNT';
my ($DEMO) = demo_hall_tickets($TMP);

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();
my $ngx = start_nginx($db, workers => 2, graph => $graph,
    server_extra => 'location ^~ /C/ { mana_verify; }',
    http_extra => 'mana_bot on; mana_catalogue_check 200ms; '
                . 'mana_notice_url https://mana.example.gov.in/privacy; '
                . 'mana_notice_version v1;');
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the workers loaded the demo catalogue');

sub mmctl {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST, @_);
}

my $messages = json_decode(slurp("$Mana::Test::TOP/sql/seed/messages.json"))->{messages};
my ($svc) = grep { $_->{code} eq $SERVICE }
    @{ json_decode(slurp("$Mana::Test::TOP/sql/seed/catalogue.json"))->{services} };

sub expected_text {
    my ($lang, $key, %vars) = @_;
    my $text = $messages->{$lang}{$key};
    $vars{service} = $svc->{name}{$lang} // $svc->{name}{en};
    $text =~ s/\{(\w+)\}/$vars{$1}/g;
    return $text;
}

# the demo file's rows, as the department wrote them
my @rows = map { [ split /,/ ] } (split /\n/, slurp($DEMO))[1 .. 3];

# --- citizens, through the webhook ---------------------------------------

my $chat = chat($ngx, $graph, $dbh, 'instant');
sub received { $chat->received(@_) }
sub say { $chat->say(@_) }
sub tap { $chat->tap(@_) }

sub text_of { my ($m) = @_; $m->{text}{body} // $m->{interactive}{body}{text} // '' }

sub texts { join "\n", map { text_of($_) } @_ }

sub hello {
    my ($phone) = @_;
    say($phone, 'Hi');
    tap($phone, 'lang:en');
    tap($phone, 'btn:accept');
}

# the service opened and both answers given: the replies to the last one
sub attempt {
    my ($phone, $roll, $dob) = @_;
    my @r = say($phone, $SERVICE);
    return @r unless texts(@r) =~ /\Q$svc->{form}[0]{label}{en}\E/;
    say($phone, $roll);
    return say($phone, $dob);
}

sub failures {
    my ($phone) = @_;
    return $dbh->selectrow_array(
        'SELECT f.failures FROM record_lookup_failure f JOIN citizen c'
        . ' ON c.id = f.citizen_id WHERE c.phone = ? AND f.service_code = ?',
        undef, $phone, $SERVICE) // 0;
}

# --- before the department's list is imported ---------------------------

my $early = '919300000009';
hello($early);
my @r = say($early, $SERVICE);
is(texts(@r), expected_text('en', 'instant.soon'),
   'no records yet: "coming soon", and no question');

# --- the department's list ----------------------------------------------

my $r = mmctl('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = mmctl('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, 'an issuer key for the office') or diag($r->{err});
$r = mmctl('records', 'import', '--service', $SERVICE, '--office', $OFFICE, $DEMO);
is($r->{rc}, 0, 'mmctl records import of the demo list') or diag($r->{err});

# --- a student gets the hall ticket at once ------------------------------

my $ravi = '919300000001';
hello($ravi);
@r = say($ravi, $SERVICE);
like(texts(@r), qr/^\Q@{[expected_text('en', 'instant.start', count => 2)]}\E/,
     'the service says what it needs');
like(texts(@r), qr/\Q$svc->{form}[0]{label}{en}\E/, 'and asks the roll number');
@r = say($ravi, ' 2627 ');
like(texts(@r), qr/\Q$svc->{form}[0]{label}{en}\E/,
     'a malformed roll number is refused, and asked again');
say($ravi, $rows[0][0]);
@r = say($ravi, $rows[0][1] =~ tr/-/\//r);

my $rec = $dbh->selectrow_hashref(
    'SELECT r.qr, r.holder, r.number FROM record r WHERE r.service_code = ?'
    . ' AND r.number = ?', undef, $SERVICE, $rows[0][0]);
is(texts(@r), expected_text('en', 'instant.ready', holder => $rows[0][2],
                            number => $rows[0][0], link => $rec->{qr}),
   'the hall ticket at once: its number, the holder and the link');
like($rec->{qr}, qr{^HTTPS://\U$HOST\E/C/[A-Z2-7]+\z}, 'the link is the QR text');
is(failures($ravi), 0, 'a success counts no failure');
is($dbh->selectrow_array(q{SELECT COUNT(*) FROM session s JOIN citizen c
                           ON c.id = s.citizen_id WHERE c.phone = ?
                           AND s.state LIKE '%answers%'}, undef, $ravi), 0,
   'the date of birth is not kept in the session');

my ($b32) = $rec->{qr} =~ m{/C/([A-Z2-7]+)\z};
my ($verdict, $holder) = ('', '');
wait_until(sub {
    my $res = $ngx->request('GET', "/C/$b32", headers => { Accept => 'application/json' });
    my $j = eval { json_decode($res->{content}) } // {};
    $verdict = $j->{verdict} // "HTTP $res->{status}";
    $holder = $j->{certificate}{holder} // '';
    return $verdict eq 'genuine';
}, 10, 'the verdict');
is($verdict, 'genuine', 'the link opens the verification page: genuine');
is($holder, $rows[0][2], 'the page shows the holder');

# --- wrong details, the cool-down, its end ----------------------------

my $sita = '919300000002';
hello($sita);
my $not_found = expected_text('en', 'instant.not_found');
for my $n (1 .. 3) {
    @r = attempt($sita, '2627109999', $rows[1][1]);
    like(texts(@r), qr/^\Q$not_found\E/, "wrong roll number $n: the clear answer");
    like(texts(@r), qr/\Q$svc->{form}[0]{label}{en}\E/,
         "wrong roll number $n: asked again");
    is(failures($sita), $n, "wrong roll number $n: counted");
}

# the fourth attempt within the window: the cool-down at once
@r = attempt($sita, $rows[1][0], $rows[1][1]);
my $cool = quotemeta(expected_text('en', 'instant.cooldown', minutes => 'MINUTES'));
$cool =~ s/MINUTES/(1[45])/;
like(texts(@r), qr/^$cool\z/, 'the fourth attempt: the cool-down, and how long');
unlike(texts(@r), qr/\Q$svc->{form}[0]{label}{en}\E/, 'and no question asked');
is(failures($sita), 3, 'no lookup: the count stays');

# another student is not held back by her cool-down
my $irfan = '919300000003';
hello($irfan);
@r = attempt($irfan, $rows[2][0], $rows[2][1]);
like(texts(@r), qr/\Q$rows[2][2]\E/, 'another student gets his hall ticket');

# the window passes
sub window_back {
    $dbh->do(q{UPDATE record_lookup_failure f JOIN citizen c ON c.id = f.citizen_id
               SET f.window_start = f.window_start - INTERVAL 16 MINUTE
               WHERE c.phone = ?}, undef, $_[0]);
}
window_back($sita);

# the lookup itself refuses in a cool-down: one that began while she was
# typing (as another of her messages might have made it) holds back even
# the right details
@r = say($sita, $SERVICE);
like(texts(@r), qr/\Q$svc->{form}[0]{label}{en}\E/, 'the window passed: asked again');
say($sita, $rows[1][0]);
$dbh->do(q{UPDATE record_lookup_failure f JOIN citizen c ON c.id = f.citizen_id
           SET f.failures = 3, f.window_start = UTC_TIMESTAMP()
           WHERE c.phone = ?}, undef, $sita);
@r = say($sita, $rows[1][1]);
like(texts(@r), qr/^$cool\z/, 'a cool-down begun meanwhile: the lookup refuses');
unlike(texts(@r), qr/\Q$rows[1][2]\E/, 'and not the hall ticket, though right');
is(failures($sita), 3, 'and counts nothing');

window_back($sita);
@r = attempt($sita, $rows[1][0], $rows[1][1]);
my $rec2 = $dbh->selectrow_hashref(
    'SELECT r.qr FROM record r WHERE r.service_code = ? AND r.number = ?',
    undef, $SERVICE, $rows[1][0]);
is(texts(@r), expected_text('en', 'instant.ready', holder => $rows[1][2],
                            number => $rows[1][0], link => $rec2->{qr}),
   'the cool-down over: the hall ticket');
is(failures($sita), 0, 'and the failures forgotten');

finish_tests();

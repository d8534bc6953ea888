#!/usr/bin/perl

# mmctl app against a private MariaDB: the officer's queue with its
# filters, one application in full, and the decisions.  An approval issues
# the certificate (signed by the office's key, logged, tied to the
# application), records the history and queues the citizen's message in
# their language, all in one transaction; a rejection records the reason
# and tells the citizen.  The expected messages are built here from
# sql/seed/messages.json and the catalogue, not by mmctl.  A refused
# decision changes nothing, and approvals racing on one application issue
# one certificate.

use strict;
use warnings;
use utf8;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-app-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $OFFICE = 'REV-AKP-COLL';        # has an issuer key
my $KEYLESS = 'REV-ANM-COLL';       # has none
my $PNID = '100200300';

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          @_);
}

sub start {
    return $db->mmctl_start('--master-key-file', $MK, '--verify-host',
                            $HOST, @_);
}

# mmctl's output and the seed files are UTF-8 bytes
sub decode { JSON::PP->new->utf8->decode($_[0]) }

my $messages = decode(do {
    local $/;
    open my $f, '<', "$ROOT/sql/seed/messages.json" or die $!;
    <$f>;
})->{messages};
my ($rev_inc) = grep { $_->{code} eq 'REV-INC' } @{ decode(do {
    local $/;
    open my $f, '<', "$ROOT/sql/seed/catalogue.json" or die $!;
    <$f>;
})->{services} };

# a message text with its placeholders filled, as the citizen should read it
sub expected_text {
    my ($lang, $key, %vars) = @_;
    my $text = $messages->{$lang}{$key} // $messages->{en}{$key};
    $vars{service} = $rev_inc->{name}{$lang} // $rev_inc->{name}{en};
    $text =~ s/\{(\w+)\}/$vars{$1}/g;
    return $text;
}

# everything a decision could touch
sub decision_checksum {
    my $rows = $dbh->selectall_arrayref(
        'CHECKSUM TABLE application, request_history, certificate, outbox,'
        . ' tlog_state, tlog_leaf, tlog_hash EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

# RFC 4648 Base32, no padding
sub base32_decode {
    my ($s) = @_;
    my %v;
    @v{'A' .. 'Z', '2' .. '7'} = 0 .. 31;
    my $bits = join '', map { sprintf('%05b', $v{$_}) } split //, $s;
    $bits = substr($bits, 0, length($bits) - length($bits) % 8);
    return pack('B*', $bits);
}

# ---------------------------------------------------------------------------
# The catalogue, the bot's texts, the keys, and citizens with applications
# as the bot leaves them (and the reply it sent, from the number $PNID).

my $r = $db->mmctl_run('service', 'import', "$ROOT/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = $db->mmctl_run('i18n', 'import', "$ROOT/sql/seed/messages.json");
is($r->{rc}, 0, 'the seed messages import') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = run('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, "an issuer key for $OFFICE") or diag($r->{err});
my ($kid) = $dbh->selectrow_array(
    "SELECT kid FROM signing_key WHERE name = '$OFFICE'");

my %citizen;
sub citizen {
    my ($name, $phone, $bsuid, $lang) = @_;
    $dbh->do('INSERT INTO citizen (phone, bsuid, language, last_inbound_at)'
             . ' VALUES (?, ?, ?, UTC_TIMESTAMP())', undef,
             $phone, $bsuid, $lang);
    my $id = $dbh->last_insert_id(undef, undef, undef, undef);
    $dbh->do('INSERT INTO outbox (citizen_id, phone_number_id, to_phone,'
             . " to_bsuid, lang, payload, state) VALUES (?, ?, ?, ?, ?, '{}',"
             . ' 2)', undef, $id, $PNID, $phone, $bsuid, $lang);
    $citizen{$name} = { id => $id, phone => $phone, bsuid => $bsuid,
                        lang => $lang };
}
citizen('lakshmi', '919000000001', undef, 'te');
citizen('ravi', undef, 'IN.bsuid.ravi', 'en');
citizen('meena', '919000000003', undef, 'hi');

my %fields = (
    name => 'లక్ష్మి దేవి', father_name => 'Venkata Rao',
    district => 'Anakapalli', annual_income => '84000',
    occupation => 'Farmer', purpose => 'scholarship',
    aadhaar => 'XXXXXXXX4321',
);
my $seq = 0;
sub application {
    my (%a) = @_;
    my $ref = sprintf('%s-2026-%06d', $a{service} // 'REV-INC', ++$seq);
    my ($office) = $dbh->selectrow_array(
        'SELECT id FROM office WHERE code = ?', undef,
        $a{office} // $OFFICE);
    $dbh->do('INSERT INTO application (ref, citizen_id, service_code,'
             . ' department_code, office_id, district, fields, status,'
             . ' due_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,'
             . ' UTC_DATE() + INTERVAL 7 DAY,'
             . ' UTC_TIMESTAMP(3) - INTERVAL ? HOUR)', undef,
             $ref, $citizen{ $a{citizen} }{id}, $a{service} // 'REV-INC',
             $a{dept} // 'REV', $office, 'Anakapalli',
             JSON::PP->new->canonical->encode($a{fields} // \%fields),
             $a{status} // 'submitted', $a{hours});
    $dbh->do("INSERT INTO request_history (ref, status, actor)"
             . " VALUES (?, 'submitted', 'citizen')", undef, $ref);
    return $ref;
}

my $A1 = application(citizen => 'lakshmi', hours => 5 * 24);
my $A2 = application(citizen => 'ravi', hours => 1, status => 'in_review');
my $A3 = application(citizen => 'meena', hours => 10 * 24,
                     office => $KEYLESS);
my $A4 = application(citizen => 'ravi', hours => 30, service => 'AGRI-SOIL',
                     dept => 'AGRI', office => 'AGRI-AKP',
                     status => 'rejected');

# ---------------------------------------------------------------------------
# list

sub listed {
    my @args = @_;
    my $r = run('--json', 'app', 'list', @args);
    is($r->{rc}, 0, "list @args: exit 0") or diag($r->{err});
    return [ map { $_->{ref} } @{ decode($r->{out})->{applications} } ];
}

is_deeply(listed(), [ $A3, $A1, $A4, $A2 ], 'list: every one, oldest first');
is_deeply(listed('--status', 'pending'), [ $A3, $A1, $A2 ],
          '--status pending: submitted and in_review');
is_deeply(listed('--status', 'in_review'), [ $A2 ], '--status in_review');
is_deeply(listed('--department', 'AGRI'), [ $A4 ], '--department AGRI');
is_deeply(listed('--office', $OFFICE), [ $A1, $A2 ], "--office $OFFICE");
is_deeply(listed('--older-than', '3d'), [ $A3, $A1 ], '--older-than 3d');
is_deeply(listed('--older-than', '2h'), [ $A3, $A1, $A4 ],
          '--older-than 2h');
is_deeply(listed('--service', 'REV-INC', '--status', 'submitted',
                 '--older-than', '6d'), [ $A3 ], 'filters combine');
is_deeply(listed('--department', 'EDU'), [], 'no match: an empty list');

$r = run('--json', 'app', 'list', '--office', $OFFICE);
is_deeply(decode($r->{out})->{applications}[0],
          { ref => $A1, service => 'REV-INC', department => 'REV',
            office => $OFFICE, district => 'Anakapalli',
            status => 'submitted',
            created_at => scalar $dbh->selectrow_array(
                "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')"
                . ' FROM application WHERE ref = ?', undef, $A1),
            due_date => scalar $dbh->selectrow_array(
                'SELECT due_date FROM application WHERE ref = ?', undef,
                $A1) },
          'list --json: one application as the database holds it');

$r = run('app', 'list', '--status', 'pending');
like($r->{out}, qr/^REF\s+SERVICE\s+DEPARTMENT\s+OFFICE\s+STATUS\s+CREATED\s+DUE\n/,
     'list: a table with a header');
is(scalar(() = $r->{out} =~ /^REV-INC-2026-\d{6}\s/mg), 3,
   'list: one line per application');

for my $bad (['--status', 'done'], ['--older-than', '3'],
             ['--older-than', 'd3'], ['--older-than', '3y'])
{
    $r = run('app', 'list', @$bad);
    is($r->{rc}, 2, "list @$bad: usage error (exit 2)");
}

# ---------------------------------------------------------------------------
# show

$r = run('--json', 'app', 'show', $A1);
is($r->{rc}, 0, 'show: exit 0') or diag($r->{err});
my $shown = decode($r->{out})->{application};
is($shown->{ref}, $A1, 'show: the ref');
is($shown->{office}, $OFFICE, 'show: the office');
is($shown->{status}, 'submitted', 'show: the status');
is($shown->{language}, 'te', "show: the citizen's language");
is_deeply($shown->{answers}, \%fields, 'show: the answers, every one');
is_deeply([ map { [ $_->{status}, $_->{actor} ] } @{ $shown->{history} } ],
          [ [ 'submitted', 'citizen' ] ], 'show: the history');
is($shown->{certificate}, undef, 'show: no certificate yet');

$r = run('app', 'show', $A1);
like($r->{out}, qr/^answers\.annual_income\s+84000$/m,
     'show: answers as answers.<field> rows');
like($r->{out}, qr/^AT\s+STATUS\s+ACTOR\s+NOTE\n\S+\s+submitted\s+citizen/m,
     'show: the history table');

$r = run('app', 'show', 'REV-INC-2026-999999');
is($r->{rc}, 1, 'show of an unknown ref: exit 1');
like($r->{err}, qr/no application REV-INC-2026-999999/,
     'show of an unknown ref: says so');

# ---------------------------------------------------------------------------
# approve

$r = run('--json', 'app', 'approve', $A1);
is($r->{rc}, 0, 'approve: exit 0') or diag($r->{err});
my $ok = decode($r->{out});
is($ok->{status}, 'issued', 'approve: issued');
is($ok->{number}, $A1, 'approve: the certificate number is the ref');
my ($b32) = $ok->{qr} =~ m{^HTTPS://\U$HOST\E/C/([A-Z2-7]+)\z};
ok($b32, 'approve: the QR text') or diag($ok->{qr});

my $cert = $dbh->selectrow_hashref(
    'SELECT LOWER(HEX(cti)) AS id, kid, number, service_code, citizen_id,'
    . ' application_ref, cose, log_index, UNIX_TIMESTAMP(issued_at) AS iat,'
    . ' doc_type FROM certificate WHERE application_ref = ?', undef, $A1);
ok($cert, 'approve: a certificate tied to the application');
is($cert->{id}, $ok->{certificate}, 'approve: the id printed');
is($cert->{kid}, $kid, "approve: signed by $OFFICE\'s key");
is($cert->{citizen_id}, $citizen{lakshmi}{id}, "approve: the citizen's");
is($cert->{service_code}, 'REV-INC', 'approve: the service');
is($cert->{number}, $A1, 'approve: numbered with the ref');
is(base32_decode($b32), $cert->{cose}, 'approve: the QR holds the COSE');
my $utf8 = sub { my $s = shift; utf8::encode($s); $s };
for my $f (qw(name father_name annual_income occupation purpose)) {
    my $v = $utf8->($fields{$f});
    ok(index($cert->{cose}, $v) >= 0, "approve: the $f answer is signed");
}
ok(index($cert->{cose}, '4321') < 0 && index($cert->{cose}, 'aadhaar') < 0,
   'approve: the Aadhaar answer is not in the certificate');

my @log = $dbh->selectrow_array('SELECT size FROM tlog_state');
is($log[0], $cert->{log_index} + 1, 'approve: the log grew by its leaf');
my ($leaf) = $dbh->selectrow_array(
    'SELECT leaf FROM tlog_leaf WHERE idx = ?', undef, $cert->{log_index});
is($leaf, "\x01" . $kid . sha256($cert->{cose}) . pack('Q>', $cert->{iat})
          . pack('n', $cert->{doc_type}),
   'approve: the leaf is its issuance leaf');

is(scalar $dbh->selectrow_array(
       'SELECT status FROM application WHERE ref = ?', undef, $A1),
   'issued', 'approve: the application is issued');
is_deeply($dbh->selectcol_arrayref(
              'SELECT status FROM request_history WHERE ref = ? ORDER BY id',
              undef, $A1),
          [ qw(submitted approved issued) ],
          'approve: approved, then issued, in the history');

my $out = $dbh->selectall_arrayref(
    'SELECT citizen_id, phone_number_id, to_phone, to_bsuid, lang, state,'
    . ' payload FROM outbox WHERE citizen_id = ? AND id > (SELECT MIN(id)'
    . ' FROM outbox WHERE citizen_id = ?)', { Slice => {} },
    $citizen{lakshmi}{id}, $citizen{lakshmi}{id});
is(scalar @$out, 1, 'approve: one message queued');
is_deeply([ @{ $out->[0] }{qw(phone_number_id to_phone lang state)} ],
          [ $PNID, '919000000001', 'te', 0 ],
          'approve: to the citizen, from the number they wrote to, in'
          . ' their language, queued');
my $payload = JSON::PP->new->decode($out->[0]{payload});
is_deeply($payload,
          { messaging_product => 'whatsapp', recipient_type => 'individual',
            to => '919000000001', type => 'text',
            text => { preview_url => JSON::PP::false,
                      body => expected_text('te', 'app.issued', ref => $A1,
                                            number => $A1,
                                            link => $ok->{qr}) } },
          'approve: the Telugu text with the number and the link');

$r = run('app', 'show', $A1);
like($r->{out}, qr/^certificate\.id\s+$cert->{id}$/m,
     'show: the certificate once issued');

# ---------------------------------------------------------------------------
# refused: nothing changes

sub refused {
    my ($name, $rc, $err, @args) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $sum = decision_checksum();
    my $r = run(@args);
    is($r->{rc}, $rc, "$name: exit $rc") or diag($r->{err});
    like($r->{err}, $err, "$name: says why");
    is(decision_checksum(), $sum, "$name: nothing changed");
}

refused('approving twice', 1, qr/\Q$A1\E is issued, not pending/,
        'app', 'approve', $A1);
refused('rejecting an issued one', 1, qr/\Q$A1\E is issued, not pending/,
        'app', 'reject', $A1, '--reason', 'late');
refused('approving a rejected one', 1, qr/\Q$A4\E is rejected, not pending/,
        'app', 'approve', $A4);
refused('an unknown ref', 1, qr/no application REV-INC-2026-999999/,
        'app', 'approve', 'REV-INC-2026-999999');
refused('an office without a key', 1, qr/no active issuer key/,
        'app', 'approve', $A3);
refused('reject without a reason', 2, qr/--reason/, 'app', 'reject', $A2);
refused('an empty reason', 2, qr/--reason/, 'app', 'reject', $A2,
        '--reason', '');
refused('a reason of two lines', 2, qr/one line/, 'app', 'reject', $A2,
        '--reason', "a\nb");
refused('a reason of 513 characters', 2, qr/512/, 'app', 'reject', $A2,
        '--reason', $utf8->('అ' x 513));
refused('an expiry in the past', 2, qr/--expires/, 'app', 'approve', $A2,
        '--expires', '2001-01-01');
{
    my $sum = decision_checksum();
    $r = $db->mmctl_run('app', 'approve', $A2);
    is($r->{rc}, 78, 'approve without the verify host: exit 78');
    is(decision_checksum(), $sum, 'approve without the verify host: '
       . 'nothing changed');
}

# ---------------------------------------------------------------------------
# reject

my $REASON = 'Income proof is missing; please attach the tahsildar form';
$r = run('--json', 'app', 'reject', $A2, '--reason', $REASON);
is($r->{rc}, 0, 'reject: exit 0') or diag($r->{err});
is_deeply(decode($r->{out}), { ref => $A2, status => 'rejected' },
          'reject: --json');
is(scalar $dbh->selectrow_array(
       'SELECT status FROM application WHERE ref = ?', undef, $A2),
   'rejected', 'reject: the application is rejected');
is_deeply($dbh->selectall_arrayref(
              'SELECT status, note FROM request_history WHERE ref = ?'
              . ' ORDER BY id', undef, $A2),
          [ [ 'submitted', undef ], [ 'rejected', $REASON ] ],
          'reject: the reason in the history');
$out = $dbh->selectall_arrayref(
    'SELECT to_phone, to_bsuid, lang, payload FROM outbox WHERE citizen_id = ?'
    . ' ORDER BY id', { Slice => {} }, $citizen{ravi}{id});
is(scalar @$out, 2, 'reject: one message queued');
is_deeply([ @{ $out->[1] }{qw(to_phone to_bsuid lang)} ],
          [ undef, 'IN.bsuid.ravi', 'en' ],
          'reject: to the BSUID of a citizen without a phone');
$payload = JSON::PP->new->decode($out->[1]{payload});
is($payload->{to}, 'IN.bsuid.ravi', 'reject: addressed to the BSUID');
is($payload->{text}{body},
   expected_text('en', 'app.rejected', ref => $A2, reason => $REASON),
   'reject: the English text with the reason');
refused('rejecting twice', 1, qr/\Q$A2\E is rejected, not pending/,
        'app', 'reject', $A2, '--reason', 'again');

# ---------------------------------------------------------------------------
# Approvals racing: one certificate

my $A5 = application(citizen => 'meena', hours => 2);
my @jobs = map { start('--json', 'app', 'approve', $A5) } 1 .. 6;
my @res = map { $db->mmctl_finish($_) } @jobs;
is(scalar(grep { $_->{rc} == 0 } @res), 1, 'six at once: one approves');
is(scalar(grep { $_->{rc} == 1 && $_->{err} =~ /not pending/ } @res), 5,
   'six at once: five find it not pending');
is(scalar $dbh->selectrow_array(
       'SELECT COUNT(*) FROM certificate WHERE application_ref = ?', undef,
       $A5), 1, 'six at once: one certificate');
my ($hi) = $dbh->selectrow_array(
    'SELECT payload FROM outbox WHERE citizen_id = ? ORDER BY id DESC'
    . ' LIMIT 1', undef, $citizen{meena}{id});
my ($qr) = map { decode($_->{out})->{qr} } grep { $_->{rc} == 0 } @res;
is(JSON::PP->new->decode($hi)->{text}{body},
   expected_text('hi', 'app.issued', ref => $A5, number => $A5, link => $qr),
   'six at once: one Hindi message (the service named in English)');
is(scalar $dbh->selectrow_array(
       'SELECT COUNT(*) FROM outbox WHERE citizen_id = ?', undef,
       $citizen{meena}{id}), 2, 'six at once: one message queued');
is(scalar $dbh->selectrow_array('SELECT size FROM tlog_state'), 2,
   'six at once: one leaf appended');

# ---------------------------------------------------------------------------
# help

$r = $db->mmctl_run('app', '--help');
like($r->{out}, qr/^\s+list\s.*^\s+show\s.*^\s+approve\s.*^\s+reject\s/ms,
     'app --help names the four verbs');

done_testing();

#!/usr/bin/perl

# mmctl cert show, list, revoke, pdf and verify against a private MariaDB.
# What mmctl says is compared with the rows and with values computed here
# (the revocation leaf is rebuilt byte by byte); the PDF is read back with
# poppler's and zbar's tools; verify is run offline against the trust list
# "mmctl key trust-list" writes, untouched and altered.  Refused commands
# must change nothing.

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use POSIX ();
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-certadm-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $OFFICE = 'REV-AKP-COLL';
my $SERVICE = 'REV-CCRC';
my $OTHER_SERVICE = 'AGRI-ADV';
my $PHONE = '919000000001';

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          @_);
}

sub json { JSON::PP->new->decode($_[0]) }

sub log_checksum {
    my $rows = $dbh->selectall_arrayref(
        'CHECKSUM TABLE certificate, tlog_state, tlog_leaf, tlog_hash'
        . ' EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

sub refused {
    my ($name, $rc, $re, @args) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $before = log_checksum();
    my $r = run(@args);
    is($r->{rc}, $rc, "$name: exit $rc") or diag($r->{err});
    like($r->{err}, $re, "$name: the message says why");
    is(log_checksum(), $before, "$name: nothing written");
    return $r;
}

sub issue {
    my ($n, @more) = @_;
    my $r = run('--json', 'cert', 'issue', '--service', $SERVICE,
                '--office', $OFFICE, '--number', "REV-CCRC-2026-$n",
                '--holder', "Holder $n", '--field', 'caste=BC-A',
                '--field', "village=Village $n", @more);
    is($r->{rc}, 0, "issue $n") or diag($r->{err});
    return json($r->{out});
}

# ---------------------------------------------------------------------------
# The catalogue, the keys, a citizen and a few certificates.

my $r = $db->mmctl_run('service', 'import',
                       "$ROOT/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
ok($dbh->selectrow_array('SELECT COUNT(*) FROM service WHERE code = ?',
                         undef, $OTHER_SERVICE), "$OTHER_SERVICE exists");
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = run('--json', 'key', 'generate', '--purpose', 'root', '--name',
         'test-root');
is($r->{rc}, 0, 'a root key') or diag($r->{err});
my $root_pub = json($r->{out})->{key}{public_key};
$r = run('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, 'an issuer key for the office') or diag($r->{err});
my ($kid) = $dbh->selectrow_array(
    "SELECT LOWER(HEX(kid)) FROM signing_key WHERE name = '$OFFICE'");
$dbh->do('INSERT INTO citizen (phone) VALUES (?)', undef, $PHONE);

my @c = map { issue($_) } 1 .. 3;
push @c, issue(4, '--to', $PHONE, '--relation', 'D/o K. Ramana',
               '--expires', '2036-01-01');
{
    $r = run('--json', 'cert', 'issue', '--service', $OTHER_SERVICE,
             '--office', $OFFICE, '--number', 'AGRI-1', '--holder', 'Other');
    is($r->{rc}, 0, 'issue for another service') or diag($r->{err});
    push @c, json($r->{out});
}

# ---------------------------------------------------------------------------
# show

{
    $r = run('--json', 'cert', 'show', $c[3]{id});
    is($r->{rc}, 0, 'show by id') or diag($r->{err});
    my $s = json($r->{out})->{certificate};
    is($s->{id}, $c[3]{id}, 'show: the id');
    is($s->{number}, 'REV-CCRC-2026-4', 'show: the number');
    is($s->{holder}, 'Holder 4', 'show: the holder, from the signed bytes');
    is($s->{relation}, 'D/o K. Ramana', 'show: the relation');
    is_deeply($s->{fields}, { caste => 'BC-A', village => 'Village 4' },
              'show: the fields');
    is($s->{office}, $OFFICE, 'show: the office');
    is($s->{service}, $SERVICE, 'show: the service');
    is($s->{citizen}, $PHONE, 'show: the citizen');
    is($s->{expires_at}, '2036-01-01T00:00:00Z', 'show: the expiry');
    is($s->{status}, 'valid', 'show: valid');
    is($s->{kid}, $kid, 'show: the office key');
    is($s->{key_status}, 'active', 'show: the key is active');
    is($s->{log_index}, $c[3]{log_index}, 'show: the log index');
    is($s->{qr}, $c[3]{qr}, 'show: the QR text "cert issue" printed');
    is($s->{revoked_at}, undef, 'show: not revoked');

    $r = run('cert', 'show', 'REV-CCRC-2026-4');
    is($r->{rc}, 0, 'show by number') or diag($r->{err});
    like($r->{out}, qr/^id\s+\Q$c[3]{id}\E$/m, 'show by number: that one');
    like($r->{out}, qr/^fields\.village\s+Village 4$/m,
         'show: a field as fields.KEY');
    like($r->{out}, qr/^qr\s+HTTPS:\/\/\U$HOST\E\/C\/[A-Z2-7]+$/m,
         'show: the QR text');

    $r = run('cert', 'show', uc $c[0]{id});
    like($r->{out}, qr/^holder\s+Holder 1$/m, 'show: an id in upper case');

    refused('show an unknown id', 1, qr/no certificate 0{24}/,
            'cert', 'show', '0' x 24);
    refused('show an unknown number', 1, qr/no certificate NOPE-1/,
            'cert', 'show', 'NOPE-1');
    refused('show without the verify host', 78, qr/verify host/,
            '--verify-host', '', 'cert', 'show', $c[0]{id});
}

# ---------------------------------------------------------------------------
# list

sub ids {
    my (@args) = @_;
    my $r = run('--json', 'cert', 'list', @args);
    is($r->{rc}, 0, "list @args") or diag($r->{err});
    return [ map { $_->{id} } @{ json($r->{out})->{certificates} } ];
}

is_deeply(ids(), [ map { $_->{id} } @c ], 'list: every certificate, in '
          . 'order of issue');
is_deeply(ids('--service', $OTHER_SERVICE), [ $c[4]{id} ],
          'list --service');
is_deeply(ids('--citizen', $PHONE), [ $c[3]{id} ], 'list --citizen PHONE');
{
    my ($cid) = $dbh->selectrow_array(
        'SELECT id FROM citizen WHERE phone = ?', undef, $PHONE);
    is_deeply(ids('--citizen', $cid), [ $c[3]{id} ], 'list --citizen ID');
}
is_deeply(ids('--since', '2099-01-01'), [], 'list --since the future: none');
is_deeply(ids('--since', '2000-01-01T00:00:00Z'), [ map { $_->{id} } @c ],
          'list --since the past: all');
is_deeply(ids('--status', 'revoked'), [], 'list --status revoked: none yet');
{
    $r = run('cert', 'list', '--service', $SERVICE);
    my @lines = split /\n/, $r->{out};
    like($lines[0], qr/^ID\s+NUMBER\s+SERVICE\s+STATUS\s+ISSUED_AT\s+/,
         'list: a table with its header');
    is(scalar(@lines), 5, 'list: one line a certificate');
    unlike($r->{out}, qr/Holder/, 'list: no holder names');
}
refused('list --status nonsense', 2, qr/--status/, 'cert', 'list',
        '--status', 'nonsense');
refused('list --since nonsense', 2, qr/--since/, 'cert', 'list',
        '--since', 'yesterday');

# ---------------------------------------------------------------------------
# revoke

refused('revoke without a reason', 2, qr/--reason is required/,
        'cert', 'revoke', $c[0]{id});
refused('revoke with a bad reason', 2, qr/--reason "stolen"/,
        'cert', 'revoke', $c[0]{id}, '--reason', 'stolen');
refused('revoke with a reason code out of range', 2, qr/--reason "9"/,
        'cert', 'revoke', $c[0]{id}, '--reason', '9');
refused('revoke an unknown id', 1, qr/no certificate/,
        'cert', 'revoke', 'f' x 24, '--reason', 'withdrawn');

{
    my ($size) = $dbh->selectrow_array('SELECT size FROM tlog_state');
    $r = run('--json', 'cert', 'revoke', $c[1]{id}, '--reason',
             'superseded');
    is($r->{rc}, 0, 'revoke') or diag($r->{err});
    my $j = json($r->{out});
    is($j->{result}, 'revoked', 'revoke: result revoked');
    is($j->{reason}, 'superseded', 'revoke: the reason by name');
    is($j->{log_index}, $size, 'revoke: the next index of the log');

    my $row = $dbh->selectrow_hashref(
        'SELECT cti, kid, status, revoke_reason,'
        . " DATE_FORMAT(revoked_at, '%Y-%m-%dT%H:%i:%SZ') AS at,"
        . ' UNIX_TIMESTAMP(revoked_at) AS t FROM certificate WHERE cti ='
        . ' UNHEX(?)', undef, $c[1]{id});
    is($row->{status}, 'revoked', 'revoke: the row says revoked');
    is($row->{revoke_reason}, 2, 'revoke: reason code 2 stored');
    is($row->{at}, $j->{revoked_at}, 'revoke: the time printed is stored');
    is($dbh->selectrow_array('SELECT size FROM tlog_state'), $size + 1,
       'revoke: the log grew by one leaf');
    my ($leaf) = $dbh->selectrow_array(
        'SELECT leaf FROM tlog_leaf WHERE idx = ?', undef, $size);
    is(unpack('H*', $leaf // ''),
       unpack('H*', "\x02" . $row->{kid} . sha256($row->{cti})
                    . pack('Q>', $row->{t}) . "\x02"),
       'revoke: the leaf is 02 || kid || SHA-256(cti) || revoked_at || 02');

    refused('revoke twice', 1, qr/already revoked.*nothing changed/,
            'cert', 'revoke', $c[1]{id}, '--reason', 'withdrawn');

    $r = run('cert', 'revoke', 'REV-CCRC-2026-3', '--reason', '3');
    is($r->{rc}, 0, 'revoke by number, reason by code') or diag($r->{err});
    like($r->{out}, qr/^REASON\tissued_in_error$/m,
         'revoke: reason 3 is issued_in_error');

    is_deeply(ids('--status', 'revoked'), [ $c[1]{id}, $c[2]{id} ],
              'list --status revoked');
    is_deeply(ids('--status', 'valid'),
              [ $c[0]{id}, $c[3]{id}, $c[4]{id} ], 'list --status valid');

    $r = run('--json', 'cert', 'show', $c[1]{id});
    my $s = json($r->{out})->{certificate};
    is($s->{status}, 'revoked', 'show: revoked');
    is($s->{revoke_reason}, 'superseded', 'show: why');
    is($s->{revoked_at}, $j->{revoked_at}, 'show: when');
}

# ---------------------------------------------------------------------------
# pdf

{
    my ($a, $b) = ("$TMP/a.pdf", "$TMP/b.pdf");
    $r = run('cert', 'pdf', $c[3]{id}, '-o', $a);
    is($r->{rc}, 0, 'pdf') or diag($r->{err});
    like($r->{out}, qr/^FILE\t\Q$a\E$/m, 'pdf: names the file');
    $r = run('cert', 'pdf', 'REV-CCRC-2026-4', '--output', $b);
    is($r->{rc}, 0, 'pdf again, by number') or diag($r->{err});
    my $pa = Mana::Test::slurp($a);
    my $pb = Mana::Test::slurp($b);
    like($pa, qr/\A%PDF-/, 'pdf: a PDF');
    ok(length($pa) > 1000 && $pa eq $pb,
       'pdf: the same certificate gives the same bytes');
    is((stat $a)[2] & 07777, 0600, 'pdf: mode 0600 (it names the holder)');

    $r = run('cert', 'pdf', $c[3]{id}, '-o', '-');
    ok($r->{rc} == 0 && $r->{out} eq $pa, 'pdf -o -: the same bytes on '
       . 'stdout');

    SKIP: {
        skip 'poppler-utils not installed', 3
            if system('sh', '-c', 'command -v pdftotext >/dev/null') != 0;
        my $text = `pdftotext -layout '$a' - 2>/dev/null`;
        like($text, qr/Holder 4/, 'pdf: the holder is on the page');
        like($text, qr/REV-CCRC-2026-4/, 'pdf: the number is on the page');
        like($text, qr/Village 4/, 'pdf: a field is on the page');
    }

    SKIP: {
        skip 'zbarimg or pdftoppm missing', 1
            if system('sh', '-c', 'command -v zbarimg >/dev/null && '
                      . 'command -v pdftoppm >/dev/null') != 0;
        system('pdftoppm', '-r', '200', '-png', '-singlefile', $a,
               "$TMP/page");
        my $qr = `zbarimg --quiet --raw '$TMP/page.png' 2>/dev/null`;
        chomp $qr;
        is($qr, $c[3]{qr}, 'pdf: the QR on the page decodes to the QR text');
    }

    SKIP: {
        skip 'qpdf not installed', 1
            if system('sh', '-c', 'command -v qpdf >/dev/null') != 0;
        is(system("qpdf --check '$a' >/dev/null 2>&1"), 0,
           'pdf: qpdf --check passes');
    }

    # a path that is not a regular file (a device, a pipe) is written to,
    # never replaced by a file: -o /dev/null must not take /dev/null away
    SKIP: {
        skip 'mkfifo failed', 3 unless POSIX::mkfifo("$TMP/pipe", 0600);
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            alarm 20;   # a pipe replaced by a file has no writer
            open my $in, '<', "$TMP/pipe" or POSIX::_exit(1);
            binmode $in;
            local $/;
            my $got = <$in>;
            open my $out, '>', "$TMP/from-pipe" or POSIX::_exit(1);
            print $out $got;
            close $out;
            POSIX::_exit(0);
        }
        $r = run('cert', 'pdf', $c[3]{id}, '-o', "$TMP/pipe");
        waitpid $pid, 0;
        is($r->{rc}, 0, 'pdf -o a named pipe') or diag($r->{err});
        ok(-p "$TMP/pipe", 'the pipe is still a pipe');
        ok(Mana::Test::slurp("$TMP/from-pipe") eq $pa,
           'and its reader got the PDF');
    }

    refused('pdf without -o', 2, qr/-o FILE is required/,
            'cert', 'pdf', $c[3]{id});
    refused('pdf of an unknown id', 1, qr/no certificate/,
            'cert', 'pdf', 'a' x 24, '-o', "$TMP/none.pdf");
    ok(!-e "$TMP/none.pdf", 'pdf of an unknown id: no file');
}

# ---------------------------------------------------------------------------
# verify, offline against the signed trust list

my $TL = "$TMP/trust.json";
$r = run('key', 'trust-list', '-o', $TL);
is($r->{rc}, 0, 'trust-list written') or diag($r->{err});

sub verify {
    my ($qr, @more) = @_;
    my $r = run('--json', 'cert', 'verify', $qr, @more);
    my $j = eval { json($r->{out}) } // {};
    return ($r, $j);
}

{
    my ($r, $j) = verify($c[0]{qr}, '--trust-list', $TL, '--root',
                         $root_pub);
    is($r->{rc}, 0, 'verify: exit 0') or diag($r->{err});
    is($j->{verdict}, 'genuine', 'verify: genuine');
    ok($j->{valid}, 'verify: valid');
    is($j->{holder}, 'Holder 1', 'verify: the holder, as signed');
    is($j->{id}, $c[0]{id}, 'verify: the id');
    is($j->{kid}, $kid, 'verify: the kid');
    is($j->{office}, $OFFICE, 'verify: the office');
    is($j->{log_index}, $c[0]{log_index}, 'verify: the log index');

    ($r, $j) = verify(lc $c[0]{qr}, '--trust-list', $TL);
    is($j->{verdict}, 'genuine', 'verify: a lower-case URL, roots from the '
       . 'database');

    my ($b32) = $c[0]{qr} =~ m{/C/([A-Z2-7]+)\z};
    ($r, $j) = verify($b32, '--trust-list', $TL, '--root', $root_pub);
    is($j->{verdict}, 'genuine', 'verify: the Base32 alone');

    $r = run('cert', 'verify', $c[0]{qr}, '--trust-list', $TL);
    like($r->{out}, qr/^verdict\s+genuine$/m, 'verify: text output');
    like($r->{out}, qr/^fields\.caste\s+BC-A$/m, 'verify: the fields shown');

    # one character changed inside the signature: still Base32, no longer
    # the office's signature
    my $qr = $c[0]{qr};
    my $pos = length($qr) - 20;
    my $ch = substr($qr, $pos, 1);
    substr($qr, $pos, 1) = $ch eq 'A' ? 'B' : 'A';
    ($r, $j) = verify($qr, '--trust-list', $TL, '--root', $root_pub);
    is($r->{rc}, 1, 'verify tampered: exit 1');
    is($j->{verdict}, 'tampered', 'verify tampered: tampered');
    is($j->{holder}, undef, 'verify tampered: no claims shown');
    like($r->{err}, qr/not valid: tampered/, 'verify tampered: says so');

    # one character changed in the claims
    $qr = $c[0]{qr};
    $pos = length("HTTPS://$HOST/C/") + 40;
    $ch = substr($qr, $pos, 1);
    substr($qr, $pos, 1) = $ch eq 'A' ? 'B' : 'A';
    ($r, $j) = verify($qr, '--trust-list', $TL, '--root', $root_pub);
    is($r->{rc}, 1, 'verify a changed claim: exit 1');
    like($j->{verdict} // '', qr/^(tampered|malformed)\z/,
         'verify a changed claim: tampered or malformed');

    ($r, $j) = verify("HTTPS://$HOST/C/NOT-BASE32!", '--trust-list', $TL);
    is($r->{rc}, 1, 'verify garbage: exit 1');
    is($j->{verdict}, 'malformed', 'verify garbage: malformed');

    $r = run('cert', 'verify', $c[0]{qr});
    is($r->{rc}, 2, 'verify without --trust-list: exit 2');
    like($r->{err}, qr/--trust-list FILE is required/,
         'verify without --trust-list: says so');

    $r = run('cert', 'verify', $c[0]{qr}, '--trust-list', "$TMP/none.json");
    is($r->{rc}, 1, 'verify with a missing trust list: exit 1');
    like($r->{err}, qr/cannot read the trust list .*none\.json/,
         'verify with a missing trust list: names it');

    # a list whose signature is not the root's
    my $doc = json(Mana::Test::slurp($TL));
    my $sig = $doc->{signatures}[0]{sig};
    substr($sig, 10, 1) = substr($sig, 10, 1) eq 'A' ? 'B' : 'A';
    $doc->{signatures}[0]{sig} = $sig;
    Mana::Test::spew("$TMP/bad-sig.json", JSON::PP->new->encode($doc));
    $r = run('cert', 'verify', $c[0]{qr}, '--trust-list',
             "$TMP/bad-sig.json", '--root', $root_pub);
    is($r->{rc}, 1, 'verify with a wrong trust-list signature: exit 1');
    like($r->{err}, qr/trust list .* is not to be trusted/,
         'verify with a wrong trust-list signature: says so');

    # the right list, pinned to a key that is not its root
    my ($issuer_pub) = $dbh->selectrow_array(
        "SELECT TO_BASE64(public_key) FROM signing_key WHERE name = ?",
        undef, $OFFICE);
    $issuer_pub =~ tr{+/=}{-_}d;
    $r = run('cert', 'verify', $c[0]{qr}, '--trust-list', $TL, '--root',
             $issuer_pub);
    is($r->{rc}, 1, 'verify against another root: exit 1');
    like($r->{err}, qr/not to be trusted/,
         'verify against another root: the list is not trusted');

    $r = run('cert', 'verify', $c[0]{qr}, '--trust-list', $TL, '--root',
             'short');
    is($r->{rc}, 2, 'verify --root not a key: exit 2');
}

# A key the list does not know, a key outside its window, a revoked key.
{
    $r = run('key', 'generate', '--purpose', 'issuer', '--office',
             'REV-AKP-RDO', '--valid-from', '2030-01-01', '--valid-until',
             '2031-01-01');
    is($r->{rc}, 0, 'a key that signs from 2030') or diag($r->{err});
    $r = run('--json', 'cert', 'issue', '--service', $SERVICE, '--office',
             'REV-AKP-RDO', '--number', 'RDO-1', '--holder', 'Early');
    is($r->{rc}, 0, 'issued with it now') or diag($r->{err});
    my $early = json($r->{out});

    my ($r2, $j) = verify($early->{qr}, '--trust-list', $TL, '--root',
                          $root_pub);
    is($r2->{rc}, 1, 'a key the old list does not have: exit 1');
    is($j->{verdict}, 'unknown_key', 'a key the old list does not have: '
       . 'unknown_key');

    $r = run('key', 'trust-list', '-o', $TL);
    is($r->{rc}, 0, 'the list again') or diag($r->{err});
    ($r2, $j) = verify($early->{qr}, '--trust-list', $TL, '--root',
                       $root_pub);
    is($r2->{rc}, 1, 'signed before the key\'s window: exit 1');
    is($j->{verdict}, 'key_not_valid', 'signed before the key\'s window: '
       . 'key_not_valid');

    ($r2, $j) = verify($c[0]{qr}, '--trust-list', $TL, '--root', $root_pub);
    is($j->{verdict}, 'genuine', 'the office\'s certificate is still '
       . 'genuine');

    $r = run('key', 'revoke', $kid, '--yes', '--at', '2020-01-01');
    is($r->{rc}, 0, 'the office key revoked back to 2020') or diag($r->{err});
    $r = run('key', 'trust-list', '-o', $TL);
    ($r2, $j) = verify($c[0]{qr}, '--trust-list', $TL, '--root', $root_pub);
    is($r2->{rc}, 1, 'signed by a revoked key: exit 1');
    is($j->{verdict}, 'key_revoked', 'signed by a revoked key: key_revoked');
    is($j->{key_status}, 'revoked', 'the key\'s status is shown');
}

# An expired certificate, and a retired key's: signed here by lib/'s own
# code (t/unit/mm1_issue.c) with a key whose public half is added to the
# table as a retired key of another office.
SKIP: {
    my $tool = "$ROOT/build/t/mm1_issue";
    skip "$tool is not built", 6 unless -x $tool;
    my $now = time;
    my $seed = unpack('H*', join '', map { chr(int rand 256) } 1 .. 32);
    my $sign = sub {
        my ($iat, $exp) = @_;
        open my $fh, '-|', $tool, $seed, 'REV-VSP-COLL', $iat, $exp, 1,
            'VSP-1', 'Retired Signer', '-', 0, 'caste=OC'
            or die "$tool: $!";
        my $line = <$fh>;
        close $fh;
        return { $line =~ /(\w+)=(\S+)/g };
    };
    my $old = $sign->($now - 86400 * 100, $now - 86400);
    my $fine = $sign->($now - 86400 * 100, $now + 86400 * 100);
    $dbh->do(q{INSERT INTO signing_key (kid, purpose, name, public_key,
               private_sealed, status, valid_from, valid_until)
               VALUES (UNHEX(?), 'issuer', 'REV-VSP-COLL', UNHEX(?), X'00',
                       'retired', FROM_UNIXTIME(?), FROM_UNIXTIME(?))},
             undef, $old->{kid}, $old->{pub}, $now - 86400 * 200,
             $now - 86400 * 50);
    $dbh->do('UPDATE key_version SET version = version + 1');
    $r = run('key', 'trust-list', '-o', $TL);
    is($r->{rc}, 0, 'the list with a retired key') or diag($r->{err});

    my ($r2, $j) = verify($old->{b32}, '--trust-list', $TL, '--root',
                          $root_pub);
    is($r2->{rc}, 1, 'past its expiry: exit 1');
    is($j->{verdict}, 'expired', 'past its expiry: expired');
    is($j->{holder}, 'Retired Signer', 'past its expiry: the claims shown');

    ($r2, $j) = verify($fine->{b32}, '--trust-list', $TL, '--root',
                       $root_pub);
    is($r2->{rc}, 0, 'signed by a retired key in its window: exit 0')
        or diag($r2->{err});
    is($j->{verdict}, 'genuine', 'signed by a retired key in its window: '
       . 'genuine');
}

# A number two certificates share names neither.
{
    my @dup = map {
        my $r = run('--json', 'cert', 'issue', '--service', $SERVICE,
                    '--office', 'REV-AKP-RDO', '--number', 'DUP-1',
                    '--holder', "Twin $_");
        is($r->{rc}, 0, "issue DUP-1 ($_)") or diag($r->{err});
        json($r->{out});
    } 1, 2;
    refused('show a shared number', 1, qr/2 certificates are named DUP-1: give the id/,
            'cert', 'show', 'DUP-1');
    refused('revoke a shared number', 1, qr/2 certificates are named DUP-1/,
            'cert', 'revoke', 'DUP-1', '--reason', 'withdrawn');
    $r = run('--json', 'cert', 'show', $dup[1]{id});
    is(json($r->{out})->{certificate}{holder}, 'Twin 2',
       'show: each by its id');
}

# ---------------------------------------------------------------------------
# help

for my $verb (qw(show list revoke pdf verify)) {
    $r = $db->mmctl_run('cert', $verb, '--help');
    is($r->{rc}, 0, "cert $verb --help");
    like($r->{out}, qr/^Usage: mmctl \[global options\] cert $verb/,
         "cert $verb --help: its usage");
}

done_testing();

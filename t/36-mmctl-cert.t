#!/usr/bin/perl

# mmctl cert issue against a private MariaDB: certificates signed with the
# office's issuer key, stored with their COSE bytes and appended to the
# issuance log in one transaction.  The log is checked here with code that
# is not mmctl's: every leaf is rebuilt from its certificate row, and
# every stored hash is recomputed from the leaves (RFC 6962 hashing, Go
# sumdb/tlog's storage order).  Issuing from eight processes at once must
# give distinct, gap-free indexes; refused commands must change nothing.

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb start_nginx wait_until json_decode);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-cert-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $OFFICE = 'REV-AKP-COLL';
my $SERVICE = 'REV-CCRC';

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          @_);
}

sub start {
    return $db->mmctl_start('--master-key-file', $MK, '--verify-host',
                            $HOST, @_);
}

sub issue_args {
    my ($n, @more) = @_;
    return ('cert', 'issue', '--service', $SERVICE, '--office', $OFFICE,
            '--number', "REV-CCRC-2026-$n", '--holder', "Holder $n",
            '--field', 'caste=BC-A', @more);
}

sub log_checksum {
    my $rows = $dbh->selectall_arrayref(
        'CHECKSUM TABLE certificate, tlog_state, tlog_leaf, tlog_hash'
        . ' EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

# RFC 4648 Base32, no padding
sub base32_decode {
    my ($s) = @_;
    my %v;
    @v{'A' .. 'Z', '2' .. '7'} = 0 .. 31;
    my $bits = join '', map {
        defined $v{$_} or return undef;
        sprintf('%05b', $v{$_})
    } split //, $s;
    $bits = substr($bits, 0, length($bits) - length($bits) % 8);
    return pack('B*', $bits);
}

sub leaf_hash { sha256("\x00" . $_[0]) }
sub node_hash { sha256("\x01" . $_[0] . $_[1]) }

# the RFC 6962 hash of leaves [lo, hi), hi - lo a power of two
sub subtree {
    my ($leaves, $lo, $hi) = @_;
    return leaf_hash($leaves->[$lo]) if $hi - $lo == 1;
    my $mid = ($lo + $hi) / 2;
    return node_hash(subtree($leaves, $lo, $mid),
                     subtree($leaves, $mid, $hi));
}

# sumdb/tlog's StoredHashIndex
sub stored_index {
    my ($level, $n) = @_;
    $n = 2 * $n + 1 for 1 .. $level;
    my $i = 0;
    for (; $n > 0; $n >>= 1) { $i += $n }
    return $i + $level;
}

# every stored hash and leaf against the certificates, recomputed here
sub check_log {
    my ($name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $size = $dbh->selectrow_array('SELECT size FROM tlog_state');
    my $leaves = $dbh->selectall_arrayref(
        'SELECT idx, leaf FROM tlog_leaf ORDER BY idx');
    is_deeply([ map { $_->[0] } @$leaves ], [ 0 .. $size - 1 ],
              "$name: leaves 0 .. size-1, no gap") or return;
    my @leaf = map { $_->[1] } @$leaves;

    my $certs = $dbh->selectall_arrayref(
        'SELECT log_index, kid, cose, UNIX_TIMESTAMP(issued_at), doc_type'
        . ' FROM certificate');
    my $bad = 0;
    for my $c (@$certs) {
        my ($i, $kid, $cose, $iat, $dt) = @$c;
        my $want = "\x01" . $kid . sha256($cose) . pack('Q>', $iat)
            . pack('n', $dt);
        $bad++ unless defined $leaf[$i] && $leaf[$i] eq $want;
    }
    is($bad, 0, "$name: each certificate's leaf is its issuance leaf");

    my %want;
    for (my $level = 0; (1 << $level) <= $size; $level++) {
        for (my $n = 0; ($n + 1) << $level <= $size; $n++) {
            $want{stored_index($level, $n)} =
                subtree(\@leaf, $n << $level, ($n + 1) << $level);
        }
    }
    my %got = map { $_->[0] => $_->[1] } @{ $dbh->selectall_arrayref(
        'SELECT idx, hash FROM tlog_hash') };
    is_deeply([ sort { $a <=> $b } keys %got ],
              [ sort { $a <=> $b } keys %want ],
              "$name: the stored hashes are the complete subtrees");
    is(scalar(grep { ($got{$_} // '') ne $want{$_} } keys %want), 0,
       "$name: every stored hash is its subtree's RFC 6962 hash");
}

# ---------------------------------------------------------------------------
# The catalogue, the master key and the office's issuer key.

my $r = $db->mmctl_run('service', 'import',
                       "$ROOT/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = run('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, 'an issuer key for the office') or diag($r->{err});
my ($kid) = $dbh->selectrow_array(
    "SELECT HEX(kid) FROM signing_key WHERE name = '$OFFICE'");

# ---------------------------------------------------------------------------
# Issue.

my @issued;
for my $n (1 .. 3) {
    $r = run('--json', issue_args($n, $n == 2 ? ('--expires', '2036-01-01',
                                                 '--relation', 'D/o X')
                                              : ()));
    is($r->{rc}, 0, "issue $n exits 0") or diag($r->{err});
    push @issued, JSON::PP->new->decode($r->{out});
}

is_deeply([ map { $_->{log_index} } @issued ], [ 0, 1, 2 ],
          'log indexes 0, 1, 2 in order of issue');

for my $c (@issued) {
    like($c->{id}, qr/^[0-9a-f]{24}\z/, "id $c->{log_index}: 24 hex digits");
    my $row = $dbh->selectrow_hashref(
        'SELECT HEX(kid) AS kid, cose, log_index, number, service_code'
        . ' FROM certificate WHERE cti = UNHEX(?)', undef, $c->{id});
    ok($row, "id $c->{log_index}: its row exists") or next;
    is($row->{kid}, $kid, "id $c->{log_index}: signed by the office's key");
    is($row->{log_index}, $c->{log_index},
       "id $c->{log_index}: the row's log_index is the one printed");
    my ($b32) = $c->{qr} =~ m{^HTTPS://\U$HOST\E/C/([A-Z2-7]+)\z};
    ok($b32, "id $c->{log_index}: QR text HTTPS://HOST/C/BASE32")
        or diag($c->{qr});
    is(base32_decode($b32 // ''), $row->{cose},
       "id $c->{log_index}: the QR's Base32 decodes to the stored COSE");
    is(substr($row->{cose}, 0, 1), "\xd2",
       "id $c->{log_index}: the bytes are a tagged COSE_Sign1");
    like($row->{cose}, qr/\Q$c->{id}\E|\Q@{[pack 'H*', $c->{id}]}\E/,
         "id $c->{log_index}: the cti is inside the signed bytes");
}

{
    my ($exp) = $dbh->selectrow_array(
        'SELECT expires_at FROM certificate WHERE log_index = 1');
    is($exp, '2036-01-01 00:00:00', '--expires is stored');
    $r = run(issue_args(9));
    is($r->{rc}, 0, 'issue without --json') or diag($r->{err});
    like($r->{out}, qr/^ID\t[0-9a-f]{24}\nLOG_INDEX\t3\nQR\tHTTPS:/,
         'text output: ID, LOG_INDEX and QR');
    unlike($r->{out} . $r->{err}, qr/PRIVATE|[0-9a-f]{64}/i,
           'no key material printed');
}

check_log('after 4 issues');

# ---------------------------------------------------------------------------
# Eight at once.

{
    my @jobs = map { start('--json', issue_args(100 + $_)) } 1 .. 8;
    my @res = map { $db->mmctl_finish($_) } @jobs;
    is(scalar(grep { $_->{rc} == 0 } @res), 8,
       'eight concurrent issues all succeed')
        or diag(join "\n", map { $_->{err} } @res);
    my @idx = sort { $a <=> $b }
              map { JSON::PP->new->decode($_->{out})->{log_index} }
              grep { $_->{rc} == 0 } @res;
    is_deeply(\@idx, [ 4 .. 11 ], 'concurrent issues take 4 .. 11, each once');
    is($dbh->selectrow_array('SELECT size FROM tlog_state'), 12,
       'tlog_state size 12');
    check_log('after concurrent issues');
}

# ---------------------------------------------------------------------------
# Refusals change nothing.

sub refused {
    my ($name, $rc, $re, @args) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $before = log_checksum();
    my $r = run(@args);
    is($r->{rc}, $rc, "$name: exit $rc") or diag($r->{err});
    like($r->{err}, $re, "$name: the message says why");
    is(log_checksum(), $before, "$name: nothing written");
}

refused('unknown office', 1, qr/no office NOPE/,
        'cert', 'issue', '--service', $SERVICE, '--office', 'NOPE',
        '--number', 'X-1', '--holder', 'A');
refused('unknown service', 1, qr/no service NOPE/,
        'cert', 'issue', '--service', 'NOPE', '--office', $OFFICE,
        '--number', 'X-1', '--holder', 'A');
refused('office without a key', 1, qr/no active issuer key/,
        'cert', 'issue', '--service', $SERVICE, '--office', 'REV-AKP-RDO',
        '--number', 'X-1', '--holder', 'A');
refused('bad field', 2, qr/KEY=VALUE/, issue_args(1, '--field', 'novalue'));
refused('too many fields', 2, qr/at most 24/,
        issue_args(1, map { ('--field', "k$_=v") } 1 .. 24));
refused('bad date', 2, qr/--expires/, issue_args(1, '--expires',
                                                 '2026-13-40'));
refused('holder not UTF-8', 2, qr/UTF-8/,
        'cert', 'issue', '--service', $SERVICE, '--office', $OFFICE,
        '--number', 'X-1', '--holder', "\xff\xfe");
refused('no verify host', 78, qr/verify host/,
        '--verify-host', '', issue_args(1));
refused('no master key', 78, qr/master key/,
        '--master-key-file', "$TMP/none", issue_args(1));
refused('unknown citizen', 1, qr/no citizen/, issue_args(1, '--to',
                                                         '919999999999'));

check_log('after refusals');

# ---------------------------------------------------------------------------
# The module's verification page accepts what mmctl issued.

{
    my $ngx = start_nginx($db,
        server_extra => 'location ^~ /C/ { mana_verify; }');
    my ($b32) = $issued[0]{qr} =~ m{/C/([A-Z2-7]+)\z};
    my $verdict = '';
    wait_until(sub {
        my $res = $ngx->request('GET', "/C/$b32",
                                headers => { Accept => 'application/json' });
        my $j = eval { json_decode($res->{content}) } // {};
        $verdict = $j->{verdict} // "HTTP $res->{status}";
        return $verdict eq 'genuine';
    }, 10, 'the verdict');
    is($verdict, 'genuine', '/C/ says an issued certificate is genuine');
}

done_testing();

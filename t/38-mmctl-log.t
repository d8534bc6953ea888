#!/usr/bin/perl

# mmctl log checkpoint and mmctl log verify against a private MariaDB.
# The checkpoints are read back here with code that is not mmctl's: the
# root recomputed from tlog_leaf (RFC 6962), the key id and the Ed25519
# signature of the note checked with openssl.  verify must pass on a log
# of issuances and revocations, and fail, naming what is wrong, once a
# stored hash, a leaf or a checkpoint is altered in the database.

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use MIME::Base64 qw(decode_base64 encode_base64);
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-log-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $ORIGIN = 'verify.example.in/log';
my $OFFICE = 'REV-AKP-COLL';
my $SERVICE = 'REV-CCRC';

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          @_);
}

sub json { JSON::PP->new->decode($_[0]) }

my $issued = 0;

sub issue {
    $issued++;
    my $r = run('--json', 'cert', 'issue', '--service', $SERVICE,
                '--office', $OFFICE, '--number', "REV-CCRC-2026-$issued",
                '--holder', "Holder $issued");
    is($r->{rc}, 0, "issue $issued") or diag($r->{err});
    return json($r->{out});
}

sub checkpoints {
    return $dbh->selectrow_array('SELECT COUNT(*) FROM tlog_checkpoint');
}

# RFC 6962 root of leaves [lo, hi)
sub mth {
    my ($leaves, $lo, $hi) = @_;
    return sha256('') if $hi == $lo;
    return sha256("\x00" . $leaves->[$lo]) if $hi - $lo == 1;
    my $k = 1;
    $k <<= 1 while $k * 2 < $hi - $lo;
    return sha256("\x01" . mth($leaves, $lo, $lo + $k)
                  . mth($leaves, $lo + $k, $hi));
}

# The latest checkpoint, checked here: its text against the leaves, its
# key id and signature against the log's public key.
sub check_checkpoint {
    my ($name, $size) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my ($rsize, $root, $note) = $dbh->selectrow_array(
        'SELECT size, root, note FROM tlog_checkpoint'
        . ' ORDER BY size DESC LIMIT 1');
    is($rsize, $size, "$name: the latest checkpoint is of size $size");
    my ($text, $sigs) = $note =~ /\A(.*?\n)\n(.*)\z/s;
    ok(defined $text, "$name: a note: text, a blank line, signatures")
        or return;
    my @leaves = map { $_->[0] } @{ $dbh->selectall_arrayref(
        'SELECT leaf FROM tlog_leaf WHERE idx < ? ORDER BY idx', undef,
        $size) };
    my $want = mth(\@leaves, 0, scalar @leaves);
    is($text, "$ORIGIN\n$size\n" . encode_base64($want, '') . "\n",
       "$name: origin, size and the root of tlog_leaf's first $size leaves");
    is($root, $want, "$name: the row's root is that root");

    my ($pub) = $dbh->selectrow_array(
        "SELECT public_key FROM signing_key WHERE purpose = 'log'"
        . " AND status = 'active'");
    my ($line) = $sigs =~ /\A\x{2014} \Q$ORIGIN\E (\S+)\n\z/;
    ok($line, "$name: one signature line by the log key's name")
        or return;
    my $blob = decode_base64($line);
    is(length $blob, 68, "$name: key id and signature, 68 bytes");
    is(substr($blob, 0, 4), substr(sha256("$ORIGIN\n\x01$pub"), 0, 4),
       "$name: the key id is the log key's");

    Mana::Test::spew("$TMP/text", $text);
    Mana::Test::spew("$TMP/sig", substr($blob, 4));
    Mana::Test::spew("$TMP/pub.der",
                     pack('H*', '302a300506032b6570032100') . $pub);
    my $out = `openssl pkeyutl -verify -pubin -keyform DER -inkey $TMP/pub.der -rawin -in $TMP/text -sigfile $TMP/sig 2>&1`;
    like($out, qr/Signature Verified Successfully/,
         "$name: openssl verifies the signature with the log key");
}

sub verify_ok {
    my ($name, @args) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $r = run('log', 'verify', @args);
    is($r->{rc}, 0, "$name: log verify passes") or diag($r->{out}, $r->{err});
    unlike($r->{out}, qr/^FAIL/m, "$name: no check fails");
    return $r;
}

sub verify_fails {
    my ($name, $re, @args) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $r = run('log', 'verify', @args);
    is($r->{rc}, 1, "$name: log verify exits 1") or diag($r->{out});
    like($r->{err}, $re, "$name: the message names it");
    like($r->{out}, qr/^FAIL/m, "$name: a check says FAIL");
    return $r;
}

# ---------------------------------------------------------------------------

my $r = $db->mmctl_run('service', 'import',
                       "$ROOT/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = run('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, 'an issuer key') or diag($r->{err});

my @c = map { issue() } 1 .. 3;

$r = run('log', 'checkpoint');
is($r->{rc}, 1, 'checkpoint without a log key: exit 1');
like($r->{err}, qr/no active log key/, 'checkpoint without a log key: says '
     . 'so');
is(checkpoints(), 0, 'checkpoint without a log key: no row');

$r = run('log', 'verify');
is($r->{rc}, 1, 'verify without a log key: exit 1');

$r = run('--json', 'key', 'generate', '--purpose', 'log', '--name',
         $ORIGIN);
is($r->{rc}, 0, 'a log key') or diag($r->{err});
my $vkey = json($r->{out})->{key}{verifier_key};

$r = run('log', 'verify');
is($r->{rc}, 1, 'verify before any checkpoint: exit 1');
like($r->{err}, qr/no checkpoint/, 'verify before any checkpoint: says so');

$r = run('--master-key-file', "$TMP/none", 'log', 'checkpoint');
is($r->{rc}, 78, 'checkpoint without the master key: exit 78');
is(checkpoints(), 0, 'checkpoint without the master key: no row');

$r = run('log', 'checkpoint');
is($r->{rc}, 0, 'checkpoint') or diag($r->{err});
like($r->{out}, qr/^SIZE\t3\nROOT\t\S{44}\nRESULT\tsigned$/m,
     'checkpoint: size 3, signed');
is(checkpoints(), 1, 'checkpoint: one row');
check_checkpoint('first checkpoint', 3);

$r = run('--json', 'log', 'checkpoint');
is($r->{rc}, 0, 'checkpoint again') or diag($r->{err});
is(json($r->{out})->{result}, 'unchanged', 'checkpoint again: unchanged');
is(checkpoints(), 1, 'checkpoint again: no new row');

verify_ok('one checkpoint');

# Issuances and revocations, a second checkpoint.
push @c, issue(), issue();
for my $i (1, 3) {
    $r = run('cert', 'revoke', $c[$i]{id}, '--reason', 'withdrawn');
    is($r->{rc}, 0, "revoke certificate $i") or diag($r->{err});
}
$r = run('--json', 'log', 'checkpoint');
is($r->{rc}, 0, 'second checkpoint') or diag($r->{err});
is(json($r->{out})->{size}, 7, 'second checkpoint: 5 issuances and 2 '
   . 'revocations');
is(checkpoints(), 2, 'second checkpoint: a new row');
check_checkpoint('second checkpoint', 7);

$r = verify_ok('issuances and revocations', '--cert', $c[0]{id},
               '--cert', $c[1]{id}, '--cert', 'REV-CCRC-2026-4');
like($r->{out}, qr/^ok\s+latest checkpoint \(size 7\): signed by the log/m,
     'verify: the latest checkpoint\'s signature');
like($r->{out}, qr/^ok\s+the latest checkpoint \(size 7\) extends the previous one \(size 3\)/m,
     'verify: consistency with the previous checkpoint');
like($r->{out}, qr/^ok\s+tlog_hash: all \d+ stored hashes/m,
     'verify: the stored hashes recomputed');
like($r->{out}, qr/^ok\s+certificate $c[1]{id}: issuance \(leaf 1\): included in the checkpoint of size 7$/m,
     'verify: a revoked certificate\'s issuance is included');
like($r->{out}, qr/^ok\s+certificate $c[1]{id}: revocation \(leaf \d\): included/m,
     'verify: its revocation is included');
like($r->{out}, qr/^ok\s+certificate $c[3]{id}: revocation/m,
     'verify: a certificate by number, its revocation');

{
    $r = run('--json', 'log', 'verify', '--cert', $c[0]{id});
    is($r->{rc}, 0, 'verify --json') or diag($r->{err});
    my $j = json($r->{out});
    ok($j->{ok}, 'verify --json: ok');
    is($j->{checkpoint}{size}, 7, 'verify --json: the checkpoint\'s size');
    ok(@{ $j->{checks} } >= 8 && !grep({ !$_->{ok} } @{ $j->{checks} }),
       'verify --json: every check ok');
}

verify_ok('the log key pinned', '--log-key', $vkey);
{
    # the same name and another key: the notes were not signed by it
    my $pub = "\x11" x 32;
    my $id = unpack('H8', sha256("$ORIGIN\n\x01$pub"));
    my $other = "$ORIGIN+$id+" . encode_base64("\x01$pub", '');
    verify_fails('another log key pinned', qr/no log key signed it/,
                 '--log-key', $other);
    $r = run('log', 'verify', '--log-key', "$ORIGIN+00000000+"
             . encode_base64("\x01$pub", ''));
    is($r->{rc}, 2, 'a --log-key whose hash is not its key\'s: exit 2');
}

$r = run('log', 'verify', '--cert', 'f' x 24);
is($r->{rc}, 1, 'verify an unknown certificate: exit 1');
like($r->{err}, qr/no certificate/, 'verify an unknown certificate: says so');

{
    my $late = issue();
    verify_fails('a certificate after the checkpoint',
                 qr/not yet in the latest checkpoint \(size 7\)/,
                 '--cert', $late->{id});
    $r = run('log', 'checkpoint');
    is($r->{rc}, 0, 'third checkpoint') or diag($r->{err});
    verify_ok('after the third checkpoint', '--cert', $late->{id});
}

# Checkpoints signed while certificates are issued: each one's root is the
# root of exactly the leaves of its size.
{
    my @jobs;
    for my $n (1 .. 6) {
        push @jobs, $db->mmctl_start('--master-key-file', $MK,
            '--verify-host', $HOST, 'cert', 'issue', '--service', $SERVICE,
            '--office', $OFFICE, '--number', "REV-CCRC-2026-C$n",
            '--holder', "Concurrent $n");
        push @jobs, $db->mmctl_start('--master-key-file', $MK, 'log',
                                     'checkpoint') if $n % 2;
    }
    my @res = map { $db->mmctl_finish($_) } @jobs;
    is(scalar(grep { $_->{rc} != 0 } @res), 0,
       'issues and checkpoints at once all succeed')
        or diag(join "\n", map { $_->{err} } @res);
    $r = run('log', 'checkpoint');
    is($r->{rc}, 0, 'a checkpoint after them') or diag($r->{err});
    my @leaves = map { $_->[0] } @{ $dbh->selectall_arrayref(
        'SELECT leaf FROM tlog_leaf ORDER BY idx') };
    my $rows = $dbh->selectall_arrayref(
        'SELECT size, root FROM tlog_checkpoint ORDER BY size');
    is(scalar(grep { mth(\@leaves, 0, $_->[0]) ne $_->[1] } @$rows), 0,
       'every stored checkpoint\'s root is the root of its first leaves');
    is($rows->[-1][0], scalar @leaves, 'the last one covers the whole log');
    verify_ok('after concurrent issues and checkpoints');
}

# ---------------------------------------------------------------------------
# Altered rows.

{
    my ($orig) = $dbh->selectrow_array(
        'SELECT hash FROM tlog_hash WHERE idx = 5');
    $dbh->do("UPDATE tlog_hash SET hash = UNHEX(SHA2('x', 256))"
             . ' WHERE idx = 5');
    verify_fails('a stored hash altered', qr/tlog_hash row 5\b/);
    $dbh->do('UPDATE tlog_hash SET hash = UNHEX(?) WHERE idx = 5', undef,
             unpack('H*', $orig));
    verify_ok('the hash restored');
}

{
    # idx 0 is leaf 0's hash: altered, it is named as that leaf's
    my ($orig) = $dbh->selectrow_array(
        'SELECT hash FROM tlog_hash WHERE idx = 0');
    $dbh->do("UPDATE tlog_hash SET hash = UNHEX(SHA2('y', 256))"
             . ' WHERE idx = 0');
    verify_fails('a leaf hash altered', qr/tlog_hash row 0, the hash of leaf 0/);
    $dbh->do('UPDATE tlog_hash SET hash = UNHEX(?) WHERE idx = 0', undef,
             unpack('H*', $orig));
}

{
    my ($orig) = $dbh->selectrow_array(
        'SELECT leaf FROM tlog_leaf WHERE idx = 2');
    my $bad = $orig;
    substr($bad, 20, 1) = chr(ord(substr($bad, 20, 1)) ^ 1);
    $dbh->do('UPDATE tlog_leaf SET leaf = UNHEX(?) WHERE idx = 2', undef,
             unpack('H*', $bad));
    $r = verify_fails('a leaf altered', qr/leaf 2\b/, '--cert', $c[2]{id});
    like($r->{out}, qr/^FAIL\s+the latest checkpoint's root is the root of the first \d+ leaves of tlog_leaf/m,
         'a leaf altered: the signed root no longer matches the leaves');
    like($r->{out}, qr/^FAIL\s+certificate $c[2]{id}: issuance: leaf 2 is not the leaf of the certificate's row/m,
         'a leaf altered: the certificate\'s leaf is named');
    $dbh->do('UPDATE tlog_leaf SET leaf = UNHEX(?) WHERE idx = 2', undef,
             unpack('H*', $orig));
    verify_ok('the leaf restored', '--cert', $c[2]{id});
}

{
    # a leaf altered and every hash recomputed to match: only the signed
    # checkpoints catch that
    my ($orig) = $dbh->selectrow_array(
        'SELECT leaf FROM tlog_leaf WHERE idx = 4');
    my $bad = $orig;
    substr($bad, 30, 1) = chr(ord(substr($bad, 30, 1)) ^ 1);
    $dbh->do('UPDATE tlog_leaf SET leaf = UNHEX(?) WHERE idx = 4', undef,
             unpack('H*', $bad));
    my @saved = @{ $dbh->selectall_arrayref(
        'SELECT idx, hash FROM tlog_hash ORDER BY idx') };
    my @leaves = map { $_->[0] } @{ $dbh->selectall_arrayref(
        'SELECT leaf FROM tlog_leaf ORDER BY idx') };
    my $size = @leaves;
    for (my $level = 0; (1 << $level) <= $size; $level++) {
        for (my $n = 0; ($n + 1) << $level <= $size; $n++) {
            my $i = 0;
            my $m = $n;
            $m = 2 * $m + 1 for 1 .. $level;
            for (; $m > 0; $m >>= 1) { $i += $m }
            $dbh->do('UPDATE tlog_hash SET hash = UNHEX(?) WHERE idx = ?',
                     undef, unpack('H*', mth(\@leaves, $n << $level,
                                             ($n + 1) << $level)),
                     $i + $level);
        }
    }
    $r = verify_fails('a leaf and its hashes rewritten',
                      qr/extends the previous one|checkpoint's root is/);
    like($r->{out}, qr/^FAIL\s+the latest checkpoint's root is the root of the first \d+ leaves of tlog_leaf/m,
         'a leaf and its hashes rewritten: the signed root disagrees');
    unlike($r->{out}, qr/^FAIL\s+tlog_hash/m,
           'a leaf and its hashes rewritten: the hashes agree with the leaves');
    $dbh->do('UPDATE tlog_leaf SET leaf = UNHEX(?) WHERE idx = 4', undef,
             unpack('H*', $orig));
    $dbh->do('UPDATE tlog_hash SET hash = UNHEX(?) WHERE idx = ?', undef,
             unpack('H*', $_->[1]), $_->[0]) for @saved;
    verify_ok('leaf and hashes restored');
}

{
    my ($size, $note) = $dbh->selectrow_array(
        'SELECT size, note FROM tlog_checkpoint ORDER BY size DESC LIMIT 1');
    my $bad = $note;
    # a character of the signature, after the 4-byte key id
    $bad =~ s/(\x{2014} \S+ .{20})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
    $dbh->do('UPDATE tlog_checkpoint SET note = ? WHERE size = ?', undef,
             $bad, $size);
    verify_fails('a checkpoint\'s signature altered',
                 qr/signature does not verify/);
    $dbh->do('UPDATE tlog_checkpoint SET note = ? WHERE size = ?', undef,
             $note, $size);
    verify_ok('the checkpoint restored');
}

# ---------------------------------------------------------------------------
# help

for my $verb (qw(checkpoint verify)) {
    $r = $db->mmctl_run('log', $verb, '--help');
    is($r->{rc}, 0, "log $verb --help");
    like($r->{out}, qr/^Usage: mmctl \[global options\] log $verb/,
         "log $verb --help: its usage");
}

done_testing();

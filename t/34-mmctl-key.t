#!/usr/bin/perl

# mmctl key against a private MariaDB: the master key file (made, refused
# when missing, open to others or malformed), keys of every purpose in
# table and --json output, the one-active-key rules, rotate as one
# transaction, retire, revoke (which asks for --yes), key_version moving on
# every change and on nothing else, sealed private keys that open only with
# their master key and on their own row, and the signed trust list checked
# with tools that share no code with mmctl: openssl for Ed25519 and
# Digest::SHA for kids and key hashes (and, where python3-cryptography is
# installed, AES-GCM for the sealed keys and every byte of the payload).

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use MIME::Base64 qw(encode_base64 decode_base64 decode_base64url);
use Test::More;
use Time::Local qw(timegm);
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb json_doc slurp spew);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-key-XXXXXX', TMPDIR => 1, CLEANUP => 1);
# a validity given on the command line that holds whenever the test runs:
# from last year's first of January to the first of January in two years
my $year = (gmtime)[5] + 1900;
my ($gnt_from, $gnt_until) = (($year - 1) . '-01-01', ($year + 2) . '-01-01T08:00:00Z');

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $HAVE_OPENSSL = system('openssl version >/dev/null 2>&1') == 0;
my $HAVE_PY = system('python3', '-c', 'import cryptography.hazmat.primitives'
                     . '.ciphers.aead') == 0;

# ---------------------------------------------------------------------------
# Helpers.

my $MK = "$TMP/master.key";

# mmctl with the master key file
sub key_run {
    my (@args) = @_;
    my $opts = ref $args[0] eq 'HASH' ? shift @args : {};
    return $db->mmctl_run($opts, '--master-key-file', $MK, @args);
}

sub key_version {
    return scalar $dbh->selectrow_array(
        'SELECT version FROM key_version WHERE id = 1');
}

# everything a key command could change
sub keys_checksum {
    my $rows = $dbh->selectall_arrayref(
        'CHECKSUM TABLE signing_key, key_version EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

sub row {
    my ($kid) = @_;
    return $dbh->selectrow_hashref(
        'SELECT id, HEX(kid) AS kid, purpose, name, department_code,'
        . ' HEX(public_key) AS pub, HEX(private_sealed) AS sealed, status,'
        . ' valid_from, valid_until, revoked_at, revoke_reason'
        . ' FROM signing_key WHERE kid = UNHEX(?)', undef, $kid);
}

# a command that must fail with rc, a message matching re, nothing written
sub refused {
    my ($name, $rc, $re, @args) = @_;
    my $opts = ref $args[0] eq 'HASH' ? shift @args : {};
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $before = keys_checksum();
    my $r = $opts->{no_master} ? $db->mmctl_run(@args) : key_run(@args);
    is($r->{rc}, $rc, "$name: exit $rc") or diag($r->{err});
    like($r->{err}, $re, "$name: the message names the problem");
    is(keys_checksum(), $before, "$name: the keys and key_version are "
       . "unchanged");
    return $r;
}

sub kid_of { substr(unpack('H*', sha256($_[0])), 0, 16) }

# the C2SP signed-note verifier key, computed here
sub vkey {
    my ($name, $pub) = @_;
    my $hash = substr(unpack('H*', sha256("$name\n\x01$pub")), 0, 8);
    my $b64 = encode_base64("\x01$pub", '');
    return "$name+$hash+$b64";
}

# openssl's verdict on an Ed25519 signature over bytes, by a raw key
my $nverify = 0;
sub openssl_verifies {
    my ($pub, $bytes, $sig) = @_;
    $nverify++;
    my $pem = "-----BEGIN PUBLIC KEY-----\n"
        . encode_base64(pack('H*', '302a300506032b6570032100') . $pub)
        . "-----END PUBLIC KEY-----\n";
    spew("$TMP/v$nverify.pem", $pem);
    spew("$TMP/v$nverify.bin", $bytes);
    spew("$TMP/v$nverify.sig", $sig);
    my $out = `openssl pkeyutl -verify -pubin -inkey $TMP/v$nverify.pem -rawin -in $TMP/v$nverify.bin -sigfile $TMP/v$nverify.sig 2>&1`;
    return $? == 0 && $out =~ /Signature Verified Successfully/;
}

# the trust list's signed bytes, its signatures and its parsed payload
sub open_doc {
    my ($text) = @_;
    my $doc = JSON::PP->new->decode($text);
    my $payload = $doc->{payload};
    utf8::encode($payload);
    my %sig = map { $_->{kid} => decode_base64url($_->{sig}) }
              @{ $doc->{signatures} };
    return ($doc, $payload, \%sig, JSON::PP->new->utf8->decode($payload));
}

sub pub_of {
    my ($kid) = @_;
    return pack('H*', row($kid)->{pub});
}

# ---------------------------------------------------------------------------
# The catalogue the issuer keys belong to.

for my $c (['dept', 'add', 'REV', '--name-en', 'Revenue'],
           ['dept', 'add', 'AGR', '--name-en', 'Agriculture'],
           ['office', 'add', 'AP-REV-TPT', '--department', 'REV',
            '--district', 'Tirupati', '--name-en', 'Tahsildar, Tirupati'],
           ['office', 'add', 'AP-REV-GNT', '--department', 'REV',
            '--district', 'Guntur', '--name-en', 'Collectorate, Guntur']) {
    my $r = $db->mmctl_run(@$c);
    is($r->{rc}, 0, "catalogue: @$c[0..2]") or diag($r->{err});
}

# ---------------------------------------------------------------------------
# Help.

{
    my $r = $db->mmctl_run('key', '--help');
    is($r->{rc}, 0, 'key --help exits 0');
    like($r->{out}, qr/^\s+$_\s/m, "key --help lists $_")
        for qw(init-master generate list show rotate retire revoke
               trust-list);

    for my $v (qw(init-master generate list show rotate retire revoke
                  trust-list)) {
        $r = $db->mmctl_run('key', $v, '--help');
        is($r->{rc}, 0, "key $v --help exits 0");
        like($r->{out}, qr/^Usage: mmctl \[global options\] key $v/,
             "key $v --help starts with its usage");
        like($r->{out}, qr/--json/, "key $v --help says what --json prints");
    }

    $r = $db->mmctl_run('key', 'generate', '--help');
    like($r->{out}, qr/--$_\b/, "key generate --help documents --$_")
        for qw(purpose office dept name valid-from valid-until);

    $r = $db->mmctl_run('--help');
    like($r->{out}, qr/^\s+key\s/m, 'mmctl --help lists the noun key');
    like($r->{out}, qr/--master-key-file FILE/,
         'mmctl --help documents --master-key-file');
    like($r->{out}, qr/MANA_MASTER_KEY_FILE/, '... and its variable');
    like($r->{out}, qr/master_key_file/, '... and its config key');
}

# ---------------------------------------------------------------------------
# init-master.

{
    my $old = umask 0;      # the mode must not depend on the umask
    my $r = $db->mmctl_run('key', 'init-master', $MK);
    umask $old;

    is($r->{rc}, 0, 'init-master exits 0') or diag($r->{err});
    like($r->{out}, qr/^FILE\s+MODE\n\Q$MK\E\s+0600$/m,
         'init-master prints FILE MODE');
    is((stat $MK)[2] & 07777, 0600, 'the file has mode 0600, umask 0 or not');
    my $key = slurp($MK);
    like($key, qr/\A[0-9a-f]{64}\n\z/, 'it holds 64 hex digits and a newline');

    $r = $db->mmctl_run('key', 'init-master', $MK);
    is($r->{rc}, 1, 'init-master on an existing file exits 1');
    like($r->{err}, qr/exists: a master key file is never overwritten/,
         '... and says it is never overwritten');
    is(slurp($MK), $key, '... and the file is as it was');

    {
        local $ENV{MANA_MASTER_KEY_FILE} = "$TMP/env.key";
        $r = $db->mmctl_run('--json', 'key', 'init-master');
        is($r->{rc}, 0, 'init-master without FILE uses MANA_MASTER_KEY_FILE');
        is_deeply(json_doc($r), { file => "$TMP/env.key", mode => '0600' },
                  'init-master --json');
        ok(-s "$TMP/env.key", '... and the file is there');
        isnt(slurp("$TMP/env.key"), $key, 'two master keys differ');
    }

    $r = $db->mmctl_run('key', 'init-master');
    is($r->{rc}, 2, 'init-master without FILE or a setting exits 2');

    $r = $db->mmctl_run('key', 'init-master', "$TMP/no/such/dir/k");
    is($r->{rc}, 1, 'init-master into a missing directory exits 1');
    like($r->{err}, qr/cannot create .*No such file/, '... and says why');
}

# ---------------------------------------------------------------------------
# The master key file: where it comes from, and what is refused (exit 78,
# nothing written), before the database is even asked.

my $v0 = key_version();

{
    my @gen = ('key', 'generate', '--purpose', 'root', '--name', 'r');

    my $r = refused('no master key file', 78,
                    qr/no master key file: give --master-key-file FILE, MANA_MASTER_KEY_FILE or master_key_file/,
                    { no_master => 1 }, @gen);
    refused('no master key file, trust-list', 78, qr/no master key file/,
            { no_master => 1 }, 'key', 'trust-list');
    $r = refused('no master key file, --json', 78, qr/no master key file/,
                 { no_master => 1 }, '--json', @gen);
    is(json_doc($r)->{error}{code}, 'config', '... a config error in JSON');

    refused('a missing master key file', 78,
            qr/master key file "\Q$TMP\E\/nope.key": No such file/,
            { no_master => 1 }, '--master-key-file', "$TMP/nope.key", @gen);

    for my $mode (0644, 0640, 0604, 0660) {
        my $f = spew("$TMP/open.key", slurp($MK));
        chmod $mode, $f;
        refused(sprintf('a master key file of mode %04o', $mode), 78,
                qr/open to group or others \(mode 0\Q@{[sprintf '%o', $mode]}\E\): chmod 600 it/,
                { no_master => 1 }, '--master-key-file', $f, @gen);
    }

    my %bad = (
        'a master key of 63 digits' => ('a' x 63) . "\n",
        'a master key of 65 digits' => ('a' x 65) . "\n",
        'a master key that is not hex' => ('g' x 64) . "\n",
        'a master key with two newlines' => ('a' x 64) . "\n\n",
        'an empty master key file' => '',
        'a master key of zeros' => ('0' x 64) . "\n",
    );

    for my $name (sort keys %bad) {
        my $f = spew("$TMP/bad.key", $bad{$name});
        chmod 0600, $f;
        $r = refused($name, 78, qr/master key file "\Q$f\E"/,
                     { no_master => 1 }, '--master-key-file', $f, @gen);
        unlike($r->{err}, qr/aaaa|gggg/, "$name: the message quotes "
               . 'none of the file');
    }

    refused('a directory as master key file', 78, qr/is not a regular file/,
            { no_master => 1 }, '--master-key-file', $TMP, @gen);

    # the three sources, and which wins
    my $conf = spew("$TMP/mmctl.conf", "master_key_file = $TMP/from-conf.key\n");
    refused('master_key_file from the config file', 78,
            qr/from-conf\.key": No such file.*\(from master_key_file in \Q$conf\E\)/,
            { no_master => 1 }, '--config', $conf, @gen);
    {
        local $ENV{MANA_MASTER_KEY_FILE} = "$TMP/from-env.key";
        refused('MANA_MASTER_KEY_FILE beats the config file', 78,
                qr/from-env\.key": No such file.*\(from MANA_MASTER_KEY_FILE\)/,
                { no_master => 1 }, '--config', $conf, @gen);
        refused('--master-key-file beats the environment', 78,
                qr/from-flag\.key": No such file.*\(from --master-key-file\)/,
                { no_master => 1 }, '--master-key-file', "$TMP/from-flag.key",
                @gen);
    }

    spew("$TMP/bad.conf", "master_key = x\n");
    refused('an unknown config key', 78,
            qr/unknown key "master_key" \(known: .*master_key_file\)/,
            { no_master => 1 }, '--config', "$TMP/bad.conf", @gen);

    is(key_version(), $v0, 'no refusal moved key_version');
}

# ---------------------------------------------------------------------------
# generate: one key of each purpose.

my (%kid, %pub);

{
    my $r = key_run('key', 'generate', '--purpose', 'root', '--name',
                    'mana-root-2026', '--valid-until', '2031-01-01');
    is($r->{rc}, 0, 'generate a root key exits 0') or diag($r->{err});
    my ($kid) = $r->{out} =~ /^kid\s+([0-9a-f]{16})$/m;
    my ($pub) = $r->{out} =~ /^public_key\s+([A-Za-z0-9_-]{43})$/m;
    ok($kid && $pub, 'generate prints the kid (16 hex digits) and the public '
       . 'key (base64url)');
    like($r->{out}, qr/^purpose\s+root$/m, '... the purpose');
    like($r->{out}, qr/^status\s+active$/m, '... active');
    like($r->{out}, qr/^valid_until\s+2031-01-01T00:00:00Z$/m,
         '... the window given');
    like($r->{out}, qr/^version\s+\Q@{[ $v0 + 1 ]}\E$/m, '... the version');
    is(key_version(), $v0 + 1, 'generate bumps key_version by one');

    $pub = decode_base64url($pub);
    is(length $pub, 32, 'the public key is 32 bytes');
    is($kid, kid_of($pub), 'kid = the first 8 bytes of SHA-256(public key)');

    my $row = row($kid);
    ok($row, 'the key is stored under its kid');
    is($row->{pub}, uc unpack('H*', $pub), '... with its public key');
    is($row->{purpose}, 'root', '... its purpose');
    is($row->{name}, 'mana-root-2026', '... its name');
    is($row->{status}, 'active', '... active');
    is($row->{valid_until}, '2031-01-01 00:00:00', '... its window');
    is(length($row->{sealed}) / 2, 1 + 12 + 32 + 16,
       'the private key is stored sealed: version, nonce, 32 bytes, tag');
    is(substr($row->{sealed}, 0, 2), '01', '... version 1');

    ($kid{root}, $pub{root}) = ($kid, $pub);

    my $before = time;
    $r = key_run('--json', 'key', 'generate', '--purpose', 'issuer',
                 '--office', 'AP-REV-TPT', '--dept', 'REV');
    is($r->{rc}, 0, 'generate an issuer key exits 0') or diag($r->{err});
    my $d = json_doc($r);
    is($d->{result}, 'generated', 'JSON: result');
    is($d->{version}, $v0 + 2, 'JSON: the new key_version');
    is($d->{kid}, $d->{key}{kid}, 'JSON: the kid');
    my $k = $d->{key};
    is_deeply([ sort keys %$k ],
              [ sort qw(kid purpose name department status valid_from
                        valid_until revoked_at revoke_reason public_key
                        verifier_key created_at) ],
              'JSON: every field of a key, and nothing private');
    is_deeply([ @$k{qw(purpose name department status revoked_at
                       verifier_key)} ],
              [ 'issuer', 'AP-REV-TPT', 'REV', 'active', undef, undef ],
              'JSON: purpose, office, department, status, nulls');
    is($k->{kid}, kid_of(decode_base64url($k->{public_key})),
       'JSON: the kid is its public key\'s');

    # a year from now, by default
    my @from = $k->{valid_from} =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
    my $from = @from ? timegm(@from[5, 4, 3, 2], $from[1] - 1, $from[0]) : 0;
    ok($from >= $before && $from <= time, 'valid_from defaults to now')
        or diag($k->{valid_from});
    is(substr($k->{valid_until}, 4), substr($k->{valid_from}, 4),
       'valid_until defaults to a year later ...');
    is(substr($k->{valid_until}, 0, 4), substr($k->{valid_from}, 0, 4) + 1,
       '... the same day of the next year');
    is(row($k->{kid})->{department_code}, 'REV',
       'the department is stored');
    ($kid{issuer}, $pub{issuer}) = ($k->{kid},
                                    decode_base64url($k->{public_key}));

    # --dept is optional: the office's is taken
    $r = key_run('--json', 'key', 'generate', '--purpose', 'issuer',
                 '--office', 'AP-REV-GNT', '--valid-from',
                 "$gnt_from 08:00:00", '--valid-until', $gnt_until);
    is($r->{rc}, 0, 'generate a second office\'s key') or diag($r->{err});
    $k = json_doc($r)->{key};
    is($k->{department}, 'REV', '... its department is its office\'s');
    is($k->{valid_from}, "${gnt_from}T08:00:00Z", '... --valid-from with a '
       . 'space');
    $kid{gnt} = $k->{kid};

    $r = key_run('--json', 'key', 'generate', '--purpose', 'log',
                 '--name', 'mana.example.gov.in/log');
    is($r->{rc}, 0, 'generate a log key exits 0') or diag($r->{err});
    $k = json_doc($r)->{key};
    $pub{log} = decode_base64url($k->{public_key});
    is($k->{verifier_key}, vkey('mana.example.gov.in/log', $pub{log}),
       'a log key shows its signed-note verifier key, name+hash+key');
    $kid{log} = $k->{kid};

    is(key_version(), $v0 + 4, 'four keys, four bumps');
}

# ---------------------------------------------------------------------------
# The sealed private keys: they open with the master key file, not with
# another master key, not on another row.

SKIP: {
    skip 'python3-cryptography is not installed', 5 if !$HAVE_PY;

    my $unseal = <<'PY';
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization as S
master = bytes.fromhex(open(sys.argv[1]).read().strip())
kid = bytes.fromhex(sys.argv[2])
sealed = bytes.fromhex(sys.argv[3])
try:
    seed = AESGCM(master).decrypt(sealed[1:13], sealed[13:], sealed[:1] + kid)
except Exception:
    print("refused")
    sys.exit(0)
pub = Ed25519PrivateKey.from_private_bytes(seed).public_key()
print(pub.public_bytes(S.Encoding.Raw, S.PublicFormat.Raw).hex())
PY
    spew("$TMP/unseal.py", $unseal);
    my $open = sub {
        my ($master, $kid, $sealed) = @_;
        my $out = `python3 $TMP/unseal.py $master $kid $sealed`;
        chomp $out;
        return $out;
    };

    for my $p (qw(root issuer log)) {
        my $row = row($kid{$p});
        is($open->($MK, $kid{$p}, $row->{sealed}), unpack('H*', $pub{$p}),
           "the $p key's seal opens with AES-256-GCM, the master key and "
           . '01 || kid, to the seed of its public key');
    }

    my $row = row($kid{issuer});
    is($open->("$TMP/env.key", $kid{issuer}, $row->{sealed}), 'refused',
       '... and not with another master key');
    is($open->($MK, $kid{root}, $row->{sealed}), 'refused',
       '... nor under another row\'s kid');
}

# ---------------------------------------------------------------------------
# generate: what is refused.

{
    refused('a second active key for an office', 1,
            qr/office AP-REV-TPT already has the active key $kid{issuer}: use "mmctl key rotate $kid{issuer}"/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-TPT');
    refused('a second active root key', 1,
            qr/the root already has the active key $kid{root}/,
            'key', 'generate', '--purpose', 'root', '--name', 'another');
    refused('a second active log key', 1,
            qr/the log already has the active key $kid{log}/,
            'key', 'generate', '--purpose', 'log', '--name', 'other/log');
    refused('an office that does not exist', 1,
            qr/office AP-REV-XYZ does not exist/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-XYZ');
    refused('an office of another department', 1,
            qr/office AP-REV-TPT belongs to department REV, not AGR/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-TPT',
            '--dept', 'AGR');

    refused('no --purpose', 2, qr/--purpose issuer\|root\|log is required/,
            'key', 'generate', '--name', 'x');
    refused('an unknown purpose', 2, qr/--purpose "signer": expected/,
            'key', 'generate', '--purpose', 'signer', '--name', 'x');
    refused('an issuer key without --office', 2, qr/needs --office CODE/,
            'key', 'generate', '--purpose', 'issuer');
    refused('an issuer key with --name', 2, qr/named by its --office/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT',
            '--name', 'x');
    refused('a root key without --name', 2, qr/a root key needs --name LABEL/,
            'key', 'generate', '--purpose', 'root');
    refused('a log key with --office', 2, qr/--office and --dept are for issuer/,
            'key', 'generate', '--purpose', 'log', '--name', 'x/log',
            '--office', 'AP-REV-TPT');
    refused('a log origin with a "+"', 2, qr/no space and no '\+'/,
            'key', 'generate', '--purpose', 'log', '--name', 'mana+log');
    refused('a name with a space', 2, qr/--name "a b"/,
            'key', 'generate', '--purpose', 'root', '--name', 'a b');
    refused('a malformed date', 2, qr/--valid-until "2027-13-01": expected a UTC time/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT',
            '--valid-until', '2027-13-01');
    refused('a time with a zone', 2, qr/--valid-from "2027-01-01T00:00:00\+05:30"/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT',
            '--valid-from', '2027-01-01T00:00:00+05:30');
    refused('--valid-until before --valid-from', 2,
            qr/--valid-until must be after --valid-from/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT',
            '--valid-from', '2030-01-01', '--valid-until', '2029-01-01');
    refused('--valid-until in the past', 2, qr/--valid-until is in the past/,
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT',
            '--valid-from', '2020-01-01', '--valid-until', '2021-01-01');
    refused('an unknown option', 2, qr/unknown option "--office-code"/,
            'key', 'generate', '--purpose', 'issuer', '--office-code', 'X');
    refused('an operand', 2, qr/unexpected argument "extra"/,
            'key', 'generate', '--purpose', 'root', '--name', 'r', 'extra');

    # the schema holds the rule too, whoever writes
    my $ok = eval {
        $dbh->do("UPDATE signing_key SET status = 'active' WHERE kid = UNHEX(?)",
                 undef, $kid{issuer});
        $dbh->do(q{INSERT INTO signing_key (kid, purpose, name, public_key,
                   private_sealed, valid_from, valid_until)
                   VALUES (UNHEX('0000000000000001'), 'issuer', 'AP-REV-TPT',
                   REPEAT('x', 32), 'x', NOW(), NOW())});
        1;
    };
    ok(!$ok && $@ =~ /Duplicate entry 'issuer AP-REV-TPT'/,
       'the schema refuses a second active key for an office');
}

# ---------------------------------------------------------------------------
# list and show.

{
    my $r = $db->mmctl_run('key', 'list');
    is($r->{rc}, 0, 'list exits 0 (without the master key)');
    like($r->{out}, qr/^KID\s+PURPOSE\s+NAME\s+DEPT\s+STATUS\s+VALID_FROM\s+VALID_UNTIL\s+REVOKED_AT$/m,
         'list has its header');
    like($r->{out}, qr/^$kid{issuer}\s+issuer\s+AP-REV-TPT\s+REV\s+active\s+\S+Z\s+\S+Z\s+-$/m,
         'list shows the issuer key');
    like($r->{out}, qr/^$kid{root}\s+root\s+mana-root-2026\s+-\s+active\s+\S+\s+2031-01-01T00:00:00Z\s+-$/m,
         'list shows the root key');
    my @purposes = $r->{out} =~ /^[0-9a-f]{16}\s+(\S+)/mg;
    is_deeply(\@purposes, [qw(root issuer issuer log)],
              'root first, then issuer, then log');
    my @names = $r->{out} =~ /^[0-9a-f]{16}\s+issuer\s+(\S+)/mg;
    is_deeply(\@names, [qw(AP-REV-GNT AP-REV-TPT)], 'issuers by name');

    $r = $db->mmctl_run('--json', 'key', 'list', '--purpose', 'issuer');
    is_deeply([ sort map { $_->{kid} } @{ json_doc($r)->{keys} } ],
              [ sort $kid{issuer}, $kid{gnt} ], 'list --purpose issuer');
    $r = $db->mmctl_run('key', 'list', '--json', '--status', 'active',
                        '--purpose', 'log');
    is_deeply([ map { $_->{kid} } @{ json_doc($r)->{keys} } ], [ $kid{log} ],
              'list --status --purpose');
    $r = $db->mmctl_run('--json', 'key', 'list', '--status', 'revoked');
    is_deeply(json_doc($r), { keys => [] }, 'list of nothing: an empty list');

    $r = $db->mmctl_run('key', 'list', '--status', 'expired');
    is($r->{rc}, 2, 'list --status of no status exits 2');
    $r = $db->mmctl_run('key', 'list', '--purpose', 'signer');
    is($r->{rc}, 2, 'list --purpose of no purpose exits 2');

    $r = $db->mmctl_run('key', 'show', $kid{log});
    is($r->{rc}, 0, 'show exits 0');
    like($r->{out}, qr/^kid\s+$kid{log}$/m, 'show: kid');
    like($r->{out}, qr/^name\s+mana\.example\.gov\.in\/log$/m, 'show: name');
    like($r->{out}, qr/^verifier_key\s+\Qmana.example.gov.in\/log+\E[0-9a-f]{8}\+\S+$/m,
         'show: the log key\'s verifier key');
    $r = $db->mmctl_run('key', 'show', uc $kid{issuer}, '--json');
    is(json_doc($r)->{key}{name}, 'AP-REV-TPT',
       'show --json, the kid in upper case');

    # nothing private in any output
    my $all = join '', map { $db->mmctl_run(@$_)->{out} }
        ['key', 'list'], ['--json', 'key', 'list'],
        map { (['key', 'show', $_], ['--json', 'key', 'show', $_]) }
            values %kid;
    for my $p (keys %kid) {
        my $sealed = row($kid{$p})->{sealed};
        unlike($all, qr/\Q$sealed\E/i, "no output shows the $p key's sealed "
               . 'private key in hex');
        my $b64 = encode_base64(pack('H*', $sealed), '');
        unlike($all, qr/\Q@{[ substr $b64, 4, 40 ]}\E/,
               '... nor in base64');
    }
    unlike($all, qr/private|sealed|seed/i, 'no field speaks of private keys');

    refused('show of an unknown kid', 1, qr/no key 0123456789abcdef/,
            'key', 'show', '0123456789abcdef');
    $r = refused('show of a kid that is no kid', 1,
                 qr/no key xyz: a kid is 16 hexadecimal digits/,
                 '--json', 'key', 'show', 'xyz');
    is(json_doc($r)->{error}{code}, 'failed', '... a failed error in JSON');
    refused('show without a kid', 2, qr/missing argument/, 'key', 'show');

    $r = $db->mmctl_run({ socket => "$TMP/none.sock" }, '--json', 'key',
                        'list');
    is($r->{rc}, 69, 'no database: exit 69');
    is(json_doc($r)->{error}{code}, 'unavailable', '... unavailable in JSON');
}

# ---------------------------------------------------------------------------
# The trust list.

my $list_version;

SKIP: {
    skip 'no openssl', 1 if !$HAVE_OPENSSL;

    my $before = keys_checksum();
    my $t0 = time;
    my $r = key_run('key', 'trust-list');
    is($r->{rc}, 0, 'trust-list exits 0') or diag($r->{err});
    is(keys_checksum(), $before, 'trust-list changes no key, nor the version');
    spew("$TMP/trust.json", $r->{out});

    my ($doc, $payload, $sig, $list) = open_doc($r->{out});
    is_deeply([ sort keys %$doc ], [qw(payload signatures)],
              'the document: payload and signatures');
    is_deeply([ map { [ $_->{kid}, $_->{alg} ] } @{ $doc->{signatures} } ],
              [ [ $kid{root}, 'Ed25519' ] ],
              'one signature, by the root key\'s kid, Ed25519');
    unlike($payload, qr/[^\x20-\x7e]/, 'the payload is printable ASCII');

    ok(openssl_verifies($pub{root}, $payload, $sig->{$kid{root}}),
       'openssl verifies the signature over the payload\'s exact bytes '
       . 'with the root public key');
    ok(!openssl_verifies($pub{issuer}, $payload, $sig->{$kid{root}}),
       '... and not with another key');

    # any byte changed
    for my $at (0, 1, int(length($payload) / 2), length($payload) - 1) {
        my $bad = $payload;
        substr($bad, $at, 1) = chr(ord(substr($bad, $at, 1)) ^ 0x01);
        ok(!openssl_verifies($pub{root}, $bad, $sig->{$kid{root}}),
           "openssl: byte $at of the payload changed, the signature fails");
    }
    (my $bad = $payload) =~ s/"status":"active"/"status":"retired"/;
    ok(!openssl_verifies($pub{root}, $bad, $sig->{$kid{root}}),
       'openssl: a status changed, the signature fails');

    SKIP: {
        skip 'python3-cryptography is not installed', 1 if !$HAVE_PY;
        spew("$TMP/every.py", <<'PY');
import sys, json, base64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
doc = json.load(open(sys.argv[1]))
key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(sys.argv[2]))
p = doc["payload"].encode()
sig = base64.urlsafe_b64decode(doc["signatures"][0]["sig"] + "==")
key.verify(sig, p)
held = 0
for i in range(len(p)):
    for bit in (0x01, 0x20, 0x80):
        q = bytearray(p)
        q[i] ^= bit
        try:
            key.verify(sig, bytes(q))
            held += 1
        except Exception:
            pass
print(len(p), held)
PY
        my $out = `python3 $TMP/every.py $TMP/trust.json @{[ unpack 'H*', $pub{root} ]} 2>&1`;
        my ($n, $held) = $out =~ /^(\d+) (\d+)$/;
        ok($n && $n == length($payload) && $held == 0,
           "every byte of the payload ($n) changed three ways: the "
           . 'signature never holds') or diag($out);
    }

    is($list->{format}, 'mana-trust/1', 'payload: the format');
    is($list->{version}, key_version(), 'payload: version = key_version');
    $list_version = $list->{version};
    like($list->{issued_at}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
         'payload: issued_at in RFC 3339 UTC');
    my ($y, $mo, $d, $h, $mi, $s) = $list->{issued_at} =~ /(\d+)/g;
    my $issued = timegm($s, $mi, $h, $d, $mo - 1, $y);
    ok($issued >= $t0 - 1 && $issued <= time + 1, '... it is now');

    is_deeply($list->{log},
              { origin => 'mana.example.gov.in/log',
                key => vkey('mana.example.gov.in/log', $pub{log}) },
              'payload: the log\'s origin and verifier key (computed here)');

    is(scalar @{ $list->{roots} }, 1, 'payload: one root key');
    is($list->{roots}[0]{kid}, $kid{root}, '... the root');
    is(decode_base64url($list->{roots}[0]{pub}), $pub{root},
       '... with its public key');

    my %keys = map { $_->{kid} => $_ } @{ $list->{keys} };
    is_deeply([ sort keys %keys ], [ sort $kid{issuer}, $kid{gnt} ],
              'payload: every issuer key, and only those');
    my $k = $keys{$kid{issuer}};
    is_deeply([ @$k{qw(office department status revoked_at)} ],
              [ 'AP-REV-TPT', 'REV', 'active', undef ],
              'payload: office, department, status, revoked_at');
    is(decode_base64url($k->{pub}), $pub{issuer},
       'payload: pub is the raw key in base64url');
    is($k->{kid}, kid_of(decode_base64url($k->{pub})),
       'payload: each kid is its key\'s');
    is($keys{$kid{gnt}}{valid_from}, "${gnt_from}T08:00:00Z",
       'payload: valid_from');
    is($keys{$kid{gnt}}{valid_until}, $gnt_until,
       'payload: valid_until');

    # -o FILE
    unlink "$TMP/out.json";
    $r = key_run('--json', 'key', 'trust-list', '-o', "$TMP/out.json");
    is($r->{rc}, 0, 'trust-list -o exits 0') or diag($r->{err});
    my $sum = json_doc($r);
    is_deeply([ @$sum{qw(file version keys roots log signed_by)} ],
              [ "$TMP/out.json", key_version(), 2, 1,
                'mana.example.gov.in/log', [ $kid{root} ] ],
              'trust-list --json -o: what was written');
    is((stat "$TMP/out.json")[2] & 07777, 0644,
       'the file is public: mode 0644');
    ($doc, $payload, $sig) = open_doc(slurp("$TMP/out.json"));
    ok(openssl_verifies($pub{root}, $payload, $sig->{$kid{root}}),
       'the file verifies with the root public key');
    like($r->{err}, qr/wrote \Q$TMP\E\/out\.json: trust list version \d+, 2 issuer keys/,
         'trust-list -o says what it wrote');
}

# ---------------------------------------------------------------------------
# A sealed key moved to another row, and the wrong master key.

{
    my ($a, $b) = map { row($kid{$_})->{id} } qw(root issuer);
    my $swap = sub {
        $dbh->do(q{UPDATE signing_key k1 JOIN signing_key k2
                   ON k1.id = ? AND k2.id = ?
                   SET k1.private_sealed = k2.private_sealed,
                       k2.private_sealed = k1.private_sealed},
                 undef, $a, $b);
    };

    my ($root_sealed, $issuer_sealed) = map { row($kid{$_})->{sealed} }
                                        qw(root issuer);
    $swap->();
    is_deeply([ map { row($kid{$_})->{sealed} } qw(root issuer) ],
              [ $issuer_sealed, $root_sealed ],
              'the root and issuer rows swapped their sealed keys (SQL)');
    my $r = refused('trust-list with the root\'s sealed key swapped', 1,
                    qr/key $kid{root}: its private key does not open with the master key in \Q$MK\E, which opens 2 other keys: the row was altered, or its sealed key was copied from another row/,
                    'key', 'trust-list');
    is($r->{out}, '', '... and prints no trust list');

    $swap->();
    $r = key_run('key', 'trust-list');
    is($r->{rc}, 0, 'swapped back: trust-list works again') or diag($r->{err});

    refused('trust-list with another master key', 78,
            qr/key $kid{root}: its private key does not open with the master key in \Q$TMP\E\/env\.key, nor does any other key's/,
            { no_master => 1 }, '--master-key-file', "$TMP/env.key",
            'key', 'trust-list');
    refused('generate with another master key', 78,
            qr/the master key in \Q$TMP\E\/env\.key opens none of the 4 signing keys/,
            { no_master => 1 }, '--master-key-file', "$TMP/env.key",
            'key', 'generate', '--purpose', 'issuer', '--office', 'AP-REV-GNT');
}

# ---------------------------------------------------------------------------
# rotate.

{
    my $v = key_version();
    my $r = key_run('key', 'rotate', $kid{issuer});
    is($r->{rc}, 0, 'rotate exits 0') or diag($r->{err});
    my ($new) = $r->{out} =~ /^kid\s+([0-9a-f]{16})$/m;
    ok($new && $new ne $kid{issuer}, 'rotate prints the new kid');
    like($r->{out}, qr/^replaces\s+$kid{issuer}$/m, '... and the one it '
         . 'replaces');
    like($r->{out}, qr/^public_key\s+[A-Za-z0-9_-]{43}$/m,
         '... and the new public key');
    is(key_version(), $v + 1, 'rotate bumps key_version once');

    my ($old, $n) = (row($kid{issuer}), row($new));
    is($old->{status}, 'retired', 'the old key is retired');
    is($n->{status}, 'active', 'the new key is active');
    is_deeply([ @$n{qw(purpose name department_code)} ],
              [ @$old{qw(purpose name department_code)} ],
              'the new key has the old one\'s purpose, office, department');
    isnt($n->{pub}, $old->{pub}, '... and a public key of its own');
    ($kid{old_issuer}, $kid{issuer}) = ($kid{issuer}, $new);
    $pub{issuer} = pack 'H*', $n->{pub};

    $r = key_run('--json', 'key', 'rotate', $kid{gnt}, '--valid-until',
                 '2030-06-30');
    is($r->{rc}, 0, 'rotate --json exits 0') or diag($r->{err});
    my $d = json_doc($r);
    is($d->{result}, 'rotated', 'JSON: result');
    is($d->{retired}{kid}, $kid{gnt}, 'JSON: the retired key');
    is($d->{retired}{status}, 'retired', '... retired');
    is($d->{key}{status}, 'active', 'JSON: the new key, active');
    is($d->{key}{valid_until}, '2030-06-30T00:00:00Z', '... its window');
    $kid{gnt} = $d->{key}{kid};

    refused('rotating a retired key', 1,
            qr/key $kid{old_issuer} is retired: only an active key is rotated/,
            'key', 'rotate', $kid{old_issuer});
    refused('rotating an unknown key', 1, qr/no key 0123456789abcdef/,
            'key', 'rotate', '0123456789abcdef');
    refused('rotating without the master key', 78, qr/no master key file/,
            { no_master => 1 }, 'key', 'rotate', $kid{issuer});

    # one transaction: when the new key cannot be stored, the old one stays
    $dbh->do(q{CREATE TRIGGER t34_refuse BEFORE INSERT ON signing_key
               FOR EACH ROW SIGNAL SQLSTATE '45000'
               SET MESSAGE_TEXT = 'the test refuses new keys'});
    refused('rotate when the new key cannot be stored', 1,
            qr/cannot store the new key: .*the test refuses new keys/,
            'key', 'rotate', $kid{issuer});
    is(row($kid{issuer})->{status}, 'active',
       '... the old key is still active: retiring it was rolled back');
    $dbh->do('DROP TRIGGER t34_refuse');

    # the root: the list is signed by the new root and the retired one
    SKIP: {
        skip 'no openssl', 4 if !$HAVE_OPENSSL;
        $r = key_run('--json', 'key', 'rotate', $kid{root});
        is($r->{rc}, 0, 'rotate the root key') or diag($r->{err});
        my $k = json_doc($r)->{key};
        ($kid{old_root}, $kid{root}) = ($kid{root}, $k->{kid});
        $pub{old_root} = $pub{root};
        $pub{root} = decode_base64url($k->{public_key});

        $r = key_run('key', 'trust-list');
        my ($doc, $payload, $sig, $list) = open_doc($r->{out});
        is_deeply([ map { $_->{kid} } @{ $doc->{signatures} } ],
                  [ $kid{root}, $kid{old_root} ],
                  'after a root rotation: signed by the new root and the '
                  . 'retired one');
        ok(openssl_verifies($pub{root}, $payload, $sig->{$kid{root}})
           && openssl_verifies($pub{old_root}, $payload,
                               $sig->{$kid{old_root}}),
           'both signatures verify with their roots\' public keys');
        is_deeply({ map { $_->{kid} => $_->{status} } @{ $list->{roots} } },
                  { $kid{root} => 'active', $kid{old_root} => 'retired' },
                  'the payload names both roots, with their statuses');
    }
}

# ---------------------------------------------------------------------------
# retire.

{
    my $v = key_version();
    my $r = $db->mmctl_run('key', 'retire', $kid{gnt});
    is($r->{rc}, 0, 'retire exits 0, without the master key')
        or diag($r->{err});
    like($r->{out}, qr/^KID\s+RESULT\s+VERSION\n$kid{gnt}\s+retired\s+\Q@{[ $v + 1 ]}\E$/m,
         'retire prints KID RESULT VERSION');
    like($r->{err}, qr/office AP-REV-GNT has no active key now/,
         '... and warns that the office signs nothing now');
    is(row($kid{gnt})->{status}, 'retired', 'the key is retired');
    is(key_version(), $v + 1, 'retire bumps key_version');

    my $before = keys_checksum();
    $r = $db->mmctl_run('--json', 'key', 'retire', $kid{gnt});
    is($r->{rc}, 0, 'retiring a retired key exits 0');
    is(json_doc($r)->{result}, 'unchanged', '... unchanged');
    is(keys_checksum(), $before, '... nothing written, no bump');

    refused('retire of an unknown key', 1, qr/no key 00000000000000ff/,
            { no_master => 1 }, 'key', 'retire', '00000000000000ff');
    refused('retire without a kid', 2, qr/missing argument/,
            { no_master => 1 }, 'key', 'retire');
}

# ---------------------------------------------------------------------------
# revoke.

{
    refused('revoke without --yes, and no terminal', 2,
            qr/revoking key $kid{old_issuer} cannot be undone: add --yes/,
            { no_master => 1 }, 'key', 'revoke', $kid{old_issuer});
    refused('revoke --json without --yes', 2, qr/add --yes/,
            { no_master => 1 }, '--json', 'key', 'revoke', $kid{old_issuer});
    refused('revoke of an unknown key, without --yes', 1,
            qr/no key 0123456789abcdef/, { no_master => 1 },
            'key', 'revoke', '0123456789abcdef');
    refused('revoke --at in the future', 2, qr/--at is in the future/,
            { no_master => 1 }, 'key', 'revoke', $kid{old_issuer}, '--yes',
            '--at', '2999-01-01');
    refused('revoke --at malformed', 2, qr/--at "yesterday"/,
            { no_master => 1 }, 'key', 'revoke', $kid{old_issuer}, '--yes',
            '--at', 'yesterday');
    refused('revoke --reason with a control character', 1,
            qr/--reason: control characters/, { no_master => 1 },
            'key', 'revoke', $kid{old_issuer}, '--yes', '--reason', "a\tb");
    refused('revoke --reason of 256 code points', 2,
            qr/--reason: 1 to 255 code points/, { no_master => 1 },
            'key', 'revoke', $kid{old_issuer}, '--yes', '--reason',
            'అ' x 256);

    my $v = key_version();
    my $reason = 'laptop lost in Tirupati; అనుమానం';
    my $r = $db->mmctl_run('key', 'revoke', $kid{old_issuer}, '--yes',
                           '--at', '2026-06-30T18:30:00Z',
                           '--reason', $reason);
    is($r->{rc}, 0, 'revoke --yes exits 0') or diag($r->{err});
    like($r->{out}, qr/^$kid{old_issuer}\s+revoked\s+\Q@{[ $v + 1 ]}\E$/m,
         'revoke prints KID RESULT VERSION');
    my $row = row($kid{old_issuer});
    is($row->{status}, 'revoked', 'the key is revoked');
    is($row->{revoked_at}, '2026-06-30 18:30:00', 'revoked_at is --at');
    my $stored = $row->{revoke_reason};
    utf8::encode($stored);
    is($stored, $reason, 'the reason is stored');
    is(key_version(), $v + 1, 'revoke bumps key_version');

    $r = $db->mmctl_run('--json', 'key', 'show', $kid{old_issuer});
    my $k = json_doc($r)->{key};
    is($k->{revoked_at}, '2026-06-30T18:30:00Z', 'show: revoked_at');
    ok(defined $k->{revoke_reason}, 'show: the reason');

    refused('moving revoked_at later', 1,
            qr/key $kid{old_issuer} is revoked from 2026-06-30T18:30:00Z, before --at: a revocation only moves earlier/,
            { no_master => 1 }, 'key', 'revoke', $kid{old_issuer}, '--yes',
            '--at', '2026-07-01');
    refused('retiring a revoked key', 1, qr/is revoked, which a retirement would undo/,
            { no_master => 1 }, 'key', 'retire', $kid{old_issuer});

    my $before = keys_checksum();
    $r = $db->mmctl_run('--json', 'key', 'revoke', $kid{old_issuer}, '--yes');
    is(json_doc($r)->{result}, 'unchanged',
       'revoking a revoked key again: unchanged');
    is(keys_checksum(), $before, '... nothing written');

    $r = $db->mmctl_run('key', 'revoke', $kid{old_issuer}, '--yes', '--at',
                        '2026-06-01');
    is($r->{rc}, 0, 'moving revoked_at earlier exits 0');
    is(row($kid{old_issuer})->{revoked_at}, '2026-06-01 00:00:00',
       '... and moves it');
    is(key_version(), $v + 2, '... with a bump');

    # now: revoked_at defaults to the time of the command
    my $t0 = time;
    $r = $db->mmctl_run('--json', 'key', 'revoke', $kid{gnt}, '-y');
    is($r->{rc}, 0, 'revoke -y of a retired key') or diag($r->{err});
    $k = json_doc($r)->{key};
    my ($y, $mo, $d, $h, $mi, $s) = $k->{revoked_at} =~ /(\d+)/g;
    my $at = timegm($s, $mi, $h, $d, $mo - 1, $y);
    ok($at >= $t0 - 1 && $at <= time + 1, 'revoked_at defaults to now');
    is($k->{status}, 'revoked', '... revoked');

    # on a terminal, mmctl asks
    SKIP: {
        skip 'no script(1) to give mmctl a terminal', 4
            if system('script -V >/dev/null 2>&1') != 0;
        my $cmd = join ' ', map { quotemeta }
            $MMCTL, '--config', '/dev/null', '--socket', $db->{socket},
            '--user', 'root', '--database', $db->{database},
            'key', 'revoke', $kid{log};
        my $ask = sub {
            my ($answer) = @_;
            my $out = `printf '$answer\\n' | script -q -e -c '$cmd' /dev/null 2>&1`;
            return ($? >> 8, $out);
        };
        my ($rc, $out) = $ask->('no');
        is($rc, 1, 'on a terminal, answering no: exit 1');
        like($out, qr/Revoke the log key $kid{log} .*Type yes/s,
             '... after the question');
        is(row($kid{log})->{status}, 'active', '... and the key is active');
        ($rc, $out) = $ask->('yes');
        is($rc, 0, 'answering yes revokes it') or diag($out);
        $kid{revoked_log} = $kid{log};
    }
}

# ---------------------------------------------------------------------------
# The trust list after all that: every status, and no root.

SKIP: {
    skip 'no openssl', 1 if !$HAVE_OPENSSL;

    my $r = key_run('key', 'trust-list');
    is($r->{rc}, 0, 'trust-list exits 0') or diag($r->{err});
    my ($doc, $payload, $sig, $list) = open_doc($r->{out});
    ok(openssl_verifies($pub{root}, $payload, $sig->{$kid{root}}),
       'it verifies with the root public key');
    ok($list->{version} > $list_version, 'its version moved on');

    my %st = map { $_->{kid} => [ $_->{status}, $_->{revoked_at} ] }
             @{ $list->{keys} };
    is_deeply($st{$kid{issuer}}, [ 'active', undef ], 'the active key');
    is_deeply($st{$kid{old_issuer}}, [ 'revoked', '2026-06-01T00:00:00Z' ],
              'the revoked key, with revoked_at');
    is($st{$kid{gnt}}[0], 'revoked', 'the retired key, then revoked');
    my ($retired) = grep { $_->{status} eq 'retired' } @{ $list->{keys} };
    ok($retired, 'a retired key is listed (verify only)');
    is(scalar @{ $list->{keys} }, 4, 'every issuer key, whatever its status');
    unlike($payload, qr/laptop|revoke_reason/, 'no revocation reason');
    is($list->{log}, undef, 'the log key revoked: the list names no log')
        if $kid{revoked_log};
    like($r->{err}, qr/no active log key/, '... and says so')
        if $kid{revoked_log};

    $r = $db->mmctl_run('key', 'retire', $kid{root});
    like($r->{err}, qr/there is no active root key now/,
         'retiring the root warns');
    refused('trust-list without an active root', 1,
            qr/there is no active root key to sign the trust list/,
            'key', 'trust-list');
}

# ---------------------------------------------------------------------------
# The bash completion knows the noun.

SKIP: {
    skip 'no bash', 1 if system('bash', '-c', 'true') != 0;
    my $file = "$ROOT/cli/mmctl.bash-completion";
    my $complete = sub {
        my (@words) = @_;
        my $script = "source '$file' || exit 1; COMP_WORDS=("
            . join(' ', map { "'$_'" } @words) . "); COMP_CWORD=$#words;"
            . ' _mmctl; echo "${COMPREPLY[*]}"';
        my $out = `bash -c '$script' 2>&1` // '';
        chomp $out;
        return $out;
    };
    is($complete->('mmctl', 'key', ''),
       'init-master generate list show rotate retire revoke trust-list --help',
       'completion: the key verbs');
    is($complete->('mmctl', 'key', 'generate', '--purpose', ''),
       'issuer root log', 'completion: the purposes');
    is($complete->('mmctl', 'key', 'list', '--status', ''),
       'active retired revoked', 'completion: the statuses');
    is($complete->('mmctl', '--master-key-f'), '--master-key-file',
       'completion: --master-key-file');
}

done_testing();

#!/usr/bin/perl

# mmctl records import|list|count against a private MariaDB: a
# department's hall-ticket list signed into certificates at import (the
# office's issuer key, the issuance log, one transaction), bad rows
# reported with their line and column and nothing written, a re-import
# that leaves unchanged rows alone and supersedes changed ones, a dry run
# that writes nothing.  The certificates verify offline against the signed
# trust list, and each record's key is recomputed here from the file.

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256 sha256_hex);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb demo_hall_tickets);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-records-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $OFFICE = 'SED-GNT';
my $SERVICE = 'SED-SSCHT';
my ($DEMO, $EXPIRES) = demo_hall_tickets($TMP);

sub run {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST,
                          @_);
}

sub json { JSON::PP->new->utf8->decode($_[0]) }

sub import_file {
    my ($file, @more) = @_;
    my $r = run('--json', 'records', 'import', '--service', $SERVICE,
                '--office', $OFFICE, @more, $file);
    my $j = eval { json($r->{out}) } // {};
    return ($r, $j);
}

sub spew {
    my ($name, $text) = @_;
    my $path = "$TMP/$name";
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $text;
    close $fh;
    return $path;
}

sub checksum {
    my $rows = $dbh->selectall_arrayref(
        'CHECKSUM TABLE record, certificate, tlog_state, tlog_leaf, tlog_hash'
        . ' EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

# the record key as lib/mana_records.h defines its bytes
sub record_key {
    my (@pairs) = @_;
    return sha256_hex(join '', map { "$_\0" } 'mana-record-key/1',
                      $SERVICE, @pairs);
}

# ---------------------------------------------------------------------------
# The catalogue, the keys, the trust list.

my $r = $db->mmctl_run('service', 'import',
                       "$ROOT/sql/seed/catalogue.json");
is($r->{rc}, 0, 'the seed catalogue imports') or diag($r->{err});
$r = run('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});
$r = run('--json', 'key', 'generate', '--purpose', 'root', '--name',
         'test-root');
is($r->{rc}, 0, 'a root key') or diag($r->{err});
my $root_pub = json($r->{out})->{key}{public_key};
$r = run('key', 'generate', '--purpose', 'issuer', '--office', $OFFICE);
is($r->{rc}, 0, 'an issuer key for the office') or diag($r->{err});

# ---------------------------------------------------------------------------
# A dry run writes nothing; then the demo list imports.

my $before = checksum();
my ($j);
($r, $j) = import_file($DEMO, '--dry-run');
is($r->{rc}, 0, 'dry run: exit 0') or diag($r->{err});
is_deeply([ @$j{qw(new changed unchanged)} ], [ 3, 0, 0 ],
          'dry run: 3 new');
ok($j->{dry_run}, 'dry run: says it was one');
is(checksum(), $before, 'dry run: nothing written, nothing logged');

($r, $j) = import_file($DEMO);
is($r->{rc}, 0, 'import: exit 0') or diag($r->{err});
is_deeply([ @$j{qw(new changed unchanged)} ], [ 3, 0, 0 ], 'import: 3 new');
like($j->{batch}, qr/^\Q$SERVICE\E-\d{8}T\d{6}Z\z/,
     'import: the batch is SERVICE-TIME');

$r = run('--json', 'records', 'count', '--service', $SERVICE);
is(json($r->{out})->{records}, 3, 'records count: 3');
$r = run('records', 'count', '--service', $SERVICE);
like($r->{out}, qr/^SERVICE +RECORDS\n\Q$SERVICE\E +3\n\z/,
     'records count: as a table');

$r = run('--json', 'records', 'list', '--service', $SERVICE);
my $list = json($r->{out})->{records};
is_deeply([ map { $_->{number} } @$list ],
          [ '2627100001', '2627100002', '2627100003' ],
          'records list: by number, the roll numbers');
is_deeply([ map { $_->{status} } @$list ], [ ('valid') x 3 ],
          'records list: valid certificates');
is_deeply([ map { $_->{batch} } @$list ], [ ($j->{batch}) x 3 ],
          'records list: the batch of the import');
$r = run('records', 'list', '--service', $SERVICE);
unlike($r->{out}, qr/Ravi|Lakshmi|Irfan/,
       'records list: no names in the listing');

# each row of the file: its record's key, holder and certificate
{
    open my $fh, '<:raw', $DEMO or die;
    my @lines = <$fh>;
    close $fh;
    my ($roll, $dob, $holder) = split /,/, $lines[1];
    my $rec = $dbh->selectrow_hashref(
        'SELECT LOWER(HEX(lookup_key)) AS k, holder, qr, c.status,'
        . ' LOWER(HEX(c.cti)) AS id, c.number, c.expires_at'
        . ' FROM record r JOIN certificate c ON c.id = r.certificate_id'
        . ' WHERE r.number = ?', undef, $roll);
    is($rec->{k}, record_key('ssc_ht', $roll, 'dob', $dob),
       'the record key: SHA-256 of the service and the lookup fields');
    is($rec->{holder}, $holder, 'the holder as in the file');
    is($rec->{number}, $roll, 'the certificate number: the roll number');
    is($rec->{expires_at}, "$EXPIRES 00:00:00", 'expires as in the file');
    like($rec->{qr}, qr{^HTTPS://\U$HOST\E/C/[A-Z2-7]+\z},
         'the stored link is the QR text');

    my $TL = "$TMP/trust.json";
    $r = run('key', 'trust-list', '-o', $TL);
    is($r->{rc}, 0, 'trust-list written') or diag($r->{err});
    $r = run('--json', 'cert', 'verify', $rec->{qr}, '--trust-list', $TL,
             '--root', $root_pub);
    my $v = eval { json($r->{out}) } // {};
    is($r->{rc}, 0, 'cert verify: exit 0') or diag($r->{err});
    is($v->{verdict}, 'genuine', 'cert verify: genuine');
    is($v->{holder}, $holder, 'cert verify: the holder, as signed');
    is($v->{number}, $roll, 'cert verify: the number, as signed');
    is($v->{office}, $OFFICE, 'cert verify: signed for the office');
    is($v->{fields}{exam}, 'SSC Public Examinations March 2027',
       'cert verify: a fact from the file');
    ok(!exists $v->{fields}{dob} && !exists $v->{fields}{ssc_ht},
       'cert verify: the lookup fields are not printed facts');
    my ($idx) = $dbh->selectrow_array(
        'SELECT COUNT(*) FROM tlog_leaf');
    is($idx, 3, 'the issuance log has the three certificates');
}

# ---------------------------------------------------------------------------
# Re-import: unchanged rows untouched; a changed one re-signed.

$before = checksum();
($r, $j) = import_file($DEMO);
is($r->{rc}, 0, 're-import: exit 0') or diag($r->{err});
is_deeply([ @$j{qw(new changed unchanged)} ], [ 0, 0, 3 ],
          're-import: 3 unchanged');
is(checksum(), $before, 're-import of the same file: nothing written');
is($j->{batch}, undef, 're-import of the same file: no batch');

my $old = $dbh->selectrow_array(
    "SELECT LOWER(HEX(c.cti)) FROM record r JOIN certificate c"
    . " ON c.id = r.certificate_id WHERE r.number = '2627100002'");
{
    open my $fh, '<:raw', $DEMO or die;
    local $/;
    my $text = <$fh>;
    close $fh;
    $text =~ s/(2627100002,[^\n]*?)ZPHS Tenali, Guntur \(centre 1021\)/$1ZPHS Duggirala, Guntur (centre 1024)/
        or die 'the demo file changed';
    my $changed = spew('changed.csv', $text . "2627100004,05-05-2011,"
                       . "Sai Teja Pothula,SSC Public Examinations March"
                       . " 2027,Centre 1021,English 20-03-2027,$EXPIRES\n");
    ($r, $j) = import_file($changed);
    is($r->{rc}, 0, 'changed file: exit 0') or diag($r->{err});
    is_deeply([ @$j{qw(new changed unchanged)} ], [ 1, 1, 2 ],
              'changed file: 1 new, 1 changed, 2 unchanged');
}
is($dbh->selectrow_array('SELECT status FROM certificate'
                         . ' WHERE cti = UNHEX(?)', undef, $old),
   'superseded', 'the changed record\'s old certificate is superseded');
{
    my ($status, $centre) = $dbh->selectrow_array(
        "SELECT c.status, r.batch FROM record r JOIN certificate c"
        . " ON c.id = r.certificate_id WHERE r.number = '2627100002'");
    is($status, 'valid', 'the changed record has a new, valid certificate');
    is($dbh->selectrow_array('SELECT COUNT(*) FROM record'), 4,
       'four records, one a row each');
    is($dbh->selectrow_array('SELECT COUNT(*) FROM tlog_leaf'), 5,
       'five certificates in the log: 3, a new one and a re-signed one');
}

# ---------------------------------------------------------------------------
# Bad rows: every one reported, nothing written.

$before = checksum();
{
    my $bad = spew('bad.csv', join '',
        "ssc_ht,dob,holder,exam\n",
        "2627200001,14-03-2011,Good Row,SSC\n",
        "26272,14-03-2011,Short Roll,SSC\n",
        "2627200003,31-02-2011,Bad Date,SSC\n",
        "2627200004,14-03-2011,,SSC\n",
        "2627200005,14-03-2011,Too,Many,Cells\n",
        "2627200001,01-01-2011,Same Number,SSC\n");
    ($r) = import_file($bad);
    is($r->{rc}, 1, 'bad rows: exit 1');
    like($r->{err}, qr/bad\.csv:3: column ssc_ht: /, 'line 3: the roll number');
    like($r->{err}, qr/bad\.csv:4: column dob: /, 'line 4: the date');
    like($r->{err}, qr/bad\.csv:5: column holder: required/,
         'line 5: the holder');
    like($r->{err}, qr/bad\.csv:6: /, 'line 6: the count of cells');
    like($r->{err}, qr/nothing imported/, 'says nothing was imported');
    unlike($r->{err}, qr/31-02-2011|26272,/,
           'the bad values are not echoed');
    is(checksum(), $before, 'bad rows: nothing written');

    my $dup = spew('dup.csv', join '',
        "ssc_ht,dob,holder\n",
        "2627200001,14-03-2011,One\n",
        "2627200001,01-01-2011,Same Number\n");
    ($r) = import_file($dup);
    is($r->{rc}, 1, 'a number twice: exit 1');
    like($r->{err}, qr/dup\.csv:3: the number of line 2 again/,
         'a number twice: says which lines');

    my $nohead = spew('nohead.csv', "ssc_ht,holder\n2627200001,One\n");
    ($r) = import_file($nohead);
    is($r->{rc}, 1, 'a lookup column missing: exit 1');
    like($r->{err}, qr/nohead\.csv:1: column dob: missing/,
         'a lookup column missing: named');
    is(checksum(), $before, 'refused files: nothing written');
}

$r = run('records', 'import', '--service', 'REV-INC', '--office', $OFFICE,
         $DEMO);
is($r->{rc}, 1, 'not an instant service: exit 1');
like($r->{err}, qr/not an instant_document service/,
     'not an instant service: says so');
$r = run('records', 'import', '--service', $SERVICE, '--office',
         'REV-GNT-COLL', $DEMO);
is($r->{rc}, 1, 'an office of another department: exit 1');
$r = run('records', 'import', '--office', $OFFICE, $DEMO);
is($r->{rc}, 2, 'no --service: exit 2');

done_testing();

#!/usr/bin/perl

# mmctl catalogue validate | stats, against a real MariaDB: the stored
# catalogue as a whole, files, warnings against errors, table and --json.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb slurp spew json_of);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $FIXTURE = "$ROOT/t/data/catalogue-small.json";
my $TMP = tempdir('mmctl-catalogue-XXXXXX', TMPDIR => 1, CLEANUP => 1);

plan skip_all => "$MMCTL is not built: run ./build.sh build" if !-x $MMCTL;

delete $ENV{$_} for grep { /^MANA_DB_/ } keys %ENV;

my $db = start_mariadb(private => 1);
my $dbh = $db->dbh;
my $JSON = JSON::PP->new->canonical;     # byte strings, as the literals

my $r;

# --- help and usage ------------------------------------------------------

$r = $db->mmctl_run('catalogue', '--help');
is($r->{rc}, 0, 'catalogue --help: exit 0');
like($r->{out}, qr/^  validate\s+\S.*\n  stats\s+\S/m, 'lists the verbs');
for my $verb (qw(validate stats)) {
    $r = $db->mmctl_run('catalogue', $verb, '--help');
    is($r->{rc}, 0, "catalogue $verb --help: exit 0");
    like($r->{out}, qr/^Usage: mmctl \[global options\] catalogue $verb.*--json/s,
         "catalogue $verb --help: usage and output");
}
$r = $db->mmctl_run('catalogue', 'check');
is($r->{rc}, 2, 'unknown verb: exit 2');
like($r->{err}, qr/unknown verb "check".*validate/s, 'unknown verb: usage');
is($db->mmctl_run('catalogue', 'validate', 'a', 'b')->{rc}, 2, 'two files: exit 2');
is($db->mmctl_run('catalogue', 'stats', 'x')->{rc}, 2, 'stats with an operand: exit 2');

# --- an empty catalogue, then the fixture ---------------------------------

$r = $db->mmctl_run('catalogue', 'validate');
is($r->{rc}, 0, 'validate an empty catalogue: exit 0');
is($r->{out}, "0 errors, 0 warnings\n", 'validate: nothing to say');

is($db->mmctl_run('service', 'import', $FIXTURE)->{rc}, 0, 'the fixture imports');

$r = $db->mmctl_run('--json', 'catalogue', 'validate');
is($r->{rc}, 0, 'validate the fixture: exit 0');
is_deeply(json_of($r), { errors => [], warnings => [] },
          'validate --json: clean');

$r = $db->mmctl_run('--json', 'catalogue', 'stats');
is($r->{rc}, 0, 'stats --json: exit 0');
my $st = json_of($r);
is_deeply($st->{departments}[1],
          { code => 'REV', enabled => JSON::PP::true, services => 2,
            enabled_services => 2, offices => 1,
            types => { information => 0, application => 2,
                       instant_document => 0, status_lookup => 0,
                       grievance => 0, payment => 0 } },
          'stats --json: a department');
is_deeply([ @{ $st->{total} }{qw(departments services enabled_services
                                 offices)} ], [ 2, 4, 3, 1 ],
          'stats --json: the totals');
is($st->{version}, $dbh->selectrow_array('SELECT version FROM'
                                         . ' catalogue_version'),
   'stats --json: the version');

$r = $db->mmctl_run('catalogue', 'stats');
like($r->{out}, qr/^DEPARTMENT\s+ENABLED\s+SERVICES\s+ON\s+OFFICES\s+INFORMATION\s+APPLICATION\s+INSTANT_DOCUMENT\s+STATUS_LOOKUP\s+GRIEVANCE\s+PAYMENT$/m,
     'stats: header');
like($r->{out}, qr/^HLTH\s+yes\s+2\s+1\s+0\s+1\s+0\s+0\s+0\s+1\s+0$/m,
     'stats: a row');
like($r->{out}, qr/^TOTAL\s+-\s+4\s+3\s+1\s+1\s+2\s+0\s+0\s+1\s+0$/m,
     'stats: the total');

# --- warnings: the database as a whole ------------------------------------

$dbh->do("UPDATE department SET enabled = 0 WHERE code = 'HLTH'");
$dbh->do(q{INSERT INTO department (code, name, description, contact)
           VALUES ('EMPTY', '{"en":"Empty"}', '{}',
                   '{"phone":"","email":"","url":""}')});
$r = $db->mmctl_run('catalogue', 'validate');
is($r->{rc}, 0, 'warnings only: exit 0');
like($r->{out}, qr/^warning: service HLTH-AAROGYA: enabled, but its department HLTH is disabled/m,
     'a service in a disabled department');
like($r->{out}, qr/^warning: department EMPTY: has no services$/m,
     'a department without services');
like($r->{out}, qr/^warning: department EMPTY: name\.te: Telugu is missing$/m,
     'missing Telugu, named by code');
like($r->{out}, qr/^0 errors, 3 warnings$/m, 'the count');

# --- errors the database can hold -----------------------------------------

$dbh->do(q{UPDATE service SET intents = '["ok", "(?<bad"]'
           WHERE code = 'REV-INC'});
$dbh->do(q{UPDATE service SET name = JSON_SET(name, '$.en',
           'A service name far too long for a list row')
           WHERE code = 'REV-CASTE'});
$dbh->do('SET FOREIGN_KEY_CHECKS = 0');
$dbh->do(q{INSERT INTO office (code, department_id, district, name,
           address, contact) VALUES ('GHOST-1', 999, 'Guntur',
           '{"en":"Ghost","te":"x"}', '{}', '{}')});
$dbh->do('SET FOREIGN_KEY_CHECKS = 1');

$r = $db->mmctl_run('catalogue', 'validate');
is($r->{rc}, 1, 'errors: exit 1');
like($r->{out}, qr/^error: service REV-INC: intents\[1\]: invalid PCRE2 pattern: .* at offset \d+$/m,
     'an invalid stored pattern, with its offset');
like($r->{out}, qr/^error: service REV-CASTE: name\.en: has 42 code points, must have 1 to 24$/m,
     'a stored name too long');
like($r->{out}, qr/^error: office GHOST-1: department: its department does not exist$/m,
     'an office of a missing department');
like($r->{out}, qr/^3 errors, 3 warnings$/m, 'the count');

$r = $db->mmctl_run('--json', 'catalogue', 'validate');
is($r->{rc}, 1, 'errors --json: exit 1');
my $v = json_of($r);
is(scalar @{ $v->{errors} }, 3, 'errors --json: three errors');
is(scalar @{ $v->{warnings} }, 3, 'errors --json: three warnings');
is_deeply([ sort keys %{ $v->{errors}[0] } ], [ 'message', 'place' ],
          'errors --json: place and message');

# --- files ----------------------------------------------------------------

$r = $db->mmctl_run('catalogue', 'validate', $FIXTURE);
is($r->{rc}, 0, 'validate FILE: exit 0');
is($r->{out}, "0 errors, 0 warnings\n", 'validate FILE: clean');

my $doc = $JSON->decode(slurp($FIXTURE));
delete $doc->{services}[0]{name}{te};
$doc->{services}[1]{form}[1]{choices}[0]{id} = 'Bad Id';
delete $doc->{departments};
my $f = spew("$TMP/bad.json", $JSON->encode($doc));
$r = $db->mmctl_run('--json', 'catalogue', 'validate', $f);
is($r->{rc}, 1, 'validate a bad FILE: exit 1');
$v = json_of($r);
is_deeply($v->{warnings},
          [ { place => "$f: services[0] (REV-INC): name.te",
              message => 'Telugu is missing' } ],
          'validate FILE --json: the warning');
ok((grep { $_->{place} eq "$f: services[1] (REV-CASTE): form[1].choices[0].id" }
    @{ $v->{errors} }), 'validate FILE --json: a choice id');
ok((grep { $_->{message} =~ /no department "REV" in the document/ }
    @{ $v->{errors} }), 'validate FILE: a document must be whole');

$f = spew("$TMP/s.csv", "code,department,type,name.en\nREV-A,REV,payment,"
          . "\"A\nB\",x\n");
$r = $db->mmctl_run('catalogue', 'validate', $f);
is($r->{rc}, 1, 'validate a bad CSV: exit 1');
like($r->{out}, qr/^error: \Q$f\E:2: 5 fields where the header has 4$/m,
     'validate CSV: the line the record started on');

$r = $db->mmctl_run('catalogue', 'validate', "$TMP/none.json");
is($r->{rc}, 1, 'validate a missing file: exit 1');
like($r->{err}, qr/cannot open/, '... said so');

# --- the database down ----------------------------------------------------

for my $verb (qw(validate stats)) {
    $r = $db->mmctl_run({ socket => "$TMP/nope.sock" }, 'catalogue', $verb);
    is($r->{rc}, 69, "database down, $verb: exit 69");
    like($r->{err}, qr/cannot connect to MariaDB at unix:\Q$TMP\E\/nope\.sock/,
         "database down, $verb: names the server");
}

done_testing();

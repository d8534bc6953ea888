#!/usr/bin/perl

# mmctl service: every verb, in tables and --json, against a real MariaDB;
# bad input of every kind leaves the database exactly as it was; import ->
# export -> import changes nothing and gives the same bytes; concurrent
# imports serialise.

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
my $SEED = "$ROOT/sql/seed/catalogue.json";
my $TMP = tempdir('mmctl-service-XXXXXX', TMPDIR => 1, CLEANUP => 1);

plan skip_all => "$MMCTL is not built: run ./build.sh build" if !-x $MMCTL;

delete $ENV{$_} for grep { /^MANA_DB_/ } keys %ENV;

my $db = start_mariadb(private => 1);
my $dbh = $db->dbh;
# no ->utf8: documents stay byte strings, like this file's Telugu literals
my $JSON = JSON::PP->new->canonical;

# a bad input: exit 1, the message, nothing changed
sub refused {
    my ($what, $args, $like) = @_;
    return $db->mmctl_refused($what, args => $args,
        err => [ $like => 'the message names the place' ],
        unchanged => 'the tables are unchanged',
        version => 'catalogue_version is unchanged');
}

my $r;

# --- help and usage ------------------------------------------------------

$r = $db->mmctl_run('service', '--help');
is($r->{rc}, 0, 'service --help: exit 0');
like($r->{out}, qr/^Usage: mmctl .*service <verb>/, 'service --help: usage');
like($r->{out}, qr/^  $_\s+\S/m, "service --help lists $_")
    for qw(add list show update enable disable import export);

for my $verb (qw(add list show update enable disable import export)) {
    $r = $db->mmctl_run('service', $verb, '--help');
    is($r->{rc}, 0, "service $verb --help: exit 0");
    like($r->{out}, qr/^Usage: mmctl \[global options\] service $verb/,
         "service $verb --help: usage");
    like($r->{out}, qr/Output:|--json/, "service $verb --help: the output");
}
like($db->mmctl_run('service', 'import', '--help')->{out},
     qr/--dry-run.*--format json\|csv.*GET_LOCK/s,
     'import --help: its options and the lock');
like($db->mmctl_run('service', 'add', '--help')->{out},
     qr/--name LANG=TEXT.*--keyword LANG=WORD.*--intent PATTERN.*--form-file/s,
     'add --help: the options');

$r = $db->mmctl_run('service', 'frobnicate');
is($r->{rc}, 2, 'unknown verb: exit 2');
like($r->{err}, qr/unknown verb "frobnicate".*Usage:.*import/s,
     'unknown verb: usage and the verbs');
$r = $db->mmctl_run('--json', 'service', 'frobnicate');
is(json_of($r)->{error}{code}, 'usage', 'unknown verb --json: code usage');

for my $args ([ 'show' ], [ 'import' ], [ 'enable' ], [ 'update' ],
              [ 'add', 'REV-X' ],
              [ 'add', 'REV-X', '--department', 'REV', '--type', 'payment' ],
              [ 'import', 'a.json', '--format', 'xml' ],
              [ 'import', "$TMP/catalogue.txt" ],
              [ 'list', '--enabled', '--disabled' ],
              [ 'add', 'bad code', '--department', 'REV', '--type',
                'payment', '--name-en', 'X' ],
              [ 'add', 'REV-X', '--department', 'REV', '--type', 'payment',
                '--name-en', 'X', '--name', 'telugu' ])
{
    $r = $db->mmctl_run('service', @$args);
    is($r->{rc}, 2, "service @$args: exit 2");
    like($r->{err}, qr/^mmctl: .*\nUsage: /s, "service @$args: why, usage");
}

# --- import, export, round trips -----------------------------------------

my $v0 = $db->catalogue_version;
$r = $db->mmctl_run('--json', 'service', 'import', $FIXTURE);
is($r->{rc}, 0, 'import: exit 0') or diag($r->{err});
my $imp = json_of($r);
is_deeply([ map { $imp->{$_}{added} } qw(departments offices services) ],
          [ 2, 1, 4 ], 'import --json: added');
ok($imp->{changed}, 'import --json: changed');
is($imp->{version}, $v0 + 1, 'import --json: the new version');
is($db->catalogue_version, $v0 + 1, 'import bumped catalogue_version once');

my ($te) = $dbh->selectrow_array("SELECT JSON_VALUE(name, '\$.te')"
                                 . " FROM service WHERE code = 'REV-INC'");
utf8::encode($te) if utf8::is_utf8($te);
is($te, 'ఆదాయ ధృవీకరణ పత్రం', 'Telugu arrives intact');

$r = $db->mmctl_run('service', 'import', $FIXTURE);
is($r->{rc}, 0, 'import again: exit 0');
like($r->{out}, qr/^services\s+0\s+0\s+4$/m, 'import again: 4 unchanged');
like($r->{err}, qr/nothing changed/, 'import again: nothing changed');
is($db->catalogue_version, $v0 + 1, 'import again: no bump');

$r = $db->mmctl_run('service', 'export');
is($r->{rc}, 0, 'export: exit 0');
my $e1 = $r->{out};
like($e1, qr/\A\{\n  "format": "mana-catalogue\/1",\n  "departments": \[/,
     'export: the document, keys in order');
my $exp = $JSON->decode($e1);
is_deeply([ map { $_->{code} } @{ $exp->{services} } ],
          [ qw(HLTH-AAROGYA HLTH-GRV-1 REV-CASTE REV-INC) ],
          'export: services sorted by code');
like($e1, qr/"code": "REV-INC",\n\s+"department": "REV",\n\s+"type": /,
     'export: service keys in the documented order');

spew("$TMP/e1.json", $e1);
$r = $db->mmctl_run('--json', 'service', 'import', "$TMP/e1.json");
is($r->{rc}, 0, 'import of the export: exit 0');
ok(!json_of($r)->{changed}, 'import of the export: nothing changed');
is($db->catalogue_version, $v0 + 1, 'import of the export: no bump');
$r = $db->mmctl_run('service', 'export', '-o', "$TMP/e2.json");
is($r->{rc}, 0, 'export -o: exit 0');
like($r->{err}, qr/^mmctl: wrote \Q$TMP\E\/e2\.json: 2 departments, 1 office, 4 services, 0 districts$/m,
     'export -o: says what it wrote, as i18n export does');
is(slurp("$TMP/e2.json"), $e1, 'export again: identical bytes');

$r = $db->mmctl_run('--json', 'service', 'export', '-o', "$TMP/e3.json");
is_deeply(json_of($r), { file => "$TMP/e3.json", format => 'json',
                         departments => 2, offices => 1, services => 4, districts => 0 },
          'export -o --json: a summary');

$r = $db->mmctl_run('service', 'export', '--format', 'csv', '-o', "$TMP/s1.csv");
is($r->{rc}, 0, 'export csv: exit 0');
my $csv = slurp("$TMP/s1.csv");
like($csv, qr/\Acode,department,type,enabled,popular,sort,fee,sla_days,name\.en,name\.te,description\.en,content\.en,content\.te,keywords,intents,documents,form\r\n/,
     'export csv: the header');
like($csv, qr/^REV-CASTE,REV,application,true,false,0,35\.5,30,/m,
     'export csv: a row');
$r = $db->mmctl_run('--json', 'service', 'import', "$TMP/s1.csv");
is($r->{rc}, 0, 'import of the csv: exit 0') or diag($r->{err});
is(json_of($r)->{services}{unchanged}, 4, 'import of the csv: unchanged');
is($db->catalogue_version, $v0 + 1, 'import of the csv: no bump');
$db->mmctl_run('service', 'export', '--format', 'csv', '-o', "$TMP/s2.csv");
is(slurp("$TMP/s2.csv"), $csv, 'csv export again: identical bytes');
unlike($csv, qr/\A\xef\xbb\xbf/, 'export csv: no byte-order mark');
spew("$TMP/bom.csv", "\xef\xbb\xbf$csv");
$r = $db->mmctl_run('--json', 'service', 'import', '-n', "$TMP/bom.csv");
is($r->{rc}, 0, 'import of a csv with a byte-order mark: exit 0')
    or diag($r->{err});
is(json_of($r)->{services}{unchanged}, 4,
   '... the mark skipped: the first column is still "code"');
is($db->mmctl_run('service', 'export')->{out}, $e1, 'json export unchanged by csv');

# --- dry run ---------------------------------------------------------------

(my $changed = slurp($FIXTURE)) =~ s/"Caste certificate"/"Caste cert"/;
spew("$TMP/changed.json", $changed);
my $sum = $db->catalogue_checksum;
$r = $db->mmctl_run('--json', 'service', 'import', '--dry-run', "$TMP/changed.json");
is($r->{rc}, 0, '--dry-run: exit 0');
is(json_of($r)->{services}{changed}, 1, '--dry-run: would change one');
ok(json_of($r)->{dry_run}, '--dry-run: says so');
is($db->catalogue_checksum, $sum, '--dry-run: nothing written');
is($db->catalogue_version, $v0 + 1, '--dry-run: no bump');

$r = $db->mmctl_run('service', 'import', "$TMP/changed.json");
like($r->{out}, qr/^services\s+0\s+1\s+3$/m, 'import: one changed');
is($db->catalogue_version, $v0 + 2, 'import of a change: one bump');
spew("$TMP/fixture-again.json", slurp($FIXTURE));
$db->mmctl_run('service', 'import', "$TMP/fixture-again.json");
is($db->catalogue_version, $v0 + 3, 'and back');

# --- add, show, list, update, enable, disable ------------------------------

my $v = $db->catalogue_version;
spew("$TMP/form.json", '[{"name": "amount", "kind": "amount",'
     . ' "label": {"en": "Amount", "te": "మొత్తం"},'
     . ' "pattern": "^[0-9]+$"}]');
$r = $db->mmctl_run('service', 'add', 'REV-MUT', '--department', 'REV', '--type',
           'application', '--name-en', 'Land mutation', '--name-te',
           'భూమి మ్యుటేషన్', '--name', 'hi=भूमि नामांतरण',
           '--description', 'en=Change the owner in land records',
           '--fee', '25.50', '--sla-days', '15', '--keyword', 'en=land',
           '--keyword', 'en=mutation', '--keyword', 'te=భూమి',
           '--intent', '(?i)mutation', '--intent', 'భూమి',
           '--document', 'en=Sale deed', '--form-file', "$TMP/form.json",
           '--popular', '--sort', '5');
is($r->{rc}, 0, 'add: exit 0') or diag($r->{err});
like($r->{out}, qr/^CODE\s+RESULT\s+VERSION\nREV-MUT\s+added\s+\d+$/,
     'add: table');
is($db->catalogue_version, $v + 1, 'add: one bump');

$r = $db->mmctl_run('--json', 'service', 'show', 'REV-MUT');
is($r->{rc}, 0, 'show --json: exit 0');
my $mut = json_of($r);
is_deeply($mut, {
    code => 'REV-MUT', department => 'REV', type => 'application',
    enabled => JSON::PP::true, popular => JSON::PP::true, sort => 5,
    fee => 25.5, sla_days => 15,
    name => { en => 'Land mutation', te => 'భూమి మ్యుటేషన్',
              hi => 'भूमि नामांतरण' },
    description => { en => 'Change the owner in land records' },
    keywords => { en => [ 'land', 'mutation' ], te => [ 'భూమి' ] },
    intents => [ '(?i)mutation', 'భూమి' ],
    documents => { en => [ 'Sale deed' ] }, content => {},
    form => [ { name => 'amount', kind => 'amount',
                label => { en => 'Amount', te => 'మొత్తం' },
                pattern => '^[0-9]+$', checksum => undef,
                required => JSON::PP::true } ] },
    'show --json: the canonical object, repeated options all kept');
like($r->{out}, qr/^\{"code":"REV-MUT","department":"REV","type":/,
     'show --json: keys in the documented order');

$r = $db->mmctl_run('service', 'show', 'REV-MUT');
like($r->{out}, qr/^name\.te\s+భూమి మ్యుటేషన్$/m, 'show: a text row');
like($r->{out}, qr/^form\[0\]\s+\{"name":"amount"/m, 'show: the form');
like($r->{out}, qr/^fee\s+25\.5$/m, 'show: the fee');
like($r->{out}, qr/^popular\s+yes$/m, 'show: a boolean as yes/no');
$r = $db->mmctl_run('service', 'show', 'REV-NONE');
is($r->{rc}, 1, 'show of a missing service: exit 1');
like($r->{err}, qr/no service REV-NONE/, '... named');

$r = $db->mmctl_run('service', 'list');
is($r->{rc}, 0, 'list: exit 0');
like($r->{out}, qr/^CODE\s+DEPARTMENT\s+TYPE\s+ENABLED\s+POPULAR\s+SORT\s+NAME\.EN\s+NAME\.TE\n/,
     'list: header');
like($r->{out}, qr/^REV-MUT\s+REV\s+application\s+yes\s+yes\s+5\s+Land mutation\s+భూమి మ్యుటేషన్$/m,
     'list: a row');
my $list = json_of($db->mmctl_run('--json', 'service', 'list'));
is_deeply([ map { $_->{code} } @{ $list->{services} } ],
          [ qw(HLTH-AAROGYA HLTH-GRV-1 REV-CASTE REV-INC REV-MUT) ],
          'list --json: by department, sort, code');
is_deeply($list->{services}[0],
          { code => 'HLTH-AAROGYA', department => 'HLTH',
            type => 'information', enabled => JSON::PP::true,
            popular => JSON::PP::false, sort => 0,
            name => { en => 'Aarogyasri', te => 'ఆరోగ్యశ్రీ' } },
          'list --json: an entry');
is_deeply([ map { $_->{code} } @{ json_of($db->mmctl_run('--json', 'service', 'list',
                                                '--department', 'HLTH',
                                                '--enabled'))->{services} } ],
          [ 'HLTH-AAROGYA' ], 'list --department --enabled');
is_deeply([ map { $_->{code} } @{ json_of($db->mmctl_run('--json', 'service', 'list',
                                                '--disabled'))->{services} } ],
          [ 'HLTH-GRV-1' ], 'list --disabled');
is_deeply([ map { $_->{code} } @{ json_of($db->mmctl_run('--json', 'service', 'list',
                                                '--type', 'application',
                                                '--search', 'CERT'))->{services} } ],
          [ qw(REV-CASTE REV-INC) ], 'list --type --search (any case)');
is_deeply([ map { $_->{code} } @{ json_of($db->mmctl_run('--json', 'service', 'list',
                                                '--search', 'ఆదాయం'))->{services} } ],
          [ 'REV-INC' ], 'list --search a Telugu keyword');

$v = $db->catalogue_version;
$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--name', 'hi=',
           '--keyword', 'te=మ్యుటేషన్', '--fee', 'none');
is($r->{rc}, 0, 'update: exit 0') or diag($r->{err});
my $upd = json_of($r);
is($upd->{result}, 'changed', 'update --json: changed');
is($upd->{version}, $v + 1, 'update --json: the version');
is_deeply($upd->{service}{name}, { en => 'Land mutation',
                                   te => 'భూమి మ్యుటేషన్' },
          'update: an empty text removes the language');
is_deeply($upd->{service}{keywords}, { en => [ 'land', 'mutation' ],
                                       te => [ 'మ్యుటేషన్' ] },
          'update: the given language\'s keywords replaced, others kept');
is($upd->{service}{fee}, undef, 'update: --fee none');
is($upd->{service}{sla_days}, 15, 'update: the rest kept');

$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--sort', '5');
is(json_of($r)->{result}, 'unchanged', 'update to the same: unchanged');
is($db->catalogue_version, $v + 1, 'update to the same: no bump');

# every option of update at once, each repeatable one more than once: none
# is dropped, whatever its place in the option table
$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--department', 'REV',
           '--type', 'application', '--name-en', 'Land mutation',
           '--name-te', 'భూమి మ్యుటేషన్', '--name', 'hi=नामांतरण',
           '--name', 'ur=انتقال', '--description', 'te=యజమాని మార్పు',
           '--description', 'en=Change the owner', '--fee', '30',
           '--sla-days', '20', '--keyword', 'en=mutation',
           '--keyword', 'en=land', '--intent', 'mutation', '--intent',
           'మ్యుటేషన్', '--document', 'en=Sale deed', '--document',
           'en=Pattadar passbook', '--content', 'en=x', '--content', 'en=',
           '--form-file', "$TMP/form.json", '--not-popular', '--enabled',
           '--sort', '7');
is($r->{rc}, 0, 'update with every option: exit 0') or diag($r->{err});
$upd = json_of($r)->{service};
is_deeply([ @$upd{qw(popular enabled sort fee sla_days)} ],
          [ JSON::PP::false, JSON::PP::true, 7, 30, 20 ],
          'update: --not-popular, --enabled, --sort and the numbers');
is_deeply($upd->{name}, { en => 'Land mutation', te => 'భూమి మ్యుటేషన్',
                          hi => 'नामांतरण', ur => 'انتقال' },
          'update: every --name kept, in order');
is_deeply($upd->{description}, { en => 'Change the owner',
                                 te => 'యజమాని మార్పు' },
          'update: every --description');
is_deeply($upd->{keywords}{en}, [ 'mutation', 'land' ],
          'update: the keywords in command-line order');
is_deeply($upd->{documents}{en}, [ 'Sale deed', 'Pattadar passbook' ],
          'update: every --document');
is_deeply($upd->{intents}, [ 'mutation', 'మ్యుటేషన్' ],
          'update: every --intent');
is_deeply($upd->{content}, {}, 'update: a later empty text removes it');

$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--keyword', 'te=',
           '--intent', '');
is($r->{rc}, 0, 'update: empty a list and the intents: exit 0')
    or diag($r->{err});
$upd = json_of($r)->{service};
is_deeply($upd->{keywords}, { en => [ 'mutation', 'land' ] },
          'update: --keyword te= drops the Telugu keywords');
is_deeply($upd->{intents}, [], 'update: --intent \'\' leaves none');

$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--popular');
is_deeply([ json_of($r)->{result}, json_of($r)->{service}{popular} ],
          [ 'changed', JSON::PP::true ], 'update --popular');
$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--not-popular');
is_deeply([ json_of($r)->{result}, json_of($r)->{service}{popular} ],
          [ 'changed', JSON::PP::false ], 'update --not-popular');

for my $pair ([ '--popular', '--not-popular' ],
              [ '--enabled', '--disabled' ]) {
    $r = $db->mmctl_run('service', 'update', 'REV-MUT', @$pair);
    is($r->{rc}, 2, "update @$pair: usage error");
    like($r->{err}, qr/\Q$pair->[0] and $pair->[1] exclude each other\E/,
         '... named');
}

$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--name', 'TE=x');
is($r->{rc}, 2, 'update --name with a bad language: usage error');
like($r->{err}, qr/--name: invalid language "TE"/, '... named');
$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--keyword', 'land');
is($r->{rc}, 2, 'update --keyword without LANG=: usage error');
like($r->{err}, qr/--keyword "land": expected LANG=TEXT/, '... named');
$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--name', "te=\xff");
is($r->{rc}, 1, 'update --name with invalid UTF-8: exit 1');
like($r->{err}, qr/not valid UTF-8/, '... named');

$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--sort', '5',
           '--intent', '(?i)mutation', '--intent', 'భూమి', '--name', 'hi=',
           '--name', 'ur=', '--description', 'te=', '--description',
           'en=Change the owner in land records', '--fee', 'none',
           '--sla-days', '15', '--keyword', 'te=మ్యుటేషన్', '--document',
           'en=Sale deed');
is($r->{rc}, 0, 'update back: exit 0') or diag($r->{err});
$v = $db->catalogue_version;

$r = $db->mmctl_run('service', 'disable', 'REV-MUT');
like($r->{out}, qr/^REV-MUT\s+changed\s+\d+$/m, 'disable: changed');
is($dbh->selectrow_array("SELECT enabled FROM service WHERE code = 'REV-MUT'"),
   0, 'disable: stored');
is(json_of($db->mmctl_run('--json', 'service', 'disable', 'REV-MUT'))->{result},
   'unchanged', 'disable again: unchanged');
is(json_of($db->mmctl_run('--json', 'service', 'enable', 'REV-MUT'))->{result},
   'changed', 'enable: changed');
is($db->catalogue_version, $v + 2, 'disable and enable: one bump each');

# a missing Telugu text is a warning, shown (as by "dept") when texts are
# given, and not on every later update
$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--name-te', '');
is($r->{rc}, 0, 'update removing the Telugu name: exit 0');
like($r->{err}, qr/^mmctl: warning: service REV-MUT: name\.te: Telugu is missing$/m,
     '... a warning');
$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--sort', '6');
is($r->{err}, '', 'update of no text: no warning');
$r = $db->mmctl_run('service', 'update', 'REV-MUT', '--name-te', 'భూమి మ్యుటేషన్',
           '--sort', '5');
is($r->{err}, '', 'update restoring it: no warning');

refused('add of an existing code',
        [ 'service', 'add', 'REV-MUT', '--department', 'REV', '--type',
          'payment', '--name-en', 'X' ], qr/REV-MUT already exists/);
refused('add to a missing department',
        [ 'service', 'add', 'TAX-X', '--department', 'TAX', '--type',
          'payment', '--name-en', 'X' ],
        qr/service TAX-X: department: no department "TAX"/);
refused('update of a missing service',
        [ 'service', 'update', 'REV-NONE', '--sort', '1' ],
        qr/no service REV-NONE/);
$r = refused('add with an invalid PCRE2 intent',
        [ 'service', 'add', 'REV-PAT', '--department', 'REV', '--type',
          'payment', '--name-en', 'X', '--intent', 'ok', '--intent',
          'income (cert' ],
        qr/service REV-PAT: intents\[1\]: invalid PCRE2 pattern: missing closing parenthesis at offset 12/);
refused('update with a Telugu name of 25 code points',
        [ 'service', 'update', 'REV-MUT', '--name-te', 'ఆ' x 25 ],
        qr/service REV-MUT: name\.te: has 25 code points, must have 1 to 24/);
is($db->mmctl_run('service', 'update', 'REV-MUT', '--name-te', 'ఆ' x 24)->{rc}, 0,
   '24 Telugu code points are fine');
refused('application without sla',
        [ 'service', 'update', 'REV-MUT', '--sla-days', 'none' ],
        qr/service REV-MUT: sla_days: is required for application/);
spew("$TMP/badform.json", '[{"name": "Amount", "kind": "money",'
     . ' "label": {"en": "A"}}]');
refused('update with a bad form file',
        [ 'service', 'update', 'REV-MUT', '--form-file', "$TMP/badform.json" ],
        qr/form\[0\]\.name: "Amount" does not match .*\n.*form\[0\]\.kind: must be one of/);
$r = $db->mmctl_run('--json', 'service', 'update', 'REV-MUT', '--fee', '1.234');
is($r->{rc}, 1, 'fee with 3 decimals: exit 1');
is(json_of($r)->{error}{code}, 'invalid', '--json: code invalid');
is_deeply(json_of($r)->{error}{problems},
          [ { place => 'service REV-MUT: fee',
              message => 'must have at most 2 decimals' } ],
          '--json: the problems with their places');

# --- bad files: nothing is written ----------------------------------------

sub fixture_with {
    my ($name, $edit) = @_;
    my $doc = $JSON->decode(slurp($FIXTURE));
    $edit->($doc);
    return spew("$TMP/$name", $JSON->encode($doc));
}

my $f = fixture_with('pattern.json', sub {
    $_[0]{services}[0]{form}[1]{pattern} = '^[a-z';
    $_[0]{services}[0]{name}{en} = 'Income certificate v2';
});
refused('import: invalid PCRE2 pattern', [ 'service', 'import', $f ],
        qr/^mmctl: \Q$f\E: services\[0\] \(REV-INC\): form\[1\]\.pattern: invalid PCRE2 pattern: missing terminating \] for character class at offset 5$/m);

$f = fixture_with('long.json', sub {
    $_[0]{services}[2]{name}{te} = 'ఆరోగ్యశ్రీ' x 3;    # 10 code points each
});
refused('import: a Telugu name over 24 code points',
        [ 'service', 'import', $f ],
        qr/\Q$f\E: services\[2\] \(HLTH-AAROGYA\): name\.te: has 30 code points, must have 1 to 24/);

$f = fixture_with('district.json', sub {
    $_[0]{districts} = [ { name => { en => 'Guntur', te => 'గుంటూరు' } },
                         { name => { en => 'GUNTUR' } } ];
});
refused('import: the same district twice', [ 'service', 'import', $f ],
        qr/\Q$f\E: districts\[1\] \(GUNTUR\): name\.en: the district "GUNTUR" is also districts\[0\]/);

$f = fixture_with('dup.json', sub {
    push @{ $_[0]{services} }, { %{ $_[0]{services}[1] } };
});
refused('import: a duplicate code', [ 'service', 'import', $f ],
        qr/\Q$f\E: services\[4\] \(REV-CASTE\): code: duplicate code "REV-CASTE" \(also services\[1\] \(REV-CASTE\)\)/);

$f = fixture_with('unknown.json', sub { $_[0]{services}[3]{colour} = 'red' });
refused('import: an unknown key', [ 'service', 'import', $f ],
        qr/\Q$f\E: services\[3\] \(HLTH-GRV-1\): colour: unknown key/);

$f = fixture_with('nodept.json', sub {
    $_[0]{services}[0]{department} = 'TAX';
    $_[0]{services}[0]{code} = 'TAX-INC';
});
refused('import: a department nowhere', [ 'service', 'import', $f ],
        qr/\Q$f\E: services\[0\] \(TAX-INC\): department: no department "TAX" in the document or the database/);

$f = spew("$TMP/shape.json", '[{"code": "REV"}]');
refused('import: a JSON file of the wrong shape',
        [ 'service', 'import', $f ],
        qr/\Q$f\E: the document must be an object/);

$f = spew("$TMP/shape2.json", '{"format": "mana-catalogue/1",'
          . ' "services": {"REV-INC": {}}}');
refused('import: services not an array', [ 'service', 'import', $f ],
        qr/\Q$f\E: services: must be an array of objects/);

$f = spew("$TMP/syntax.json", '{"format": "mana-catalogue/1",,}');
refused('import: not JSON', [ 'service', 'import', $f ],
        qr/\Q$f\E: not a JSON document: .*line 1, column/);

my $HDR = "code,department,type,name.en,name.te\n";
$f = spew("$TMP/quotes.csv", $HDR . "REV-INC,REV,application,Income,x\n"
          . "REV-CASTE,REV,application,\"Caste,x\nREV-A,REV,payment,A,B\n");
refused('import: csv with unbalanced quotes', [ 'service', 'import', $f ],
        qr/^mmctl: \Q$f\E:3: column name\.en: unbalanced quotes/m);

$f = spew("$TMP/columns.csv", $HDR . "REV-A,REV,payment,A,ఎ\n"
          . "REV-B,REV,payment,B\n");
refused('import: csv with a wrong column count',
        [ 'service', 'import', $f ],
        qr/^mmctl: \Q$f\E:3: 4 fields where the header has 5$/m);

$f = spew("$TMP/utf8.csv", $HDR . "REV-A,REV,payment,A\xff\xfe,ఎ\n");
refused('import: csv with invalid UTF-8', [ 'service', 'import', $f ],
        qr/^mmctl: \Q$f\E:2: column name\.en: not valid UTF-8 text$/m);

$f = spew("$TMP/rules.csv", $HDR
          . "REV-A,REV,payment,A,ఎ\n"
          . "REV-B,REV,payment,\"A name that is far too long\",ఎ\n"
          . "REV-C,REV,payment,C,ఎ\n"
          . "REV-A,REV,payment,A,ఎ\n");
$r = refused('import: csv rules', [ 'service', 'import', $f ],
        qr/^mmctl: \Q$f\E:3: column name\.en: has 27 code points, must have 1 to 24$/m);
like($r->{err}, qr/^mmctl: \Q$f\E:5: column code: duplicate code "REV-A" \(also line 2\)$/m,
     'csv: the duplicate too, in the same run');

$f = spew("$TMP/unknowncol.csv", "code,department,type,name.en,colour\n");
refused('import: csv with an unknown column', [ 'service', 'import', $f ],
        qr/\Q$f\E:1: column colour: unknown column/);

$f = spew("$TMP/nodept.csv", $HDR . "TAX-A,TAX,payment,A,ఎ\n");
refused('import: csv of a missing department', [ 'service', 'import', $f ],
        qr/\Q$f\E:2: column department: no department "TAX"/);

$r = $db->mmctl_run('--json', 'service', 'import', "$TMP/rules.csv");
my $err = json_of($r)->{error};
is($err->{code}, 'invalid', 'import --json of a bad file: code invalid');
is_deeply([ map { $_->{place} } @{ $err->{problems} } ],
          [ "$TMP/rules.csv:3: column name.en",
            "$TMP/rules.csv:5: column code" ],
          'import --json: every problem with its place');

$r = $db->mmctl_run('service', 'import', "$TMP/missing.json");
is($r->{rc}, 1, 'import of a missing file: exit 1');
like($r->{err}, qr/cannot open \Q$TMP\E\/missing\.json/, '... named');

# --- concurrent imports ----------------------------------------------------

my @files;
for my $k (1 .. 4) {
    push @files, fixture_with("conc$k.json", sub {
        $_[0]{services}[0]{name}{en} = "Income v$k";
        $_[0]{services}[1]{name}{en} = "Caste v$k";
        $_[0]{services}[2]{sort} = $k;
    });
}
$v = $db->catalogue_version;
my @jobs = map { $db->mmctl_start('--json', 'service', 'import', $_) } @files;
my @res = map { $db->mmctl_finish($_) } @jobs;
is_deeply([ map { $_->{rc} } @res ], [ 0, 0, 0, 0 ],
          'concurrent imports: all exit 0')
    or diag(join "\n", map { $_->{err} } @res);
my $nchanged = grep { json_of($_)->{changed} } @res;
is($db->catalogue_version, $v + $nchanged,
   'concurrent imports: one bump per import that changed something');
ok($nchanged >= 1, 'concurrent imports: at least one changed');
my $now = $JSON->decode($db->mmctl_run('service', 'export')->{out});
my @match = grep {
    my $in = $JSON->decode(slurp($_));
    my %want = map { $_->{code} => $_ } @{ $in->{services} };
    !grep {
        my $w = $want{$_->{code}};
        $w && ($w->{name}{en} ne $_->{name}{en}
               || ($w->{sort} // 0) != $_->{sort})
    } @{ $now->{services} };
} @files;
is(scalar @match, 1, 'concurrent imports: the result is exactly one input');

# --- the database down ----------------------------------------------------

for my $args ([ 'service', 'list' ], [ 'service', 'import', $FIXTURE ],
              [ 'service', 'export' ])
{
    my $r = $db->mmctl_run({ socket => "$TMP/nope.sock" }, @$args);
    is($r->{rc}, 69, "database down, @$args: exit 69");
    like($r->{err},
         qr/cannot connect to MariaDB at unix:\Q$TMP\E\/nope\.sock/,
         "database down, @$args: names the server");
}

# --- the demo catalogue ----------------------------------------------------

SKIP: {
    skip "$SEED does not exist yet", 12 if !-f $SEED;

    my $seed = start_mariadb(private => 1);
    my $run = sub { $seed->mmctl_run(@_) };

    $r = $run->('--json', 'service', 'import', $SEED);
    if (!is($r->{rc}, 0, 'seed: import exit 0')) {
        diag($r->{err});
        skip 'the demo catalogue does not import', 11;
    }
    my $s = json_of($r);
    cmp_ok($s->{services}{added}, '>=', 738, 'seed: 738+ services');
    is($s->{districts}{added}, 26, 'seed: the 26 districts');
    my ($te) = $seed->dbh->selectrow_array(
        "SELECT JSON_VALUE(name, '\$.te') FROM district WHERE name_en = 'Guntur'");
    utf8::encode($te) if defined $te && utf8::is_utf8($te);
    is($te, 'గుంటూరు', 'seed: a district with its Telugu name');
    $r = $run->('service', 'export', '-o', "$TMP/seed1.json");
    $r = $run->('--json', 'service', 'import', "$TMP/seed1.json");
    ok(!json_of($r)->{changed}, 'seed: import of its export changes nothing');
    $run->('service', 'export', '-o', "$TMP/seed2.json");
    is(slurp("$TMP/seed2.json"), slurp("$TMP/seed1.json"),
       'seed: export again, identical bytes');
    $run->('service', 'export', '--format', 'csv', '-o', "$TMP/seed.csv");
    $r = $run->('--json', 'service', 'import', "$TMP/seed.csv");
    ok(!json_of($r)->{changed}, 'seed: csv round trip changes nothing');
    $r = $run->('--json', 'catalogue', 'validate');
    is($r->{rc}, 0, 'seed: catalogue validate exit 0');
    is_deeply(json_of($r)->{errors}, [], 'seed: no errors');
    is_deeply(json_of($r)->{warnings}, [],
              'seed: no warnings (every office in a district with names)');

    # a district renamed in Telugu: found by its English name, changed
    (my $renamed = slurp("$TMP/seed1.json")) =~ s/"గుంటూరు"/"గుంటూరు జిల్లా"/
        or BAIL_OUT('seed1.json: no Guntur');
    spew("$TMP/renamed.json", $renamed);
    $r = $run->('--json', 'service', 'import', "$TMP/renamed.json");
    is_deeply(json_of($r)->{districts}, { added => 0, changed => 1, unchanged => 25 },
              'seed: a district renamed in Telugu is one change');
    $r = $run->('--json', 'service', 'import', "$TMP/seed1.json");
    ok(json_of($r)->{changed} && $seed->dbh->selectrow_array(
           'SELECT COUNT(*) FROM district') == 26,
       'seed: and back, still 26 districts');
}

done_testing();

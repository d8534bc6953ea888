#!/usr/bin/perl

# mmctl i18n against a private MariaDB: import of JSON and CSV (all or
# nothing, idempotent, counted), export (sorted, byte-identical round trip),
# list and missing, in table and --json output; every malformed file
# refused with its place named, exit 1, the database unchanged.
#
# The source is UTF-8 without "use utf8": texts stay bytes, as in files.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb slurp spew json_doc);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-i18n-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_DB_/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

# mmctl runs in $TMP: the file names it reports are relative
$db->{mmctl_cwd} = $TMP;

# ---------------------------------------------------------------------------
# Helpers.

sub texts {
    my %t;
    for my $r (@{ $dbh->selectall_arrayref(
                      'SELECT lang, msg_key, text FROM i18n_message') })
    {
        my $bytes = $r->[2];
        utf8::encode($bytes);
        $t{"$r->[0].$r->[1]"} = $bytes;
    }
    return \%t;
}

# a file that must be refused: exit 1, the place named, nothing written
sub refused {
    my ($name, $file, $content, $re, @more) = @_;
    spew("$TMP/$file", $content);
    return $db->mmctl_refused($name, args => [ 'i18n', 'import', $file, @more ],
        err => [ $re => 'the message names the place',
                 qr/\Q$file\E: nothing imported/ => 'says so' ]);
}

# ---------------------------------------------------------------------------
# Help and usage.

{
    my $r = $db->mmctl_run('i18n', '--help');
    is($r->{rc}, 0, 'i18n --help exits 0');
    like($r->{out}, qr/^\s+$_\s/m, "i18n --help lists $_")
        for qw(import export list missing);

    for my $v (qw(import export list missing)) {
        $r = $db->mmctl_run('i18n', $v, '--help');
        is($r->{rc}, 0, "i18n $v --help exits 0");
        like($r->{out}, qr/^Usage: mmctl \[global options\] i18n $v/,
             "i18n $v --help starts with its usage");
        like($r->{out}, qr/--json/, "i18n $v --help says what --json prints");
    }

    $r = $db->mmctl_run('i18n', 'import', '--help');
    like($r->{out}, qr/$_/, "i18n import --help documents $_")
        for ('--dry-run', '--format', 'placeholders', 'mana-i18n/1',
             'key,en,te');

    $r = $db->mmctl_run('i18n', 'frob');
    is($r->{rc}, 2, 'an unknown verb exits 2');
    like($r->{err}, qr/unknown verb "frob" for i18n/, '... and says so');
    like($r->{err}, qr/Usage: mmctl .*i18n <verb>/, '... with the usage');

    $r = $db->mmctl_run('i18n', 'import');
    is($r->{rc}, 2, 'import without FILE exits 2');

    $r = $db->mmctl_run('i18n', 'import', 'a.csv', '--format', 'xml');
    is($r->{rc}, 2, 'an unknown --format exits 2');

    $r = $db->mmctl_run('i18n', 'import', 'no-such-file.csv');
    is($r->{rc}, 1, 'a missing file exits 1');
    like($r->{err}, qr/cannot open no-such-file\.csv/, '... naming it');

    $r = $db->mmctl_run('--json', 'i18n', 'export', '--format', 'csv');
    is($r->{rc}, 2, '--json with CSV on stdout is a usage error');
    is(json_doc($r)->{error}{code}, 'usage', '... as one JSON error document');
}

# ---------------------------------------------------------------------------
# Import: CSV, then the same again, then a dry run, then JSON.

my $CSV = join("\r\n",
    'key,en,te',
    'welcome,"Welcome to Mana Mitra, {name}!","మన మిత్రకు స్వాగతం, {name}!"',
    'menu.title,Main menu,ప్రధాన మెను',
    qq{menu.more,"More...\nnext page",},
    'status.done,"Application {ref} is ""approved""",దరఖాస్తు {ref} ఆమోదించబడింది',
    'bye,Goodbye,') . "\r\n";

my $v0 = $db->catalogue_version;

{
    spew("$TMP/msgs.csv", $CSV);
    my $r = $db->mmctl_run('i18n', 'import', 'msgs.csv');
    is($r->{rc}, 0, 'import of a CSV exits 0') or diag($r->{err});
    like($r->{out}, qr/^LANG\s+ADDED\s+CHANGED\s+UNCHANGED$/m,
         'import prints its table');
    like($r->{out}, qr/^en\s+5\s+0\s+0$/m, 'five English texts added');
    like($r->{out}, qr/^te\s+3\s+0\s+0$/m, 'three Telugu texts added');
    like($r->{out}, qr/^total\s+8\s+0\s+0$/m, 'eight in all');
    is($db->catalogue_version, $v0 + 1, 'the import bumped catalogue_version once');

    my $t = texts();
    is($t->{'en.welcome'}, 'Welcome to Mana Mitra, {name}!',
       'a quoted field with a comma');
    is($t->{'en.menu.more'}, "More...\nnext page",
       'a quoted field with a line break');
    is($t->{'en.status.done'}, 'Application {ref} is "approved"',
       'a doubled quote');
    is($t->{'te.menu.title'}, 'ప్రధాన మెను', 'Telugu');
    ok(!exists $t->{'te.bye'}, 'an empty cell is no translation');

    my $before = $db->catalogue_checksum;
    $r = $db->mmctl_run('--json', 'i18n', 'import', 'msgs.csv');
    is($r->{rc}, 0, 'importing it again exits 0');
    my $d = json_doc($r);
    is_deeply($d->{total}, { added => 0, changed => 0, unchanged => 8 },
              'importing it again: everything unchanged');
    is($d->{changed}, JSON::PP::false, 'JSON: nothing changed');
    is($d->{format}, 'csv', 'JSON: the format');
    is($d->{dry_run}, JSON::PP::false, 'JSON: not a dry run');
    is($d->{version}, $v0 + 1, 'JSON: the catalogue version');
    is_deeply($d->{languages}{te},
              { added => 0, changed => 0, unchanged => 3 },
              'JSON: counts per language');
    is($db->catalogue_checksum, $before, 'a no-op import writes nothing, no bump');

    my $json = '{"format": "mana-i18n/1", "messages": {'
        . '"en": {"bye": "Goodbye!", "new.key": "Hello {name}"},'
        . '"te": {"bye": "వెళ్ళొస్తాను", "new.key": "నమస్తే {name}"},'
        . '"hi": {"bye": "अलविदा"}}}';

    spew("$TMP/more.json", $json);
    $r = $db->mmctl_run('--json', 'i18n', 'import', 'more.json', '--dry-run');
    is($r->{rc}, 0, 'a dry run exits 0') or diag($r->{err});
    $d = json_doc($r);
    is_deeply($d->{total}, { added => 4, changed => 1, unchanged => 0 },
              'a dry run counts what it would do');
    is($d->{changed}, JSON::PP::false, 'JSON: a dry run changes nothing');
    is($d->{dry_run}, JSON::PP::true, 'JSON: dry_run');
    is($db->catalogue_checksum, $before, 'a dry run writes nothing, no bump');

    $r = $db->mmctl_run('i18n', 'import', 'more.json');
    is($r->{rc}, 0, 'import of JSON exits 0') or diag($r->{err});
    like($r->{out}, qr/^total\s+4\s+1\s+0$/m, 'four added, one changed');
    is($db->catalogue_version, $v0 + 2, 'the import bumped catalogue_version');
    is(texts()->{'hi.bye'}, 'अलविदा', 'Hindi is a language like the others');
    is(texts()->{'en.bye'}, 'Goodbye!', 'a changed text');
    is(texts()->{'en.menu.title'}, 'Main menu',
       'messages not in the file are kept');
}

# ---------------------------------------------------------------------------
# Export and the round trip.

{
    my $r = $db->mmctl_run('i18n', 'export');
    is($r->{rc}, 0, 'export exits 0');
    my $d = json_doc($r);
    is($d->{format}, 'mana-i18n/1', 'export: the format');
    is_deeply([ sort keys %{ $d->{messages} } ], [qw(en hi te)],
              'export: every language');
    like($r->{out}, qr/\A\{\n  "format": "mana-i18n\/1",\n  "messages": \{\n    "en": \{\n      "bye": "Goodbye!",\n      "menu\.more"/,
         'export: indented, languages en first, keys sorted');
    my @langs = $r->{out} =~ /^    "([a-z]+)": \{/mg;
    is_deeply(\@langs, [qw(en te hi)], 'languages in the order en, te, hi');
    my @keys = $r->{out} =~ /^      "([a-z._]+)":/mg;
    my @en = @keys[0 .. 5];
    is_deeply(\@en, [ sort @en ], 'keys sorted');

    is($db->mmctl_run('i18n', 'export', '--json')->{out}, $r->{out},
       'export --json prints the document itself');

    $r = $db->mmctl_run('i18n', 'export', '--format', 'csv');
    is($r->{rc}, 0, 'export --format csv exits 0');
    my ($header) = $r->{out} =~ /\A([^\r\n]*)\r\n/;
    is($header, 'key,en,te,hi', 'CSV: the header, CRLF line ends');
    like($r->{out}, qr/\r\nmenu\.more,"More\.\.\.\nnext page",,\r\n/,
         'CSV: quoted only where needed, empty cells');
    like($r->{out}, qr/\r\nstatus\.done,"Application \{ref\} is ""approved""",/,
         'CSV: doubled quotes');

    $r = $db->mmctl_run('--json', 'i18n', 'export', '-o', "$TMP/all.json");
    is($r->{rc}, 0, 'export -o exits 0');
    $d = json_doc($r);
    is_deeply([ @$d{qw(format keys messages)} ], ['json', 6, 12],
              'export -o --json: the summary');
    is_deeply($d->{languages}, [qw(en te hi)], '... with the languages');

    $r = $db->mmctl_run('i18n', 'export', '-o', "$TMP/all.csv");
    is($r->{rc}, 0, 'export -o FILE.csv exits 0');
    like(slurp("$TMP/all.csv"), qr/\Akey,en,te,hi\r\n/,
         'the format follows the name of the file');

    # import into an empty table, export again: the same bytes
    for my $f (qw(all.json all.csv)) {
        $dbh->do('DELETE FROM i18n_message');
        my $v = $db->catalogue_version;
        $r = $db->mmctl_run('i18n', 'import', $f);
        is($r->{rc}, 0, "import of the export $f exits 0")
            or diag($r->{err});
        like($r->{out}, qr/^total\s+12\s+0\s+0$/m, '... adds every message');
        is($db->catalogue_version, $v + 1, '... and bumps the version once');
        my ($ext) = $f =~ /\.(\w+)$/;
        $db->mmctl_run('i18n', 'export', '-o', "$TMP/again.$ext");
        is(slurp("$TMP/again.$ext"), slurp("$TMP/$f"),
           "export, import, export: $f byte-identical");
    }
}

# ---------------------------------------------------------------------------
# list and missing.

{
    my $r = $db->mmctl_run('i18n', 'list');
    is($r->{rc}, 0, 'list exits 0');
    like($r->{out}, qr/^KEY\s+LANG\s+TEXT$/m, 'list: the header');
    like($r->{out}, qr/^menu\.more\s+en\s+More\.\.\. next page$/m,
         'list: a text on one line');
    like($r->{out}, qr/^welcome\s+te\s+మన మిత్రకు స్వాగతం, \{name\}!$/m,
         'list: Telugu');

    $r = $db->mmctl_run('--json', 'i18n', 'list', '--lang', 'te', '--key-prefix',
            'menu.');
    is_deeply(json_doc($r)->{messages},
              [ { key => 'menu.title', lang => 'te',
                  text => do { my $s = 'ప్రధాన మెను'; utf8::decode($s); $s }
              } ],
              'list --lang --key-prefix --json');

    $r = $db->mmctl_run('i18n', 'list', '--lang', 'TE');
    is($r->{rc}, 2, 'list --lang with a bad code exits 2');

    $r = $db->mmctl_run('i18n', 'missing');
    is($r->{rc}, 0, 'missing exits 0');
    like($r->{out}, qr/^LANG\s+KEY$/m, 'missing: the header');
    like($r->{out}, qr/^te\s+menu\.more$/m, 'missing: a key Telugu lacks');
    like($r->{err}, qr/te: 1 of 6 keys missing/, 'missing: a count');

    $r = $db->mmctl_run('--json', 'i18n', 'missing');
    is_deeply(json_doc($r), { missing => {
                  te => [qw(menu.more)],
                  hi => [qw(menu.more menu.title new.key status.done
                            welcome)] } },
              'missing --json: per language');

    $r = $db->mmctl_run('--json', 'i18n', 'missing', '--lang', 'ta');
    is($r->{rc}, 0, 'missing --lang of a language with no text exits 0');
    is(scalar @{ json_doc($r)->{missing}{ta} }, 6, '... and lacks every key');
}

# ---------------------------------------------------------------------------
# Refused files.

{
    refused('CSV: an unbalanced quote', 'q.csv',
            "key,en,te\r\nok,fine,\r\nbad,\"never closed,x\r\nnext,y,\r\n",
            qr/q\.csv:3: column en: unbalanced quotes/);

    refused('CSV: text after a closing quote', 'q2.csv',
            "key,en\nbad,\"a\"b\n", qr/q2\.csv:2: .*closing quote/);

    my $r = refused('CSV: wrong column counts', 'cols.csv',
                    "key,en,te\nk1,a\nk2,b,c,d\nk3,fine,\n",
                    qr/cols\.csv:2: 2 fields where the header has 3/);
    like($r->{err}, qr/cols\.csv:3: 4 fields where the header has 3/,
         '... every bad row is reported');

    refused('CSV: invalid UTF-8', 'utf.csv',
            "key,en,te\nk1,ok,\nk2,bad \xff\xfe text,\n",
            qr/utf\.csv:3: column en: not valid UTF-8/);

    refused('CSV: a bad header', 'head.csv', "name,en\nk,x\n",
            qr/head\.csv:1: the header's first column must be "key"/);

    refused('CSV: a bad language column', 'lang.csv', "key,en,Telugu\n",
            qr/lang\.csv:1: column 3: "Telugu" is not a language code/);

    refused('CSV: a bad key', 'key.csv', "key,en\nWelcome,x\n",
            qr/key\.csv:2: column key: invalid key/);

    $r = refused('CSV: a key twice', 'dup.csv',
                 "key,en,te\nk1,x,a\nk1,y,b\n",
                 qr/dup\.csv:3: key k1 repeats \(first at dup\.csv:2\)/);
    is(() = $r->{err} =~ /repeats/g, 1, '... once for the row');

    refused('CSV: a text of 4097 code points', 'long.csv',
            "key,en,te\nk1,x," . ('అ' x 4097) . "\n",
            qr/long\.csv:2: column te: 4097 code points, at most 4096/);

    refused('JSON: messages as an array', 'shape.json',
            '{"format":"mana-i18n/1","messages":[{"en":{}}]}',
            qr/shape\.json: messages: expected an object of languages/);

    $r = refused('JSON: the wrong shape inside', 'shape2.json',
                 '{"format":"mana-i18n/2","extra":1,'
                 . '"messages":{"en":{"a":1,"B":"x"},"te":"x"}}',
                 qr/shape2\.json: extra: unknown key/);
    like($r->{err}, qr/shape2\.json: format: expected "mana-i18n\/1"/,
         '... the format');
    like($r->{err}, qr/shape2\.json: messages\.en\.a: expected a string/,
         '... a text that is no string');
    like($r->{err}, qr/shape2\.json: messages\.en\.B: invalid key/,
         '... a bad key');
    like($r->{err}, qr/shape2\.json: messages\.te: expected an object/,
         '... a language that is no object');

    refused('JSON: not JSON', 'broken.json', "{\"format\":\n  \"x\",,}",
            qr/broken\.json:2:\d+: not a JSON document/);

    refused('JSON: a duplicate key', 'dupkey.json',
            '{"format":"mana-i18n/1","messages":{"en":{"a":"x","a":"y"}}}',
            qr/dupkey\.json:\d+:\d+: not a JSON document: duplicate/);

    refused('JSON: an empty text', 'empty.json',
            '{"format":"mana-i18n/1","messages":{"en":{"a":""}}}',
            qr/empty\.json: messages\.en\.a: empty text/);

    refused('a translation without the placeholder of English', 'ph.json',
            '{"format":"mana-i18n/1","messages":{"te":{"welcome":"x"}}}',
            qr/ph\.json: messages\.te\.welcome: placeholders \(none\) differ from English's \{name\}/);

    refused('a translation with another placeholder', 'ph.csv',
            "key,en,te\nk9,Hi {name} {ref},x {nam} {ref}\n",
            qr/ph\.csv:2: column te: placeholders \{nam\}, \{ref\} differ from English's \{name\}, \{ref\}/);

    refused('an English text that leaves a translation behind', 'ph2.json',
            '{"format":"mana-i18n/1","messages":{"en":{"welcome":"Hi {who}"}}}',
            qr/ph2\.json: messages\.en\.welcome: placeholders \{who\} of the new English text differ from the stored te translation's \{name\}/);

    refused('a translation of a key without English', 'noen.csv',
            "key,en,te\nonly.te,,x\n",
            qr/noen\.csv:2: column te: the key only\.te has no English text/);

    $r = refused('--json: the problems as data', 'cols2.csv',
                 "key,en\nk1\n", qr/cols2\.csv:2/, '--json');
    my $d = json_doc($r);
    is($d->{error}{code}, 'invalid', '--json: error code invalid');
    is_deeply($d->{error}{problems},
              [ { place => 'cols2.csv:2',
                  message => '1 field where the header has 2' } ],
              '--json: every problem with its place');
}

done_testing();

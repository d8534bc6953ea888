#!/usr/bin/perl

# mmctl dept and office against a private MariaDB: every verb in table and
# --json output, the rules of docs/catalogue-format.md (refused with the
# place named, exit 1, nothing written), catalogue_version moving on every
# real change and on nothing else; and the bash completion of every noun.
#
# The source is UTF-8 without "use utf8": texts stay bytes, as on a command
# line.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb json_doc);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $MMCTL = "$ROOT/build/mmctl";
my $TMP = tempdir('mmctl-dept-XXXXXX', TMPDIR => 1, CLEANUP => 1);

-x $MMCTL or plan skip_all => "build/mmctl is not built (./build.sh build)";

delete $ENV{$_} for grep { /^MANA_DB_/ } keys %ENV;

my $db = start_mariadb();
my $dbh = $db->dbh;

# ---------------------------------------------------------------------------
# Helpers.

# a command that must fail with rc, a message matching re, nothing written
sub refused {
    my ($name, $rc, $re, @args) = @_;
    return $db->mmctl_refused($name, rc => $rc, args => \@args,
        err => [ $re => 'the message names the problem' ]);
}

sub stored {
    my ($table, $code) = @_;
    my $row = $dbh->selectrow_hashref("SELECT * FROM $table WHERE code = ?",
                                      undef, $code);
    return undef if !$row;
    for (qw(name description address contact)) {
        $row->{$_} = JSON::PP->new->decode($row->{$_}) if defined $row->{$_};
    }
    return $row;
}

my $TE_REV = 'రెవెన్యూ';
my $HI_REV = 'राजस्व';

# ---------------------------------------------------------------------------
# Help and usage.

{
    my $r = $db->mmctl_run('dept', '--help');
    is($r->{rc}, 0, 'dept --help exits 0');
    like($r->{out}, qr/^\s+$_\s/m, "dept --help lists $_")
        for qw(add list show update enable disable);

    for my $v (qw(add list show update enable disable)) {
        $r = $db->mmctl_run('dept', $v, '--help');
        is($r->{rc}, 0, "dept $v --help exits 0");
        like($r->{out}, qr/^Usage: mmctl \[global options\] dept $v/,
             "dept $v --help starts with its usage");
        like($r->{out}, qr/--json/, "dept $v --help says what --json prints");
    }

    $r = $db->mmctl_run('dept', 'add', '--help');
    like($r->{out}, qr/--$_\b/, "dept add --help documents --$_")
        for qw(name-en name-te name description phone email url sort
               disabled);

    $r = $db->mmctl_run('office', '--help');
    is($r->{rc}, 0, 'office --help exits 0');
    for my $v (qw(add list show update)) {
        $r = $db->mmctl_run('office', $v, '--help');
        is($r->{rc}, 0, "office $v --help exits 0");
        like($r->{out}, qr/^Usage: mmctl \[global options\] office $v/,
             "office $v --help starts with its usage");
    }

    $r = $db->mmctl_run('office', 'add', '--help');
    like($r->{out}, qr/--$_\b/, "office add --help documents --$_")
        for qw(department district mandal name-en name address phone email);

    $r = $db->mmctl_run('--help');
    like($r->{out}, qr/^\s+$_\s/m, "mmctl --help lists the noun $_")
        for qw(dept office i18n);

    my $before = $db->catalogue_checksum;
    $r = $db->mmctl_run('dept', 'frob');
    is($r->{rc}, 2, 'an unknown verb exits 2');
    like($r->{err}, qr/unknown verb "frob" for dept/, '... and says so');
    like($r->{err}, qr/Usage: mmctl .*dept <verb>/, '... with the usage');

    $r = $db->mmctl_run('--json', 'office', 'frob');
    is($r->{rc}, 2, 'an unknown office verb exits 2');
    is(json_doc($r)->{error}{code}, 'usage', '... as a usage error in JSON');

    $r = $db->mmctl_run('dept', 'add');
    is($r->{rc}, 2, 'dept add without CODE exits 2');
    like($r->{err}, qr/missing argument/, '... and says what is missing');

    $r = $db->mmctl_run('dept', 'add', 'REV');
    is($r->{rc}, 2, 'dept add without --name-en exits 2');
    like($r->{err}, qr/--name-en TEXT is required/, '... naming the option');

    $r = $db->mmctl_run('office', 'add', 'REV-X', '--department', 'REV', '--name-en', 'X');
    is($r->{rc}, 2, 'office add without --district exits 2');
    like($r->{err}, qr/--district X is required/, '... naming the option');

    $r = $db->mmctl_run('dept', 'show');
    is($r->{rc}, 2, 'dept show without CODE exits 2');

    $r = $db->mmctl_run({ socket => "$TMP/none.sock" }, '--json', 'dept',
                        'list');
    is($r->{rc}, 69, 'no database: exit 69');
    like($r->{out}, qr/"code":"unavailable"/, '... and an unavailable error');
    is($db->catalogue_checksum, $before, 'usage errors change nothing');
}

# ---------------------------------------------------------------------------
# dept add, list, show.

my $v0 = $db->catalogue_version;

{
    my $r = $db->mmctl_run('dept', 'add', 'REV', '--name-en', 'Revenue',
               '--name-te', $TE_REV, '--name', "hi=$HI_REV",
               '--description', 'en=Certificates and land records',
               '--description', 'te=ధృవీకరణ పత్రాలు',
               '--phone', '1902', '--sort', '10');
    is($r->{rc}, 0, 'dept add REV exits 0') or diag($r->{err});
    like($r->{out}, qr/^CODE\s+RESULT\s+VERSION\n REV\s+added\s+\d+/x,
         'dept add prints CODE RESULT VERSION');
    is($db->catalogue_version, $v0 + 1, 'dept add bumps catalogue_version by one');

    my $row = stored('department', 'REV');
    is_deeply($row->{name}, { en => 'Revenue',
                              te => Encode_decode($TE_REV),
                              hi => Encode_decode($HI_REV) },
              'every --name is stored (repeated options too)');
    is_deeply($row->{description},
              { en => 'Certificates and land records',
                te => Encode_decode('ధృవీకరణ పత్రాలు') },
              'every --description is stored');
    is_deeply($row->{contact}, { phone => '1902', email => '', url => '' },
              'contact is stored with all three keys');
    is($row->{sort_order}, 10, 'sort is stored');
    is($row->{enabled}, 1, 'enabled by default');

    $r = $db->mmctl_run('--json', 'dept', 'add', 'AGR', '--name-en', 'Agriculture',
            '--disabled');
    is($r->{rc}, 0, 'dept add --json exits 0');
    my $d = json_doc($r);
    is($d->{code}, 'AGR', 'JSON: code');
    is($d->{result}, 'added', 'JSON: result');
    is($d->{version}, $v0 + 2, 'JSON: the new catalogue version');
    is_deeply($d->{department},
              { code => 'AGR', enabled => JSON::PP::false, sort => 0,
                name => { en => 'Agriculture' }, description => {},
                contact => { phone => '', email => '', url => '' } },
              'JSON: the department as stored');
    like($r->{err}, qr/name\.te: Telugu is missing/,
         'a name without Telugu is a warning');

    # 24 Telugu code points (72 bytes) are a valid name: counted right
    my $te24 = 'అ' x 24;
    $r = $db->mmctl_run('dept', 'add', 'EDU', '--name-en', 'Education', '--name-te',
            $te24);
    is($r->{rc}, 0, 'a Telugu name of 24 code points is accepted')
        or diag($r->{err});

    $r = $db->mmctl_run('dept', 'list');
    is($r->{rc}, 0, 'dept list exits 0');
    like($r->{out}, qr/^CODE\s+ENABLED\s+SORT\s+NAME\.EN\s+NAME\.TE\s+SERVICES\s+OFFICES$/m,
         'dept list has its header');
    like($r->{out}, qr/^REV\s+yes\s+10\s+Revenue\s+\Q$TE_REV\E\s+0\s+0$/m,
         'dept list shows REV');
    my @codes = $r->{out} =~ /^([A-Z]+)\s/mg;
    is_deeply(\@codes, [qw(CODE AGR EDU REV)],
              'ordered by sort, then code');

    $r = $db->mmctl_run('dept', 'list', '--json');
    $d = json_doc($r);
    is_deeply([ map { $_->{code} } @{ $d->{departments} } ],
              [qw(AGR EDU REV)], 'dept list --json: every department');
    is($d->{departments}[2]{services}, 0, 'dept list --json: services');
    is($d->{departments}[2]{offices}, 0, 'dept list --json: offices');
    is($d->{departments}[2]{name}{hi}, Encode_decode($HI_REV),
       'dept list --json: names in every language');

    $r = $db->mmctl_run('--json', 'dept', 'list', '--enabled');
    is_deeply([ map { $_->{code} } @{ json_doc($r)->{departments} } ],
              [qw(EDU REV)], 'dept list --enabled');
    $r = $db->mmctl_run('--json', 'dept', 'list', '--disabled');
    is_deeply([ map { $_->{code} } @{ json_doc($r)->{departments} } ],
              [qw(AGR)], 'dept list --disabled');
    $r = $db->mmctl_run('dept', 'list', '--enabled', '--disabled');
    is($r->{rc}, 2, '--enabled with --disabled is a usage error');

    $r = $db->mmctl_run('dept', 'show', 'REV');
    is($r->{rc}, 0, 'dept show exits 0');
    like($r->{out}, qr/^name\.te\s+\Q$TE_REV\E$/m, 'dept show: name.te');
    like($r->{out}, qr/^contact\.phone\s+1902$/m, 'dept show: contact');
    like($r->{out}, qr/^services\s+0$/m, 'dept show: services');
    like($r->{out}, qr/^offices\s+0$/m, 'dept show: offices');

    $r = $db->mmctl_run('dept', 'show', 'REV', '--json');
    $d = json_doc($r)->{department};
    is($d->{code}, 'REV', 'dept show --json: the department');
    is($d->{services}, 0, 'dept show --json: services');
    is($d->{offices}, 0, 'dept show --json: offices');
}

# ---------------------------------------------------------------------------
# dept: refused input.

{
    my $te25 = 'అ' x 25;
    my $r = refused('a Telugu name of 25 code points', 1,
                    qr/department HLT: name\.te: has 25 code points, must have 1 to 24/,
                    'dept', 'add', 'HLT', '--name-en', 'Health',
                    '--name-te', $te25);

    refused('a duplicate code', 1, qr/department REV already exists/,
            'dept', 'add', 'REV', '--name-en', 'Revenue again');

    $r = refused('a duplicate code, --json', 1, qr/already exists/,
                 '--json', 'dept', 'add', 'REV', '--name-en', 'Revenue');
    is(json_doc($r)->{error}{code}, 'failed', '... an error document');

    refused('a code against the rule', 1,
            qr/department rev: code: .*\^\[A-Z\]\[A-Z0-9\]\{1,7\}\$/,
            'dept', 'add', 'rev', '--name-en', 'Revenue');

    refused('a description of 73 code points', 1,
            qr/description\.en: has 73 code points/,
            'dept', 'add', 'HLT', '--name-en', 'Health',
            '--description', 'en=' . ('x' x 73));

    refused('an English name of 25 code points', 1,
            qr/name\.en: has 25 code points/,
            'dept', 'update', 'REV', '--name-en', 'y' x 25);

    refused('--name without LANG=', 2, qr/expected LANG=TEXT/,
            'dept', 'add', 'HLT', '--name-en', 'Health', '--name', 'Health');

    refused('a language code against the rule', 2, qr/invalid language "EN"/,
            'dept', 'add', 'HLT', '--name-en', 'Health', '--name', 'EN=x');

    refused('invalid UTF-8 in a name', 1, qr/not valid UTF-8/,
            'dept', 'add', 'HLT', '--name-en', "Heal\xffth");

    refused('removing the English name', 1, qr/name\.en: is required/,
            'dept', 'update', 'REV', '--name', 'en=');

    refused('--sort that is no integer', 2, qr/--sort "ten"/,
            'dept', 'update', 'REV', '--sort', 'ten');

    refused('show of an unknown department', 1, qr/no department NOPE/,
            'dept', 'show', 'NOPE');

    refused('update of an unknown department', 1, qr/no department NOPE/,
            'dept', 'update', 'NOPE', '--sort', '1');

    refused('enable of an unknown department', 1, qr/no department NOPE/,
            'dept', 'enable', 'NOPE');
}

# ---------------------------------------------------------------------------
# dept update, enable, disable.

{
    my $v = $db->catalogue_version;
    my $r = $db->mmctl_run('dept', 'update', 'REV', '--sort', '5', '--name', 'hi=',
               '--email', 'rev@ap.gov.in');
    is($r->{rc}, 0, 'dept update exits 0') or diag($r->{err});
    like($r->{out}, qr/^REV\s+changed\s+\Q@{[ $v + 1 ]}\E$/m,
         'dept update says changed and the version');
    is($db->catalogue_version, $v + 1, 'dept update bumps catalogue_version');
    my $row = stored('department', 'REV');
    is($row->{sort_order}, 5, 'the given field changed');
    ok(!exists $row->{name}{hi}, 'an empty --name hi= removed Hindi');
    is($row->{name}{te}, Encode_decode($TE_REV), 'other names stay');
    is($row->{contact}{email}, 'rev@ap.gov.in', 'the email changed');
    is($row->{contact}{phone}, '1902', 'the phone stayed');

    my $before = $db->catalogue_checksum;
    $r = $db->mmctl_run('--json', 'dept', 'update', 'REV', '--sort', '5');
    is($r->{rc}, 0, 'an update to the same values exits 0');
    is(json_doc($r)->{result}, 'unchanged', '... says unchanged');
    is($db->catalogue_checksum, $before, '... writes nothing, the version stays');

    $r = $db->mmctl_run('dept', 'disable', 'REV');
    is($r->{rc}, 0, 'dept disable exits 0');
    like($r->{out}, qr/^REV\s+changed/m, 'dept disable changed it');
    is(stored('department', 'REV')->{enabled}, 0, 'REV is disabled');
    is($db->catalogue_version, $v + 2, 'dept disable bumps catalogue_version');

    $before = $db->catalogue_checksum;
    $r = $db->mmctl_run('--json', 'dept', 'disable', 'REV');
    is(json_doc($r)->{result}, 'unchanged', 'disabling it again: unchanged');
    is($db->catalogue_checksum, $before, '... and no bump');

    $r = $db->mmctl_run('--json', 'dept', 'enable', 'REV');
    is($r->{rc}, 0, 'dept enable exits 0');
    is(json_doc($r)->{result}, 'changed', 'dept enable changed it');
    is(json_doc($r)->{department}{enabled}, JSON::PP::true, '... enabled');
    is($db->catalogue_version, $v + 3, 'dept enable bumps catalogue_version');

    $r = $db->mmctl_run('dept', 'update', 'AGR', '--enabled', '--name-te', 'వ్యవసాయం');
    is($r->{rc}, 0, 'dept update --enabled --name-te exits 0');
    $row = stored('department', 'AGR');
    is($row->{enabled}, 1, 'update --enabled');
    is($row->{name}{te}, Encode_decode('వ్యవసాయం'), 'update --name-te');
}

# ---------------------------------------------------------------------------
# office.

{
    my $v = $db->catalogue_version;
    my $te = 'తహసీల్దార్ కార్యాలయం, తెనాలి';
    my $r = $db->mmctl_run('office', 'add', 'REV-GNT-TENALI', '--department', 'REV',
               '--district', 'Guntur', '--mandal', 'Tenali',
               '--name-en', 'Tahsildar Office, Tenali', '--name-te', $te,
               '--address', 'en=Main Road, Tenali 522201',
               '--address', 'te=మెయిన్ రోడ్, తెనాలి',
               '--phone', '08644-222222', '--email', 'tenali@ap.gov.in');
    is($r->{rc}, 0, 'office add exits 0') or diag($r->{err});
    like($r->{out}, qr/^REV-GNT-TENALI\s+added\s+\Q@{[ $v + 1 ]}\E$/m,
         'office add prints CODE RESULT VERSION');
    is($db->catalogue_version, $v + 1, 'office add bumps catalogue_version');

    my $row = stored('office', 'REV-GNT-TENALI');
    my $rev_id = $dbh->selectrow_array(
        "SELECT id FROM department WHERE code = 'REV'");
    is($row->{department_id}, $rev_id, 'the office belongs to REV');
    is($row->{district}, 'Guntur', 'district stored');
    is($row->{mandal}, 'Tenali', 'mandal stored');
    is_deeply($row->{address}, { en => 'Main Road, Tenali 522201',
                                 te => Encode_decode('మెయిన్ రోడ్, తెనాలి') },
              'every --address stored');
    is($row->{contact}{email}, 'tenali@ap.gov.in', 'contact stored');

    $r = $db->mmctl_run('--json', 'office', 'add', 'REV-GNT', '--department', 'REV',
            '--district', 'Guntur', '--name-en', 'Collectorate, Guntur');
    is($r->{rc}, 0, 'office add --json exits 0');
    my $d = json_doc($r);
    is($d->{result}, 'added', 'JSON: result');
    is($d->{office}{mandal}, undef, 'JSON: no mandal is null');
    is($d->{office}{department}, 'REV', 'JSON: the department code');

    $r = $db->mmctl_run('office', 'add', 'AGR-KRN', '--department', 'AGR',
            '--district', 'Kurnool', '--name-en', 'Agriculture Office');
    is($r->{rc}, 0, 'a third office');

    refused('an office of an unknown department', 1,
            qr/office X-1: department NOPE does not exist/,
            'office', 'add', 'X-1', '--department', 'NOPE',
            '--district', 'Guntur', '--name-en', 'Nowhere');

    refused('a duplicate office', 1, qr/office REV-GNT already exists/,
            'office', 'add', 'REV-GNT', '--department', 'REV',
            '--district', 'Guntur', '--name-en', 'Again');

    refused('an office name of 256 code points', 1,
            qr/office REV-LONG: name\.en: has 256 code points/,
            'office', 'add', 'REV-LONG', '--department', 'REV',
            '--district', 'Guntur', '--name-en', 'n' x 256);

    refused('an office code against the rule', 1, qr/office rev_x: code/,
            'office', 'add', 'rev_x', '--department', 'REV',
            '--district', 'Guntur', '--name-en', 'x');

    refused('a district of 65 code points', 1, qr/district: has 65/,
            'office', 'update', 'REV-GNT', '--district', 'd' x 65);

    refused('moving an office to an unknown department', 1,
            qr/department NOPE does not exist/,
            'office', 'update', 'REV-GNT', '--department', 'NOPE');

    refused('show of an unknown office', 1, qr/no office NOPE-1/,
            'office', 'show', 'NOPE-1');

    $r = $db->mmctl_run('office', 'list');
    is($r->{rc}, 0, 'office list exits 0');
    like($r->{out},
         qr/^CODE\s+DEPARTMENT\s+DISTRICT\s+MANDAL\s+ENABLED\s+NAME\.EN$/m,
         'office list has its header');
    like($r->{out}, qr/^REV-GNT-TENALI\s+REV\s+Guntur\s+Tenali\s+yes\s+Tahsildar Office, Tenali$/m,
         'office list shows an office');
    like($r->{out}, qr/^REV-GNT\s+REV\s+Guntur\s+-\s+yes/m,
         'no mandal shows as -');

    $r = $db->mmctl_run('--json', 'office', 'list', '--department', 'REV');
    is_deeply([ map { $_->{code} } @{ json_doc($r)->{offices} } ],
              [qw(REV-GNT REV-GNT-TENALI)], 'office list --department');
    $r = $db->mmctl_run('--json', 'office', 'list', '--district', 'kurnool');
    is_deeply([ map { $_->{code} } @{ json_doc($r)->{offices} } ],
              [qw(AGR-KRN)], 'office list --district (any letter case)');

    $r = $db->mmctl_run('office', 'show', 'REV-GNT-TENALI');
    is($r->{rc}, 0, 'office show exits 0');
    like($r->{out}, qr/^mandal\s+Tenali$/m, 'office show: mandal');
    like($r->{out}, qr/^name\.te\s+\Q$te\E$/m, 'office show: name.te');
    $r = $db->mmctl_run('office', 'show', 'REV-GNT-TENALI', '--json');
    is(json_doc($r)->{office}{contact}{phone}, '08644-222222',
       'office show --json');

    $v = $db->catalogue_version;
    $r = $db->mmctl_run('office', 'update', 'REV-GNT', '--mandal', 'Guntur East',
            '--phone', '0863-2234567');
    is($r->{rc}, 0, 'office update exits 0') or diag($r->{err});
    like($r->{out}, qr/^REV-GNT\s+changed/m, 'office update changed it');
    is($db->catalogue_version, $v + 1, 'office update bumps catalogue_version');
    is(stored('office', 'REV-GNT')->{mandal}, 'Guntur East', 'new mandal');

    my $before = $db->catalogue_checksum;
    $r = $db->mmctl_run('--json', 'office', 'update', 'REV-GNT', '--phone',
            '0863-2234567');
    is(json_doc($r)->{result}, 'unchanged', 'the same update: unchanged');
    is($db->catalogue_checksum, $before, '... nothing written, no bump');

    $r = $db->mmctl_run('office', 'update', 'REV-GNT', '--mandal', '');
    is($r->{rc}, 0, 'office update --mandal "" exits 0');
    is(stored('office', 'REV-GNT')->{mandal}, undef,
       'an empty --mandal removes the mandal (NULL)');

    $r = $db->mmctl_run('office', 'update', 'REV-GNT', '--department', 'AGR',
            '--disabled');
    is($r->{rc}, 0, 'an office moves to another department');
    $row = stored('office', 'REV-GNT');
    is($row->{enabled}, 0, '... and is disabled');

    $r = $db->mmctl_run('--json', 'dept', 'show', 'AGR');
    is(json_doc($r)->{department}{offices}, 2, 'dept show counts offices');

    # a service row, to see it counted
    $dbh->do(q{INSERT INTO service (code, department_id, type, name,
               description, keywords, intents, documents, content, form)
               VALUES ('REV-INC', ?, 'information', '{"en":"Income"}', '{}',
               '{}', '[]', '{}', '{"en":"x"}', '[]')}, undef, $rev_id);
    $r = $db->mmctl_run('--json', 'dept', 'show', 'REV');
    is(json_doc($r)->{department}{services}, 1, 'dept show counts services');
    is(json_doc($r)->{department}{offices}, 1, '... and offices');
    $r = $db->mmctl_run('dept', 'list');
    like($r->{out}, qr/^REV\s+yes\s+5\s+Revenue\s+\S+\s+1\s+1$/m,
         'dept list counts them too');
}

# ---------------------------------------------------------------------------
# The bash completion.

SKIP: {
    skip 'no bash', 1 if system('bash', '-c', 'true') != 0;

    my $file = "$ROOT/cli/mmctl.bash-completion";

    my $complete = sub {
        my (@words) = @_;
        my $cword = $#words;
        my $script = "source '$file' || exit 1; COMP_WORDS=("
            . join(' ', map { "'$_'" } @words) . "); COMP_CWORD=$cword;"
            . ' _mmctl; echo "${COMPREPLY[*]}"';
        my $out = `bash -c '$script' 2>&1` // '';
        chomp $out;
        return $out;
    };

    is(system('bash', '-c', "source '$file'"), 0,
       'the completion file loads in bash');
    is($complete->('mmctl', 'de'), 'dept', 'completes a noun');
    is($complete->('mmctl', ''),
       'db dept office i18n service catalogue key cert app log records',
       'offers every noun');
    is($complete->('mmctl', 'dept', 'up'), 'update', 'completes a verb');
    is($complete->('mmctl', '--socket', '/x', 'office', ''),
       'add list show update --help',
       'completes verbs after global options with values');
    is($complete->('mmctl', 'i18n', ''), 'import export list missing --help',
       'i18n verbs');
    is($complete->('mmctl', 'service', ''),
       'add list show update enable disable import export --help',
       'service verbs');
    is($complete->('mmctl', 'catalogue', ''), 'validate stats --help',
       'catalogue verbs');
    is($complete->('mmctl', 'dept', 'add', 'REV', '--name-'),
       '--name-en --name-te', 'completes a verb\'s options');
    is($complete->('mmctl', 'i18n', 'export', '--format', ''), 'json csv',
       'completes an option\'s values');
    is($complete->('mmctl', '--js'), '--json', 'completes global options');
    is($complete->('mmctl', 'service', 'update', 'REV-INC', '--not-'),
       '--not-popular', 'completes service update --not-popular');
    is($complete->('mmctl', 'service', 'update', 'REV-INC', '--not-popular',
                   '--so'), '--sort', '... a flag: no value follows it');

    # The completion's tables against what mmctl itself says: every noun of
    # "mmctl --help", every verb of "mmctl NOUN --help", every option of
    # "mmctl NOUN VERB --help" (its usage line and its option lines), and
    # nothing more.
    my $words = sub { join ' ', sort { $a cmp $b } split ' ', $_[0] };
    my $help = $db->mmctl_run('--help')->{out};
    my ($nouns) = $help =~ /^Nouns:\n((?:  \S.*\n)+)/m;
    my @nouns = $nouns =~ /^  (\S+)/mg;
    is($words->($complete->('mmctl', '')), $words->("@nouns"),
       'completion: the nouns of mmctl --help');

    for my $noun (@nouns) {
        my ($verbs) = $db->mmctl_run($noun, '--help')->{out}
                      =~ /^Verbs:\n((?:  \S.*\n)+)/m;
        my @verbs = $verbs =~ /^  (\S+)/mg;
        is($words->($complete->('mmctl', $noun, '')),
           $words->("@verbs --help"), "completion: the verbs of $noun");

        for my $verb (@verbs) {
            my $r = $db->mmctl_run($noun, $verb, '--help');
            my %opt = ('--json' => 1, '--help' => 1);
            for my $line (split /\n/, $r->{out}) {
                next if $line !~ /^Usage:|^\s+-/;
                $line =~ s/^Usage: mmctl \[global options\] \S+ \S+//;
                $opt{$1} = 1 while $line =~ /(?<![\w-])(--?[a-z][a-z0-9-]*)/g;
            }
            is($words->($complete->('mmctl', $noun, $verb, '-')),
               $words->(join ' ', keys %opt),
               "completion: the options of $noun $verb");
        }
    }
}

done_testing();


# DBD::MariaDB returns characters; the texts above are UTF-8 bytes
sub Encode_decode {
    my ($bytes) = @_;
    my $s = $bytes;
    utf8::decode($s);
    return $s;
}

#!/usr/bin/perl

# mmctl db migrate | status | grant, and mmctl's command-line contract (exit
# statuses, --json, where settings come from), against a private MariaDB.

use strict;
use warnings;

use Cwd qw(abs_path);
use DBI;
use Digest::SHA qw(sha256_hex);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use JSON::PP;
use POSIX ();
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(start_mariadb);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $TMP = tempdir('mmctl-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $TMP;

# ---------------------------------------------------------------------------
# Helpers.

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or return undef;
    local $/;
    return scalar <$fh>;
}

sub spew {
    my ($path, $text) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
}

# The exact commands build.sh runs, with SQL from $sqldir into $outdir.
sub build_mmctl {
    my ($sqldir, $outdir) = @_;
    my $cmd = "cd '$ROOT' && perl cli/embed-sql.pl '$sqldir'"
        . " > '$outdir/mmctl_migrations.c'"
        . " && cc -O2 -g -Wall -Wextra -Werror -std=gnu11 -Icli -Ilib"
        . " -I'$outdir' cli/*.c lib/*.c '$outdir/mmctl_migrations.c'"
        . ' $(pkg-config --cflags --libs libmariadb jansson libcrypto'
        . ' libpcre2-8 libqrencode pangocairo pangoft2 fontconfig)'
        . ' -lpthread -lm'
        . " -o '$outdir/mmctl'";
    system($cmd) == 0 or die "cannot build mmctl: $cmd\n";
    return "$outdir/mmctl";
}

my $run_n = 0;

# Starts a command with %env added (undef deletes), stdin from /dev/null.
sub start {
    my ($cmd, %env) = @_;
    my $n = ++$run_n;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', "$TMP/out.$n";
        open STDERR, '>', "$TMP/err.$n";
        for (keys %env) {
            if (defined $env{$_}) { $ENV{$_} = $env{$_} }
            else { delete $ENV{$_} }
        }
        exec { $cmd->[0] } @$cmd or POSIX::_exit(127);
    }
    return { pid => $pid, n => $n };
}

sub finish {
    my ($job) = @_;
    waitpid $job->{pid}, 0;
    my $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;
    return { rc => $rc, out => slurp("$TMP/out.$job->{n}"),
             err => slurp("$TMP/err.$job->{n}") };
}

sub run { finish(start(@_)) }

sub json_of {
    my ($r) = @_;
    my $doc = eval { JSON::PP->new->decode($r->{out}) };
    diag("not one JSON document: $@\nstdout: $r->{out}") if !$doc;
    return $doc;
}

# The migrations this mmctl embeds, as build.sh finds them: every
# sql/NNN_*.sql, sorted; and the tables they create.
opendir(my $sqldh, "$ROOT/sql") or die "$ROOT/sql: $!";
my @MIGRATIONS = sort map { /^([0-9]{3}_.*)\.sql\z/ ? $1 : () }
    readdir $sqldh;
closedir $sqldh;
die "no migrations in $ROOT/sql" if !@MIGRATIONS;
my $LATEST = $MIGRATIONS[-1];
my @MIGRATED_TABLES = sort('schema_migrations',
    map { slurp("$ROOT/sql/$_.sql")
          =~ /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)/gim }
    @MIGRATIONS);

# ---------------------------------------------------------------------------

delete $ENV{$_} for grep { /^MANA_DB_/ } keys %ENV;

my $MMCTL = "$ROOT/build/mmctl";
if (!-x $MMCTL) {
    mkdir "$ROOT/build";
    build_mmctl("$ROOT/sql", "$ROOT/build");
}

my $db = start_mariadb(private => 1, bare => 1);
$db->{user} = 'root';
my $SOCK = $db->{socket};

# an empty config file, so that the host's /etc/mana/mmctl.conf stays out
my $CONF = "$TMP/empty.conf";
spew($CONF, "");

my @CONN = ('--config', $CONF, '--socket', $SOCK, '--user', $db->{user});

sub mmctl { run([ $MMCTL, @CONN, @_ ]) }

sub dbh {
    my ($database) = @_;
    return DBI->connect("DBI:MariaDB:database=$database;mariadb_socket=$SOCK",
                        $db->{user}, undef,
                        { RaiseError => 1, PrintError => 0 });
}

sub tables {
    my ($database) = @_;
    return dbh('information_schema')->selectcol_arrayref(
        'SELECT table_name FROM tables WHERE table_schema = ?'
        . ' ORDER BY table_name', undef, $database);
}

my $r;

# --- help, version, usage ---------------------------------------------------

for my $args ([ '--help' ], [ 'db', '--help' ], [ 'db', 'migrate', '--help' ],
              [ 'db', 'status', '--help' ], [ 'db', 'grant', '--help' ])
{
    $r = run([ $MMCTL, @$args ]);
    is($r->{rc}, 0, "mmctl @$args: exit 0");
    like($r->{out}, qr/^Usage: mmctl/, "mmctl @$args: usage on stdout");
}
like(run([ $MMCTL, '--help' ])->{out}, qr/MANA_DB_PASSWORD_FILE/,
     '--help documents the environment');
like(run([ $MMCTL, 'db', '--help' ])->{out},
     qr/migrate.*\n.*status.*\n.*grant/, 'db --help lists the verbs');
my $NMIG = @MIGRATIONS;
like(run([ $MMCTL, '--version' ])->{out},
     qr/^mmctl \S+ \($NMIG migrations?, latest \Q$LATEST\E\)$/,
     '--version counts the migrations and names the latest');
is_deeply(json_of(run([ $MMCTL, '--json', '--version' ]))->{migrations},
          \@MIGRATIONS, '--version --json lists the migrations');

$r = run([ $MMCTL, 'nosuch', 'verb' ]);
is($r->{rc}, 2, 'unknown noun: exit 2');
like($r->{err}, qr/unknown noun "nosuch".*Usage:/s, 'unknown noun: usage');

$r = run([ $MMCTL, 'db', 'nosuch' ]);
is($r->{rc}, 2, 'unknown verb: exit 2');
like($r->{err}, qr/unknown verb "nosuch".*migrate/s, 'unknown verb: verbs');

is(run([ $MMCTL ])->{rc}, 2, 'no noun: exit 2');
is(run([ $MMCTL, 'db' ])->{rc}, 2, 'no verb: exit 2');
is(run([ $MMCTL, '--nosuch', 'db', 'status' ])->{rc}, 2,
   'unknown global option: exit 2');
is(run([ $MMCTL, 'db', 'status', '--nosuch' ])->{rc}, 2,
   'unknown verb option: exit 2');
is(run([ $MMCTL, 'db', 'status', 'extra' ])->{rc}, 2, 'extra operand: exit 2');
is(run([ $MMCTL, '--socket' ])->{rc}, 2, 'option without value: exit 2');
is(run([ $MMCTL, '--sock', $SOCK, 'db', 'status' ])->{rc}, 2,
   'abbreviated options are not accepted');

$r = run([ $MMCTL, '--password', 'hunter2', 'db', 'status' ]);
is($r->{rc}, 2, '--password: exit 2');
like($r->{err}, qr/--password-file/, '--password: points to the file');
unlike($r->{err}, qr/hunter2/, '--password: the value is not echoed');

$r = run([ $MMCTL, '--json', 'db', 'nosuch' ]);
is($r->{rc}, 2, '--json usage error: exit 2');
is(json_of($r)->{error}{code}, 'usage', '--json usage error: code');
like($r->{err}, qr/unknown verb/, '--json usage error: stderr too');

# --- unavailable and bad configuration ------------------------------------

$r = run([ $MMCTL, '--config', $CONF, '--socket', "$TMP/nope.sock",
           'db', 'status' ]);
is($r->{rc}, 69, 'no server: exit 69');
like($r->{err}, qr/cannot connect to MariaDB at unix:\Q$TMP\E\/nope\.sock: /,
     'no server: names the socket');

$r = run([ $MMCTL, '--config', $CONF, '--json', '--socket', "$TMP/nope.sock",
           'db', 'migrate' ]);
is($r->{rc}, 69, '--json no server: exit 69');
my $e = json_of($r);
is_deeply([ sort keys %{ $e // {} } ], [ 'error' ], '--json error: one key');
is($e->{error}{code}, 'unavailable', '--json error: code');
like($e->{error}{message}, qr/unix:\Q$TMP\E\/nope\.sock/,
     '--json error: message');
like($r->{err}, qr/cannot connect/, '--json error: stderr too');

my $closed = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                   LocalPort => 0)->sockport;
$r = run([ $MMCTL, '--config', $CONF, '--host', '127.0.0.1', '--port',
           $closed, 'db', 'status' ]);
is($r->{rc}, 69, 'no TCP server: exit 69');
like($r->{err}, qr/at tcp:127\.0\.0\.1:$closed:/, 'no TCP server: named');

$r = mmctl('--config', "$TMP/missing.conf", 'db', 'status');
is($r->{rc}, 78, 'missing --config file: exit 78');
like($r->{err}, qr/\Q$TMP\E\/missing\.conf/, 'missing --config: named');

spew("$TMP/bad.conf", "# comment\nsocket = $SOCK\nthis is not a setting\n");
$r = run([ $MMCTL, '--config', "$TMP/bad.conf", 'db', 'status' ]);
is($r->{rc}, 78, 'config syntax error: exit 78');
like($r->{err}, qr/bad\.conf:3:/, 'config syntax error: file and line');

spew("$TMP/unknown.conf", "passwd = x\n");
is(run([ $MMCTL, '--config', "$TMP/unknown.conf", 'db', 'status' ])->{rc},
   78, 'config unknown key: exit 78');

$r = mmctl('--password-file', "$TMP/no-such-password", 'db', 'status');
is($r->{rc}, 78, 'missing password file: exit 78');
like($r->{err}, qr/\Q$TMP\E\/no-such-password/, 'password file: named');

$r = mmctl('--json', '--password-file', $TMP, 'db', 'status');
is($r->{rc}, 78, 'password file is a directory: exit 78');
is(json_of($r)->{error}{code}, 'config', '--json config error: code');

$r = run([ $MMCTL, @CONN, 'db', 'status' ],
         MANA_DB_PASSWORD_FILE => "$TMP/env-password");
is($r->{rc}, 78, 'MANA_DB_PASSWORD_FILE unreadable: exit 78');
like($r->{err}, qr/env-password/, 'MANA_DB_PASSWORD_FILE: named');

is(mmctl('--port', 'http', 'db', 'status')->{rc}, 78, 'bad port: exit 78');
is(mmctl('--database', 'x;y', 'db', 'status')->{rc}, 78,
   'bad database name: exit 78');

# --- precedence: flag > environment > config file > default ---------------

spew("$TMP/good.conf", "# Mana\n\n  socket = $SOCK  \nuser=$db->{user}\n");
is(run([ $MMCTL, '--config', "$TMP/good.conf", 'db', 'status' ])->{rc}, 0,
   'settings from the config file');

$r = run([ $MMCTL, '--config', "$TMP/good.conf", 'db', 'status' ],
         MANA_DB_SOCKET => "$TMP/env.sock");
is($r->{rc}, 69, 'environment beats the config file');
like($r->{err}, qr/unix:\Q$TMP\E\/env\.sock/, '... and is named');

is(run([ $MMCTL, '--config', "$TMP/good.conf", '--socket', $SOCK,
         'db', 'status' ], MANA_DB_SOCKET => "$TMP/env.sock")->{rc}, 0,
   'a flag beats the environment');

is(run([ $MMCTL, '--config', $CONF, 'db', 'status' ],
       MANA_DB_SOCKET => $SOCK, MANA_DB_USER => $db->{user})->{rc}, 0,
   'settings from the environment');

# --- status before, migrate, status after ----------------------------------

$r = mmctl('db', 'status');
is($r->{rc}, 0, 'status of a missing database: exit 0');
like($r->{out}, qr/^\Q$_\E\s+pending\s+-$/m, "status: $_ pending")
    for @MIGRATIONS;

$r = mmctl('db', 'migrate');
is($r->{rc}, 0, 'migrate: exit 0') or diag($r->{err});
for my $m (@MIGRATIONS) {
    like($r->{out}, qr/^\Q$m\E\s+applied$/m, "migrate: $m applied");
    like($r->{err}, qr/applying \Q$m\E\.sql/,
         "migrate: $m progress on stderr");
}
is(scalar(() = $r->{out} =~ /\sapplied$/mg), scalar @MIGRATIONS,
   'migrate: nothing else applied');

is_deeply(tables('mana'), \@MIGRATED_TABLES, 'migrate: the tables exist');

my $rows = dbh('mana')->selectall_arrayref(
    'SELECT version, checksum, applied_at FROM schema_migrations'
    . ' ORDER BY version');
is(scalar @$rows, scalar @MIGRATIONS, 'schema_migrations: one row each');
is_deeply([ map { $_->[0] } @$rows ], \@MIGRATIONS,
          'schema_migrations: the versions');
is_deeply([ map { $_->[1] } @$rows ],
          [ map { sha256_hex(slurp("$ROOT/sql/$_.sql")) } @MIGRATIONS ],
          'schema_migrations: the SHA-256 of each file');

$r = mmctl('db', 'migrate');
is($r->{rc}, 0, 'second migrate: exit 0');
like($r->{out}, qr/nothing to apply/, 'second migrate: nothing to apply');
is(dbh('mana')->selectrow_array('SELECT COUNT(*) FROM schema_migrations'),
   scalar @MIGRATIONS, 'second migrate: still one row each');

$r = mmctl('--json', 'db', 'migrate');
is_deeply(json_of($r), { applied => [], already => scalar @MIGRATIONS },
          'second migrate --json');

$r = mmctl('db', 'status');
is($r->{rc}, 0, 'status: exit 0');
like($r->{out}, qr/^VERSION\s+STATE\s+APPLIED_AT$/m, 'status: header');
like($r->{out},
     qr/^\Q$_\E\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/m,
     "status: $_ applied, with its time") for @MIGRATIONS;

$r = mmctl('db', 'status', '--json');
my $st = json_of($r);
is_deeply([ map { $_->{version} } @{ $st->{migrations} } ], \@MIGRATIONS,
          'status --json: every migration, in order');
is_deeply([ map { $_->{state} } @{ $st->{migrations} } ],
          [ ('applied') x @MIGRATIONS ], 'status --json: all applied');
is(scalar(grep { ($_->{applied_at} // '') =~ /^\d{4}-\d\d-\d\d / }
              @{ $st->{migrations} }),
   scalar @MIGRATIONS, 'status --json: applied_at');

# a version from a newer mmctl, and an edited migration
dbh('mana')->do("INSERT INTO schema_migrations VALUES"
                . " ('999_future', REPEAT('0', 64), UTC_TIMESTAMP(3))");
dbh('mana')->do("UPDATE schema_migrations SET checksum = REPEAT('a', 64)"
                . " WHERE version = '$MIGRATIONS[0]'");

$st = json_of(mmctl('--json', 'db', 'status'));
is_deeply([ map { "$_->{version}=$_->{state}" } @{ $st->{migrations} } ],
          [ (map { "$_=applied" } @MIGRATIONS), '999_future=unknown' ],
          'status --json: a recorded version this mmctl does not know');

$r = mmctl('db', 'migrate');
is($r->{rc}, 0, 'migrate with a changed checksum: exit 0');
like($r->{err}, qr/warning: \Q$MIGRATIONS[0]\E\.sql changed/,
     '... warns of the change');
like($r->{err}, qr/999_future/, '... warns of the unknown version');

dbh('mana')->do("DELETE FROM schema_migrations WHERE version = '999_future'");
dbh('mana')->do('UPDATE schema_migrations SET checksum = ? WHERE version = ?',
                undef, sha256_hex(slurp("$ROOT/sql/$MIGRATIONS[0].sql")),
                $MIGRATIONS[0]);

$r = mmctl('--json', '--database', 'mana_json', 'db', 'migrate');
is_deeply(json_of($r), { applied => \@MIGRATIONS, already => 0 },
          'migrate --json');

# two at once: the lock lets exactly one apply
my @jobs = map { start([ $MMCTL, @CONN, '--json', '--database', 'mana_conc',
                         'db', 'migrate' ]) } 1 .. 2;
my @res = map { finish($_) } @jobs;
is_deeply([ map { $_->{rc} } @res ], [ 0, 0 ], 'concurrent migrates: exit 0');
is_deeply([ sort { $a <=> $b } map { scalar @{ json_of($_)->{applied} } }
            @res ], [ 0, scalar @MIGRATIONS ],
          'concurrent migrates: one applied, one found nothing');

# --- a broken migration --------------------------------------------------

my $bdir = "$TMP/broken";
mkdir $bdir;
mkdir "$bdir/sql";
spew("$bdir/sql/$_.sql", slurp("$ROOT/sql/$_.sql")) for @MIGRATIONS;
# numbered after the latest real one, so that all of those apply first
my $BROKEN_NAME = sprintf('%03d_broken', ($LATEST =~ /^(\d+)/)[0] + 1);
spew("$bdir/sql/$BROKEN_NAME.sql",
     "-- fails at its second statement\n"
     . "CREATE TABLE broken_first (id INT NOT NULL PRIMARY KEY);\n"
     . "INSERT INTO broken_nowhere VALUES (1);\n"
     . "CREATE TABLE broken_never (id INT);\n");
my $BROKEN = build_mmctl("$bdir/sql", $bdir);

$r = run([ $BROKEN, @CONN, '--database', 'mana_broken', 'db', 'migrate' ]);
is($r->{rc}, 1, 'broken migration: exit 1');
like($r->{err},
     qr/\Q$BROKEN_NAME\E\.sql\ failed\ at\ statement\ 2:
        \ ERROR\ 1146\ .*broken_nowhere/x,
     'broken migration: names the file, the statement, the error');
is_deeply(dbh('mana_broken')->selectcol_arrayref(
              'SELECT version FROM schema_migrations ORDER BY version'),
          \@MIGRATIONS, 'broken migration: only the good ones recorded');
ok(!grep({ $_ eq 'broken_never' } @{ tables('mana_broken') }),
   'broken migration: nothing after the failing statement ran');

$r = run([ $BROKEN, @CONN, '--json', '--database', 'mana_broken',
           'db', 'migrate' ]);
is($r->{rc}, 1, 'broken migration again: exit 1');
$e = json_of($r);
is($e->{error}{code}, 'migration_failed', 'broken --json: code');
like($e->{error}{message}, qr/\Q$BROKEN_NAME\E\.sql/,
     'broken --json: message');

$st = json_of(run([ $BROKEN, @CONN, '--json', '--database', 'mana_broken',
                    'db', 'status' ]));
is_deeply([ map { "$_->{version}=$_->{state}" } @{ $st->{migrations} } ],
          [ (map { "$_=applied" } @MIGRATIONS), "$BROKEN_NAME=pending" ],
          'broken migration: status');

# --- grant ----------------------------------------------------------------

# quotes and a backslash: the password must reach the server intact
my $pw = "s3cr'et\"\\pw";
spew("$TMP/app-password", "$pw\n");

$r = mmctl('db', 'grant', 'mana_app', '--password-file', "$TMP/app-password");
is($r->{rc}, 0, 'grant: exit 0') or diag($r->{err});
like($r->{out},
     qr/mana_app\s+localhost\s+mana\s+SELECT, INSERT, UPDATE, DELETE\s+created/,
     'grant: table');

my $app = DBI->connect("DBI:MariaDB:database=mana;mariadb_socket=$SOCK",
                       'mana_app', $pw, { RaiseError => 0, PrintError => 0 });
ok($app, 'grant: the account logs in with the password from the file')
    or diag($DBI::errstr);
ok($app && $app->do("INSERT INTO citizen (phone) VALUES ('919000000001')"),
   'grant: the account can INSERT');
ok($app && !$app->do('CREATE TABLE sneaky (id INT)'),
   'grant: the account cannot CREATE TABLE');
like($app ? $app->errstr : '', qr/denied/, '... denied');
ok($app && !$app->do('DROP TABLE citizen'), 'grant: nor DROP');

my $grants = join "\n", map { $_->[0] } @{ dbh('mana')->selectall_arrayref(
    "SHOW GRANTS FOR 'mana_app'\@'localhost'") };
like($grants,
     qr/\QGRANT SELECT, INSERT, UPDATE, DELETE ON `mana`.*\E
        \Q TO `mana_app`@`localhost`\E/x,
     'grant: exactly the four privileges on mana.*');
unlike($grants, qr/WITH GRANT OPTION|GRANT ALL|FILE/, 'grant: nothing more');

# an extra privilege is taken back; a new password replaces the old one
dbh('mana')->do("GRANT CREATE ON `mana`.* TO 'mana_app'\@'localhost'");
spew("$TMP/app-password2", "another\n");
$r = mmctl('--json', 'db', 'grant', '--password-file', "$TMP/app-password2",
           'mana_app');
is($r->{rc}, 0, 'grant again: exit 0');
is_deeply(json_of($r), { user => 'mana_app', host => 'localhost',
                         database => 'mana', created => JSON::PP::false,
                         privileges => [ qw(SELECT INSERT UPDATE DELETE) ] },
          'grant again --json');
$grants = join "\n", map { $_->[0] } @{ dbh('mana')->selectall_arrayref(
    "SHOW GRANTS FOR 'mana_app'\@'localhost'") };
unlike($grants, qr/CREATE/, 'grant again: the extra privilege is revoked');
ok(DBI->connect("DBI:MariaDB:database=mana;mariadb_socket=$SOCK",
                'mana_app', 'another', { PrintError => 0 }),
   'grant again: the new password works');

# mmctl itself with a password from a file, as the new least account
$r = run([ $MMCTL, '--config', $CONF, '--socket', $SOCK, '--user', 'mana_app',
           '--password-file', "$TMP/app-password2", 'db', 'status' ]);
is($r->{rc}, 0, 'a password from --password-file logs in');
$r = run([ $MMCTL, '--config', $CONF, '--socket', $SOCK, '--user', 'mana_app',
           '--password-file', "$TMP/app-password", 'db', 'status' ]);
is($r->{rc}, 69, 'a wrong password: exit 69');
$r = run([ $MMCTL, '--config', $CONF, '--socket', $SOCK, '--user', 'mana_app',
           '--password-file', "$TMP/app-password2", 'db', 'migrate' ]);
is($r->{rc}, 1, 'the least account cannot migrate');

is(mmctl('db', 'grant', 'bad-name', '--password-file',
         "$TMP/app-password")->{rc}, 2, 'grant: invalid user name: exit 2');
is(mmctl('db', 'grant', 'mana_app')->{rc}, 2,
   'grant: --password-file required: exit 2');
is(mmctl('db', 'grant', 'mana_app', '--password-file',
         "$TMP/nope")->{rc}, 78, 'grant: unreadable password file: exit 78');
$r = mmctl('db', 'grant', $db->{user}, '--password-file',
           "$TMP/app-password");
is($r->{rc}, 1, "grant: refuses mmctl's own account");

done_testing();

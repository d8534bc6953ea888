package Mana::Test;

# The test harness: a private MariaDB, a real nginx with the built module,
# a mock Graph API, and helpers to sign and send webhooks.  Core Perl plus
# DBD::MariaDB.  Every server it starts is stopped when the test ends.
#
# MANA_TEST_DB_SOCKET=/path/to/mysqld.sock reuses a running MariaDB (as a
# user who may create databases): each test file then gets a database of its
# own instead of a server of its own.

use strict;
use warnings;

use Cwd qw(abs_path);
use DBI;
use Digest::SHA qw(hmac_sha256_hex);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Path qw(remove_tree);
use File::Temp qw(tempdir);
use HTTP::Tiny;
use IO::Socket::INET;
use JSON::PP;
use POSIX qw(:sys_wait_h);
use Test::More;
use Time::HiRes qw(sleep time);

our @EXPORT = qw(start_mariadb start_nginx start_mock_graph sign_body
                 wh_payload wh_text_message wh_status finish_tests
                 json_decode json_encode wait_until wait_draining chat);
our @EXPORT_OK = qw(slurp spew json_of json_doc demo_hall_tickets);

our $TOP = abs_path(dirname(__FILE__) . '/../../..');

# diagnostics may quote Telugu
binmode(Test::More->builder->$_, ':encoding(UTF-8)')
    for qw(output failure_output todo_output);
our $BUILD = "$TOP/build";

my @cleanup;    # subs run at exit, last started first
my $owner = $$; # forked children must not stop the servers

sub json_encode { JSON::PP->new->canonical->utf8->encode($_[0]) }
# bytes from HTTP, or characters from DBD::MariaDB
sub json_decode {
    my ($s) = @_;
    return utf8::is_utf8($s) ? JSON::PP->new->decode($s)
                             : JSON::PP->new->utf8->decode($s);
}

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Listen => 1, ReuseAddr => 1)
        or die "no free port: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

sub wait_until {
    my ($cond, $timeout, $what) = @_;
    my $end = time + ($timeout // 10);
    while (time < $end) {
        return 1 if $cond->();
        sleep 0.05;
    }
    diag("timed out waiting for " . ($what // 'a condition'));
    return 0;
}

# Until $left->() counts nothing left; gives up only when the count has not
# fallen for $stall seconds, so that a slow machine is never a failure but
# work that has stopped moving is
sub wait_draining {
    my ($left, $stall, $what) = @_;
    my ($best, $since) = ($left->(), time);
    while ($best > 0) {
        if (time - $since > ($stall // 10)) {
            diag("stalled waiting for " . ($what // 'a condition')
                 . ": $best left");
            return 0;
        }
        sleep 0.2;
        my $n = $left->();
        ($best, $since) = ($n, time) if $n < $best;
    }
    return 1;
}

sub tmpdir {
    my $dir = tempdir("mana-t-XXXXXX", TMPDIR => 1);
    # servers that drop root (MariaDB as mysql, nginx workers as nobody)
    # must reach their sockets and files in here
    chmod 0755, $dir;
    push @cleanup, sub { remove_tree($dir) unless $ENV{MANA_TEST_KEEP} };
    return $dir;
}

# a file's bytes, and bytes to a file (whose path spew returns)
sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!";
    local $/;
    return scalar <$fh>;
}

sub spew {
    my ($path, $bytes) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $bytes;
    close $fh or die "$path: $!";
    return $path;
}

# The demo hall-ticket list, written to $dir with every ticket expiring a
# year from today: the file's own date (the demo exam's) would run out, and
# mmctl refuses to import a record that has expired.  Returns the file and
# that date (YYYY-MM-DD).
sub demo_hall_tickets {
    my ($dir) = @_;
    my @t = gmtime(time + 365 * 86400);
    my $date = sprintf '%04d-%02d-%02d', $t[5] + 1900, $t[4] + 1, $t[3];
    my $text = slurp("$TOP/sql/seed/ssc-hall-tickets.csv");
    $text =~ s/,\d{4}-\d\d-\d\d$/,$date/mg or die 'the demo hall tickets have no expiry';
    return (spew("$dir/ssc-hall-tickets.csv", $text), $date);
}

# The one JSON document on the stdout of $db->mmctl_run.  json_of keeps
# byte strings, like the literals of a file without "use utf8", and says
# why it failed in a diag; json_doc decodes UTF-8 into characters and is
# a test of its own ("stdout is one JSON document"), {} when it fails.
sub json_of {
    my ($r) = @_;
    my $doc = eval { JSON::PP->new->decode($r->{out}) };
    diag("not one JSON document: $@\nstdout: $r->{out}\nstderr: $r->{err}")
        if !$doc;
    return $doc;
}

sub json_doc {
    my ($r) = @_;
    my $doc = eval { JSON::PP->new->utf8->decode($r->{out}) };
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    ok($doc, 'stdout is one JSON document') or diag("stdout: $r->{out}");
    return $doc // {};
}

sub run_cmd {
    my (@cmd) = @_;
    my $out = `@{[ join ' ', map { quotemeta } @cmd ]} 2>&1`;
    return ($? >> 8, $out);
}

# --- MariaDB -------------------------------------------------------------

package Mana::Test::MariaDB;

use Test::More;
use Time::HiRes qw(sleep time);

sub dsn {
    my ($self, $db) = @_;
    $db //= $self->{database};
    return "DBI:MariaDB:database=$db;mariadb_socket=$self->{socket}";
}

# a root connection to the test database
sub dbh {
    my ($self) = @_;
    return DBI->connect($self->dsn, 'root', '',
                        { RaiseError => 1, PrintError => 0, AutoCommit => 1,
                          mariadb_auto_reconnect => 0,
                          AutoInactiveDestroy => 1 });
}

sub mmctl {
    my ($self, @args) = @_;
    return Mana::Test::run_cmd("$Mana::Test::BUILD/mmctl", '--socket',
                               $self->{socket}, '--user', 'root',
                               '--database', $self->{database}, @args);
}

# the demo catalogue and the bot's messages, as ./build.sh run loads them
sub seed_demo {
    my ($self) = @_;
    for (['service', 'import', "$Mana::Test::TOP/sql/seed/catalogue.json"],
         ['i18n', 'import', "$Mana::Test::TOP/sql/seed/messages.json"]) {
        my ($rc, $out) = $self->mmctl(@$_);
        $rc == 0 or Test::More::BAIL_OUT("seed: $out");
    }
}

# mmctl against this database as root, with no config file and stdin from
# /dev/null, stdout and stderr kept apart: { rc, out, err }, out and err as
# bytes.  A hash ref before the arguments changes one run: socket => another
# server's socket, cwd => the directory to run in (default
# $db->{mmctl_cwd}, if set).  mmctl_start and mmctl_finish run several at
# once.
my $mmctl_runs = 0;

sub mmctl_start {
    my ($self, @args) = @_;
    my %o = (cwd => $self->{mmctl_cwd},
             ref($args[0]) eq 'HASH' ? %{ shift @args } : ());
    my $mmctl = "$Mana::Test::BUILD/mmctl";
    my $base = "$self->{dir}/mmctl." . ++$mmctl_runs;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', "$base.out";
        open STDERR, '>', "$base.err";
        chdir $o{cwd} if defined $o{cwd};
        exec { $mmctl } $mmctl, '--config', '/dev/null',
            '--socket', $o{socket} // $self->{socket}, '--user', 'root',
            '--database', $self->{database}, @args
            or POSIX::_exit(127);
    }
    return { pid => $pid, base => $base };
}

sub mmctl_finish {
    my ($self, $job) = @_;
    waitpid $job->{pid}, 0;
    return { rc => $? >> 8, out => Mana::Test::slurp("$job->{base}.out"),
             err => Mana::Test::slurp("$job->{base}.err") };
}

sub mmctl_run {
    my ($self, @args) = @_;
    return $self->mmctl_finish($self->mmctl_start(@args));
}

# one root connection for the helpers below
sub helper_dbh {
    my ($self) = @_;
    return $self->{helper_dbh} //= $self->dbh;
}

sub catalogue_version {
    my ($self) = @_;
    return scalar $self->helper_dbh->selectrow_array(
        'SELECT version FROM catalogue_version WHERE id = 1');
}

# everything a change to the catalogue could touch, updated_at included
sub catalogue_checksum {
    my ($self) = @_;
    my $rows = $self->helper_dbh->selectall_arrayref(
        'CHECKSUM TABLE department, office, service, district, i18n_message,'
        . ' catalogue_version EXTENDED');
    return join ',', map { $_->[1] // 'null' } @$rows;
}

# A command that must fail and write nothing: exit rc (default 1), stderr
# matching each pattern of err => [ qr/.../ => 'test name', ... ], the
# catalogue unchanged (test named by unchanged =>, default "the database is
# unchanged") and, with version => 'test name', catalogue_version tested
# apart.  Every test name starts with "$name: ".  Returns the run.
sub mmctl_refused {
    my ($self, $name, %o) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $rc = $o{rc} // 1;
    my ($sum, $v) = ($self->catalogue_checksum, $self->catalogue_version);
    my $r = $self->mmctl_run(@{ $o{args} });
    is($r->{rc}, $rc, "$name: exit $rc") or diag($r->{err});
    my @err = @{ $o{err} // [] };
    while (my ($re, $what) = splice @err, 0, 2) {
        like($r->{err}, $re, "$name: $what");
    }
    is($self->catalogue_checksum, $sum,
       "$name: " . ($o{unchanged} // 'the database is unchanged'));
    is($self->catalogue_version, $v, "$name: $o{version}") if $o{version};
    return $r;
}

sub start {
    my ($self) = @_;
    return if $self->{external};
    my $dir = $self->{dir};
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null';
        # benchmarks pin the server to a core of its own
        exec((defined $self->{cpu} ? ('taskset', '-c', $self->{cpu}) : ()),
             'mariadbd', '--no-defaults', "--user=$self->{os_user}",
             "--datadir=$dir/data", "--socket=$self->{socket}",
             "--tmpdir=$dir/tmp",
             "--pid-file=$dir/mysqld.pid", "--port=$self->{port}",
             '--bind-address=127.0.0.1', "--log-error=$dir/mariadb.log",
             '--character-set-server=utf8mb4',
             '--collation-server=utf8mb4_unicode_ci',
             '--innodb-buffer-pool-size=' . ($self->{durable} ? '512M' : '64M'),
             '--max-connections=300',
             # tests need no durability; benchmarks ask for it
             '--innodb-flush-log-at-trx-commit=' . ($self->{durable} ? 1 : 2),
             ( $self->{durable} ? '--innodb-log-file-size=256M' : () ),
             '--skip-log-bin')
            or die "exec mariadbd: $!";
    }
    $self->{pid} = $pid;
    Mana::Test::wait_until(sub {
        my $dbh = eval { DBI->connect("DBI:MariaDB:mariadb_socket=$self->{socket}",
                                      'root', '', { PrintError => 0 }) };
        return $dbh ? 1 : 0;
    }, 60, 'MariaDB to start') or BAIL_OUT("MariaDB did not start: "
        . `tail -5 $dir/mariadb.log`);
}

sub stop {
    my ($self) = @_;
    return if $self->{external} || !$self->{pid};
    kill 'TERM', $self->{pid};
    waitpid($self->{pid}, 0);
    delete $self->{pid};
}

sub running { return $_[0]{pid} && kill(0, $_[0]{pid}) }

package Mana::Test;

# A MariaDB with the schema migrated and the module's own account.
sub start_mariadb {
    my (%opt) = @_;
    my $self = bless { database => 'mana', module_user => 'mana_module',
                       durable => $opt{durable}, cpu => $opt{cpu} },
                     'Mana::Test::MariaDB';
    my $dir = $self->{dir} = tmpdir();

    if ($ENV{MANA_TEST_DB_SOCKET} && !$opt{private}) {
        $self->{external} = 1;
        $self->{socket} = $ENV{MANA_TEST_DB_SOCKET};
        $self->{database} = "mana_t$$";
        $self->{module_user} = "mana_t$$";
        my $dbh = DBI->connect("DBI:MariaDB:mariadb_socket=$self->{socket}",
                               'root', '', { RaiseError => 1 });
        $dbh->do("DROP DATABASE IF EXISTS $self->{database}");
        $dbh->do("CREATE DATABASE $self->{database}");
        push @cleanup, sub {
            eval { $dbh->do("DROP DATABASE IF EXISTS $self->{database}");
                   $dbh->do("DROP USER IF EXISTS '$self->{module_user}'\@'localhost'") };
        };
    } else {
        $self->{socket} = "$dir/mysqld.sock";
        $self->{port} = free_port();
        $self->{os_user} = $> == 0 ? 'mysql' : scalar getpwuid($>);
        chown scalar(getpwnam($self->{os_user})), -1, $dir if $> == 0;
        # a tmpdir of its own: parallel bootstraps collide in /tmp
        mkdir "$dir/tmp" or die $!;
        chown scalar(getpwnam($self->{os_user})), -1, "$dir/tmp" if $> == 0;
        my ($rc, $out) = run_cmd('mariadb-install-db', '--no-defaults',
            "--user=$self->{os_user}", "--datadir=$dir/data",
            "--tmpdir=$dir/tmp",
            '--auth-root-authentication-method=socket', '--skip-test-db');
        $rc == 0 or BAIL_OUT("mariadb-install-db failed: "
                             . join(' | ', grep { /ERROR|rror:/ } split /\n/, $out));
        $self->start;
        push @cleanup, sub { $self->stop };
        my $dbh = DBI->connect("DBI:MariaDB:mariadb_socket=$self->{socket}",
                               'root', '', { RaiseError => 1 });
        $dbh->do("CREATE DATABASE IF NOT EXISTS $self->{database}")
            unless $opt{bare};
    }

    # a server with nothing in it, for tests of mmctl db itself
    return $self if $opt{bare};

    my ($rc, $out) = $self->mmctl('db', 'migrate');
    $rc == 0 or BAIL_OUT("mmctl db migrate failed: $out");

    open my $fh, '>', "$dir/db_password" or die $!;
    print $fh "pw-" . join('', map { ('a'..'z')[rand 26] } 1..20) . "\n";
    close $fh;
    chmod 0600, "$dir/db_password";
    $self->{password_file} = "$dir/db_password";
    ($rc, $out) = $self->mmctl('db', 'grant', $self->{module_user},
                               '--password-file', "$dir/db_password");
    $rc == 0 or BAIL_OUT("mmctl db grant failed: $out");

    return $self;
}

# --- nginx ---------------------------------------------------------------

package Mana::Test::Nginx;

use Test::More;
use Time::HiRes qw(sleep time);

sub url { "http://127.0.0.1:$_[0]{port}$_[1]" }

sub nginx_cmd {
    my ($self, @args) = @_;
    return ('nginx', '-p', $self->{dir}, '-c', "$self->{dir}/nginx.conf",
            '-e', $self->{error_log}, @args);
}

sub master_pid {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/nginx.pid" or return;
    my $pid = <$fh>;
    chomp $pid if defined $pid;
    return $pid;
}

sub worker_pids {
    my ($self) = @_;
    my $master = $self->master_pid or return ();
    my @pids = grep { /\d/ } split /\s+/, `ps -o pid= --ppid $master`;
    return @pids;
}

sub reload {
    my ($self) = @_;
    my @old = $self->worker_pids;
    system($self->nginx_cmd('-s', 'reload')) == 0 or die "reload failed";
    # the new workers are the ones not there before
    Mana::Test::wait_until(sub {
        my %old = map { $_ => 1 } @old;
        scalar grep { !$old{$_} } $self->worker_pids;
    }, 10, 'new workers after reload');
}

sub stop {
    my ($self) = @_;
    my $pid = $self->master_pid or return;
    return unless kill 0, $pid;
    system($self->nginx_cmd('-s', 'quit'));
    Mana::Test::wait_until(sub { !kill 0, $pid }, 20, 'nginx to quit')
        or kill 'KILL', $pid;
}

sub error_log_text {
    my ($self) = @_;
    open my $fh, '<', $self->{error_log} or return '';
    local $/;
    return <$fh>;
}

# the log lines nothing should ever write
sub bad_log_lines {
    my ($self) = @_;
    my $allow = $self->{allow_log};
    return grep { !($allow && /$allow/) }
           grep { /\[(alert|emerg)\]|exited on signal|core dumped/ }
           split /\n/, $self->error_log_text;
}

# The backtrace of each worker that crashed, from its core file (the test
# config sets worker_rlimit_core and working_directory /tmp; where the
# kernel writes it is kernel.core_pattern's choice): a crash seen once in
# CI then names its line.
sub crash_backtraces {
    my ($self) = @_;
    my ($gdb) = grep { -x } map { "$_/gdb" } split /:/, $ENV{PATH};
    my $pattern = Mana::Test::slurp('/proc/sys/kernel/core_pattern') // '';
    chomp $pattern;
    my $dir = $pattern =~ m{^(/.*)/[^/]*$} ? $1 : '/tmp';
    my @out;
    for my $pid ($self->error_log_text =~ /worker process (\d+) exited on signal/g) {
        my ($core) = grep { -f } ("$dir/core.$pid", "/tmp/core.$pid",
                                  "$dir/core", '/tmp/core');
        if (!$core) {
            push @out, "worker $pid: no core file (kernel.core_pattern is "
                       . "'$pattern')";
            next;
        }
        if (!$gdb) {
            push @out, "worker $pid: core in $core (gdb is not installed)";
            next;
        }
        push @out, "worker $pid, $core:",
            grep { !/^\s*$|^\[New LWP|^warning:/ } map { s/\n$//r }
            `$gdb -batch -nx -ex 'bt full' /usr/sbin/nginx $core 2>&1 | head -200`;
        unlink $core;    # a core is large; its backtrace is kept above
    }
    return @out;
}

sub sign { Mana::Test::sign_body($_[0]{app_secret}, $_[1]) }

my $http = HTTP::Tiny->new(timeout => 30, keep_alive => 0);

sub request {
    my ($self, $method, $path, %opt) = @_;
    my $res = $http->request($method, $self->url($path), \%opt);
    return $res;
}

# POST a body signed with the app secret (or with the headers given)
sub post_webhook {
    my ($self, $body, %headers) = @_;
    $body = Mana::Test::json_encode($body) if ref $body;
    %headers = ('X-Hub-Signature-256' => $self->sign($body))
        unless exists $headers{'X-Hub-Signature-256'};
    delete $headers{'X-Hub-Signature-256'}
        unless defined $headers{'X-Hub-Signature-256'};
    return $self->request('POST', '/webhook', content => $body,
        headers => { 'Content-Type' => 'application/json', %headers });
}

# Many signed POSTs at once from one process: every request is written
# before any answer is read.  Returns [status, body] for each, in order;
# status 0 means the connection failed.
sub concurrent_posts {
    my ($self, @bodies) = @_;
    require IO::Select;
    my (@conns, @res);
    for my $i (0 .. $#bodies) {
        my $body = ref $bodies[$i] ? Mana::Test::json_encode($bodies[$i])
                                   : $bodies[$i];
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$self->{port}");
        if (!$s) { $res[$i] = [0, "connect: $!"]; next }
        my $req = "POST /webhook HTTP/1.1\r\nHost: localhost\r\n"
            . "Content-Type: application/json\r\nConnection: close\r\n"
            . "X-Hub-Signature-256: " . $self->sign($body) . "\r\n"
            . "Content-Length: " . length($body) . "\r\n\r\n" . $body;
        $s->syswrite($req) == length($req) or die "short write";
        push @conns, [$i, $s, ''];
    }
    my $sel = IO::Select->new(map { $_->[1] } @conns);
    my %by = map { fileno($_->[1]) => $_ } @conns;
    my $end = time + 60;
    while ($sel->count && time < $end) {
        for my $s ($sel->can_read(1)) {
            my $c = $by{fileno $s};
            my $n = $s->sysread(my $buf, 65536);
            if ($n) { $c->[2] .= $buf; next }
            $sel->remove($s);
            close $s;
            my ($status) = $c->[2] =~ m{^HTTP/1\.1 (\d+)};
            my ($body) = $c->[2] =~ m{\r\n\r\n(.*)}s;
            $res[$c->[0]] = [$status // 0, $body // $c->[2]];
        }
    }
    $res[$_->[0]] //= [0, 'no answer within 60 s'] for @conns;
    return @res;
}

sub health {
    my ($self) = @_;
    my $res = $self->request('GET', '/health');
    my $j = eval { Mana::Test::json_decode($res->{content}) };
    return ($j, $res);
}

package Mana::Test;

my @nginxes;

# nginx with the module, on a free port, talking to $db
sub start_nginx {
    my ($db, %opt) = @_;
    my $dir = tmpdir();
    my $self = bless { dir => $dir, port => free_port(),
                       error_log => "$dir/error.log" }, 'Mana::Test::Nginx';

    $self->{app_secret} = $opt{app_secret} // 'test-app-secret-' . $$;
    $self->{graph_token} = 'test-graph-token-' . $$;
    $self->{verify_token} = $opt{verify_token} // 'verify-' . $$;
    for my $f (['app_secret', $self->{app_secret}],
               ['verify_token', $self->{verify_token}],
               ['graph_token', $self->{graph_token}]) {
        open my $fh, '>', "$dir/$f->[0]" or die $!;
        print $fh "$f->[1]\n";
        close $fh;
        chmod 0600, "$dir/$f->[0]";
    }

    my %d = (workers => 1, pool_size => 4, queue_size => 64,
             queue_timeout => '5s', query_timeout => '10s',
             connect_timeout => '3s', max_body => '1m', %opt);
    my $user = $> == 0 ? 'user nobody nogroup;' : '';
    my $server = $db->{socket} ? "unix:$db->{socket}" : $opt{db_server};

    # the outbound sender, pointed at a mock Graph API, with test timings
    my $graph = '';
    if ($opt{graph}) {
        my $url = ref $opt{graph} ? $opt{graph}->url : $opt{graph};
        $graph = join "\n    ", "mana_graph_url $url;",
            "mana_graph_token_file $dir/graph_token;",
            "mana_graph_timeout " . ($opt{graph_timeout} // '2s') . ";",
            "mana_sender_lease " . ($opt{lease} // '4s') . ";",
            "mana_sender_interval 100ms;",
            "mana_sender_backoff " . ($opt{backoff} // '100ms') . ";",
            "mana_sender_backoff_max " . ($opt{backoff_max} // '1s') . ";",
            $opt{graph_extra} // '';
    }

    open my $fh, '>', "$dir/nginx.conf" or die $!;
    print $fh <<"CONF";
load_module $BUILD/modules/ngx_http_mana_module.so;
$user
worker_processes $d{workers};
pid $dir/nginx.pid;
error_log $dir/error.log info;
worker_shutdown_timeout 30s;
# a crashed worker leaves a core where kernel.core_pattern says
worker_rlimit_core 1g;
working_directory /tmp;

events {
    worker_connections @{[ $opt{worker_connections} // 2048 ]};
}

http {
    access_log $dir/access.log;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;

    mana_db_server $server;
    mana_db_user $db->{module_user};
    mana_db_password_file $db->{password_file};
    mana_db_name $db->{database};
    mana_db_pool_size $d{pool_size};
    mana_db_queue_size $d{queue_size};
    mana_db_queue_timeout $d{queue_timeout};
    mana_db_query_timeout $d{query_timeout};
    mana_db_connect_timeout $d{connect_timeout};
    $graph
@{[ $opt{http_extra} // '' ]}
    server {
        listen 127.0.0.1:$self->{port};

        mana_app_secret_file $dir/app_secret;
        mana_verify_token_file $dir/verify_token;
        mana_webhook_max_body $d{max_body};

        location = /webhook {
            mana_webhook;
        }

        location = /health {
            mana_health;
        }

        location = /static {
            return 200 "static\\n";
        }
@{[ $opt{server_extra} // '' ]}
    }
}
CONF
    close $fh;

    if ($opt{expect_config_error}) {
        my ($rc, $out) = run_cmd($self->nginx_cmd('-t'));
        return ($rc, $out);
    }

    my ($rc, $out) = run_cmd((defined $opt{cpu} ? ('taskset', '-c', $opt{cpu}) : ()),
                             $self->nginx_cmd());
    $rc == 0 or BAIL_OUT("nginx did not start: $out " . $self->error_log_text);
    wait_until(sub {
        IO::Socket::INET->new(PeerAddr => "127.0.0.1:$self->{port}") ? 1 : 0
    }, 10, 'nginx to listen') or BAIL_OUT('nginx is not listening');
    # the master listens before it forks: tests that look at the workers
    # need them to exist
    wait_until(sub { $self->worker_pids == $d{workers} }, 10, 'the workers')
        or BAIL_OUT('nginx started no workers');

    push @nginxes, $self;
    push @cleanup, sub { $self->stop };
    return $self;
}

# --- webhooks ------------------------------------------------------------

sub sign_body {
    my ($secret, $body) = @_;
    return 'sha256=' . hmac_sha256_hex($body, $secret);
}

my $seq = 0;

sub wh_text_message {
    my (%o) = @_;
    $seq++;
    return {
        from => $o{from} // '919000000001',
        id => $o{id} // "wamid.T$$.$seq." . int(rand 1e9),
        timestamp => $o{timestamp} // '1760000000',
        type => 'text',
        text => { body => $o{text} // 'Hi' },
    };
}

sub wh_status {
    my ($wamid, $status, %o) = @_;
    return { id => $wamid, status => $status,
             timestamp => $o{timestamp} // '1760000100',
             recipient_id => '919000000001', %{ $o{extra} // {} } };
}

# one entry, one change; messages, statuses and contacts as given
sub wh_payload {
    my (%o) = @_;
    my $value = {
        messaging_product => 'whatsapp',
        metadata => { display_phone_number => '15550000000',
                      phone_number_id => $o{phone_number_id}
                                         // '106540352242922' },
    };
    $value->{contacts} = $o{contacts} // [ { profile => { name => 'Test' },
        wa_id => '919000000001', user_id => 'IN.1000000001' } ];
    $value->{messages} = $o{messages} if $o{messages};
    $value->{statuses} = $o{statuses} if $o{statuses};
    return { object => 'whatsapp_business_account',
             entry => [ { id => '102290129340398',
                          changes => [ { field => 'messages',
                                         value => $value } ] } ] };
}

# --- the mock Graph API --------------------------------------------------

# Answers POST /<version>/<phone_number_id>/messages like Graph does,
# records every request (one JSON line each: method, path, body,
# authorization, content_type, host, to, time, status, the wamid of a
# success, and when a delayed one was answered), and can be told to answer
# the next requests with given errors: $mock->script({ code => 131047, ... }).
sub start_mock_graph {
    my (%opt) = @_;
    my $dir = $opt{dir} // tmpdir();
    my $port = $opt{port} // free_port();
    my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
        LocalPort => $port, Listen => 128, ReuseAddr => 1)
        or die "mock graph: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        setpgrp(0, 0);
        Mana::Test::MockGraph::serve($listen, $dir);
        POSIX::_exit(0);
    }
    close $listen;
    my $self = bless { port => $port, dir => $dir, pid => $pid },
                     'Mana::Test::MockGraph';
    push @cleanup, sub { $self->stop };
    return $self;
}

package Mana::Test::MockGraph;

sub url { "http://127.0.0.1:$_[0]{port}" }

# the listener and every connection it serves
sub stop {
    my ($self) = @_;
    return unless $self->{pid};
    # the listener leads a process group with its connections
    kill 'TERM', -$self->{pid};
    kill 'TERM', $self->{pid};
    waitpid($self->{pid}, 0);
    delete $self->{pid};
}

# the same mock, on the same port, its records kept
sub restart {
    my ($self) = @_;
    $self->stop;
    my $new = Mana::Test::start_mock_graph(dir => $self->{dir},
                                           port => $self->{port});
    $self->{pid} = delete $new->{pid};
}

sub requests {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/requests.jsonl" or return ();
    # the mock's processes append under an exclusive lock: no half line
    flock $fh, 1;
    return map { Mana::Test::json_decode($_) } <$fh>;
}

# What to answer to the next requests, in order, before going back to
# success.  Each entry is one of:
#   { code => 131047, http_status => 400, error_data => {...} }  a Graph error
#   { http_status => 502, body => 'Bad gateway' }               a bare answer
#   { action => 'reset' }       close the connection without answering
#   { action => 'hang', seconds => 5 }   answer nothing for a while, then close
#   { action => 'delay', seconds => 1 }  answer as usual, that much later
sub script {
    my ($self, @errors) = @_;
    open my $fh, '>>', "$self->{dir}/script.jsonl" or die $!;
    print $fh Mana::Test::json_encode($_), "\n" for @errors;
    close $fh;
}

sub next_error {
    my ($dir) = @_;
    local $/ = "\n";
    my $f = "$dir/script.jsonl";
    open my $fh, '+<', $f or return;
    flock $fh, 2;
    my @lines = <$fh>;
    my $first = shift @lines;
    seek $fh, 0, 0;
    truncate $fh, 0;
    print $fh @lines;
    close $fh;
    return $first ? Mana::Test::json_decode($first) : undef;
}

sub record {
    my ($dir, $rec) = @_;
    open my $log, '>>', "$dir/requests.jsonl" or die $!;
    flock $log, 2;
    print $log Mana::Test::json_encode($rec), "\n";
    close $log;
}

# one process per connection, so that keep-alive connections from several
# workers are served at once, as Graph would
sub serve {
    my ($listen, $dir) = @_;
    $SIG{TERM} = sub { POSIX::_exit(0) };
    $SIG{CHLD} = 'IGNORE';
    my $conn = 0;
    while (1) {
        my $c = $listen->accept or next;
        $conn++;
        my $pid = fork;
        if (!defined $pid) { close $c; next }
        if ($pid) { close $c; next }
        close $listen;
        serve_connection($c, $dir, $conn);
        POSIX::_exit(0);
    }
}

sub serve_connection {
    my ($c, $dir, $conn) = @_;
    my $n = 0;
    while (1) {
        local $/ = "\r\n";
        my $line = <$c>;
        last unless defined $line;
        my ($method, $path) = $line =~ m{^(\S+) (\S+)};
        my %h;
        while (defined(my $l = <$c>)) {
            last if $l eq "\r\n";
            $l =~ s/\r\n$//;
            my ($k, $v) = split /:\s*/, $l, 2;
            $h{lc $k} = $v;
        }
        my $body = '';
        read($c, $body, $h{'content-length'}) if $h{'content-length'};
        utf8::decode($body);    # recorded as text, as it was sent
        $n++;
        my $err = next_error($dir);
        my $to = eval { Mana::Test::json_decode($body)->{to} } // '';
        my $rec = { method => $method, path => $path, body => $body,
                    authorization => $h{authorization} // '',
                    content_type => $h{'content-type'} // '',
                    host => $h{host} // '', to => $to,
                    time => Time::HiRes::time() };
        if ($err && ($err->{action} // '') eq 'delay') {
            # a slow Graph: the answer comes, late
            sleep($err->{seconds} // 1);
            $rec->{answered} = Time::HiRes::time();
            undef $err;
        }
        if ($err && $err->{action}) {
            $rec->{status} = $err->{action};
            record($dir, $rec);
            sleep($err->{seconds} // 5) if $err->{action} eq 'hang';
            last;
        }
        my ($status, $out);
        if ($err && !defined $err->{code}) {
            $status = $err->{http_status} // 500;
            $out = $err->{body} // 'error';
        } elsif ($err) {
            $status = delete $err->{http_status} // 400;
            $out = Mana::Test::json_encode({ error => {
                message => "(#$err->{code}) mock error",
                type => 'OAuthException', fbtrace_id => "mock$$.$n", %$err } });
        } else {
            $status = 200;
            # recorded, so that a test can tell which outbox row it was
            $rec->{wamid} = "wamid.mock.$$.$conn.$n";
            $out = Mana::Test::json_encode({ messaging_product => 'whatsapp',
                contacts => [ { input => $to, wa_id => $to } ],
                messages => [ { id => $rec->{wamid} } ] });
        }
        $rec->{status} = $status;
        record($dir, $rec);
        print $c "HTTP/1.1 $status X\r\nContent-Type: application/json\r\n"
               . "Content-Length: " . length($out) . "\r\n\r\n$out";
        last if lc($h{connection} // '') eq 'close';
    }
    close $c;
}

package Mana::Test;

# --- the end of every test file ------------------------------------------

# stops nginx (a clean quit is part of what is checked), then fails the
# test file on any [alert], [emerg] or crashed worker in an error.log
# A citizen's side of a chat through the signed webhook, as the bot's
# end-to-end tests drive it: post() sends one message of a phone and
# returns the replies the mock Graph API received for it, once every
# reply the turn queued is there.  A 503 (the pool busy) is retried, as
# Meta retries.  chat($ngx, $graph, $dbh, $tag): $tag names the wamids.
sub chat {
    my ($ngx, $graph, $dbh, $tag) = @_;
    return bless { ngx => $ngx, graph => $graph, dbh => $dbh, tag => $tag,
                   seq => 0 }, 'Mana::Test::Chat';
}

package Mana::Test::Chat;

use Test::More;

# every message the mock received for a phone
sub received {
    my ($self, $phone) = @_;
    return map { Mana::Test::json_decode($_->{body}) }
           grep { $_->{to} eq $phone } $self->{graph}->requests;
}

sub post {
    my ($self, $phone, $msg) = @_;
    my $before = () = $self->received($phone);
    $msg->{from} = $phone;
    $msg->{id} = "wamid.$self->{tag}.$phone." . ++$self->{seq};
    $msg->{timestamp} = '' . time;
    my $body = Mana::Test::json_encode(Mana::Test::wh_payload(
        contacts => [ { wa_id => $phone, user_id => "IN.$phone" } ],
        messages => [ $msg ]));
    my $res;
    for (1 .. 50) {
        $res = $self->{ngx}->post_webhook($body);
        last if $res->{status} != 503;
        select undef, undef, undef, 0.1;
    }
    is($res->{status}, 200, 'webhook answered 200') or return ();
    Mana::Test::wait_until(sub {
        my ($queued) = $self->{dbh}->selectrow_array(
            'SELECT COUNT(*) FROM outbox WHERE to_phone = ?', undef, $phone);
        $queued > $before && scalar(() = $self->received($phone)) >= $queued;
    }, 15, 'the replies') or return ();
    my @all = $self->received($phone);
    return @all[$before .. $#all];
}

sub say {
    my ($self, $phone, $text) = @_;
    return $self->post($phone, { type => 'text', text => { body => $text } });
}

# a button (lang:, btn:) or a list row, by its id
sub tap {
    my ($self, $phone, $id) = @_;
    my $kind = $id =~ /^(lang|btn):/ ? 'button_reply' : 'list_reply';
    return $self->post($phone, { type => 'interactive', interactive => {
        type => $kind, $kind => { id => $id, title => 'x' } } });
}

package Mana::Test;

sub finish_tests {
    for my $n (@nginxes) {
        $n->stop;
        my @bad = $n->bad_log_lines;
        ok(!@bad, "error.log of nginx on port $n->{port} has no alert, "
                  . "emerg or crashed worker")
            or diag(join "\n", @bad, $n->crash_backtraces);
        # a test that failed had a reason the server may have logged
        if (!Test::More->builder->is_passing) {
            my @err = grep { /\[(error|crit)\]/ } split /\n/, $n->error_log_text;
            diag(join "\n", "error.log of nginx on port $n->{port}, its last errors:",
                 @err[($#err > 19 ? $#err - 19 : 0) .. $#err]) if @err;
        }
    }
    done_testing();
}

END {
    return if $$ != $owner;
    my $rc = $?;
    $_->() for reverse @cleanup;
    @cleanup = ();
    $? = $rc;
}

1;

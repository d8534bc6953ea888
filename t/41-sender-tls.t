#!/usr/bin/env perl
# The sender over TLS: a Graph endpoint whose certificate the configured CA
# file vouches for is used; one it does not, or one for another name, is
# refused and the message kept.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
my $dbh = $db->dbh;
my $graph = start_mock_graph();
my $dir = Mana::Test::tmpdir();

# a CA, and certificates for "localhost" from it and from a stranger
for my $ca (qw(ca other)) {
    system("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mana-test-$ca"
           . " -keyout $dir/$ca.key -out $dir/$ca.crt 2>/dev/null") == 0 or die 'CA';
}
for my $c ([ 'good', 'ca', 'localhost' ], [ 'stranger', 'other', 'localhost' ],
           [ 'wrongname', 'ca', 'graph.example.org' ]) {
    my ($name, $ca, $cn) = @$c;
    open my $e, '>', "$dir/$name.cnf" or die;
    print $e "subjectAltName=DNS:$cn\n";
    close $e;
    system("openssl req -newkey rsa:2048 -nodes -subj /CN=$cn -keyout $dir/$name.key"
           . " -out $dir/$name.csr 2>/dev/null && openssl x509 -req -in $dir/$name.csr"
           . " -CA $dir/$ca.crt -CAkey $dir/$ca.key -CAcreateserial -days 2"
           . " -extfile $dir/$name.cnf -out $dir/$name.crt 2>/dev/null") == 0 or die "cert $name";
}

# TLS in front of the mock: plain nginx, one server per certificate
my %port = map { $_ => Mana::Test::free_port() } qw(good stranger wrongname);
open my $conf, '>', "$dir/tls.conf" or die;
print $conf "pid $dir/tls.pid;\nevents {}\nhttp {\n  access_log off;\n"
    . "  client_body_temp_path $dir/body;\n  proxy_temp_path $dir/proxy;\n";
for my $name (sort keys %port) {
    print $conf "  server { listen 127.0.0.1:$port{$name} ssl; ssl_certificate $dir/$name.crt;"
        . " ssl_certificate_key $dir/$name.key;\n"
        . "    location / { proxy_pass " . $graph->url . "; proxy_http_version 1.1;"
        . " proxy_set_header Connection \"\";"
        . " proxy_set_header Host \$http_host; } }\n";
}
print $conf "}\n";
close $conf;
system("nginx -p $dir -c $dir/tls.conf -e $dir/tls-error.log") == 0 or die 'tls nginx';
END { system("nginx -p $dir -c $dir/tls.conf -e $dir/tls-error.log -s quit 2>/dev/null") if $dir }

my $n = 0;
sub enqueue {
    my $to = '9166' . sprintf('%08d', ++$n);
    $dbh->do(q{INSERT INTO outbox (phone_number_id, to_phone, payload) VALUES (?, ?, ?)},
             undef, '106540352242922', $to,
             json_encode({ messaging_product => 'whatsapp', to => $to, type => 'text',
                           text => { body => 'over TLS' } }));
    return ($dbh->last_insert_id, $to);
}
sub state_of { scalar $dbh->selectrow_array('SELECT state FROM outbox WHERE id = ?', undef, $_[0]) }

# trusted
my $ngx = start_nginx($db, graph => "https://localhost:$port{good}",
                      graph_extra => "mana_graph_ca_file $dir/ca.crt;");
my ($id, $to) = enqueue();
ok(wait_until(sub { state_of($id) == 2 }, 15, 'delivery over TLS'), 'a trusted certificate: delivered');
my ($req) = grep { $_->{to} eq $to } $graph->requests;
is($req->{host}, "localhost:$port{good}", 'with the Host header of the URL');
$ngx->stop;
$dbh->do('DELETE FROM outbox');

for my $case ([ 'stranger', 'an untrusted certificate', qr/certificate of .* refused/ ],
              [ 'wrongname', 'a certificate for another name', qr/certificate does not match "localhost"/ ]) {
    my ($name, $what, $log) = @$case;
    my $bad = start_nginx($db, graph => "https://localhost:$port{$name}",
                          graph_extra => "mana_graph_ca_file $dir/ca.crt;");
    my ($bid, $bto) = enqueue();
    ok(wait_until(sub { $bad->error_log_text =~ $log }, 15, 'the refusal'), "$what: refused") 
        or diag $bad->error_log_text;
    sleep 1;
    isnt(state_of($bid), 2, "$what: not delivered");
    is(scalar(grep { $_->{to} eq $bto } $graph->requests), 0, "$what: nothing reached Graph");
    isnt(scalar $dbh->selectrow_array('SELECT state FROM outbox WHERE id = ?', undef, $bid), 3,
         "$what: the message is kept for a retry");
    $bad->stop;
    $dbh->do('DELETE FROM outbox');
}

finish_tests();

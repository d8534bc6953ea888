#!/usr/bin/env perl
# The mock Graph API that the outbound sender's tests rely on answers as
# Graph does: message ids on success, Graph's error shape when scripted.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use Mana::Test;

my $g = start_mock_graph();
my $http = HTTP::Tiny->new(keep_alive => 1);
my $send = sub {
    $http->post($g->url . '/v25.0/106540352242922/messages', {
        headers => { Authorization => 'Bearer tok', 'Content-Type' => 'application/json' },
        content => json_encode({ messaging_product => 'whatsapp', to => $_[0],
                                 type => 'text', text => { body => 'hello' } }) });
};

my $r = $send->('919000000001');
is($r->{status}, 200, 'a send: 200');
my $j = json_decode($r->{content});
like($j->{messages}[0]{id}, qr/^wamid\./, 'with a message id');
is($j->{contacts}[0]{wa_id}, '919000000001', 'and the contact');

$g->script({ code => 131047, http_status => 400,
             error_data => { details => 'more than 24 hours have passed' } },
           { code => 130429, http_status => 429 });
$r = $send->('919000000002');
is($r->{status}, 400, 'scripted error: its HTTP status');
$j = json_decode($r->{content});
is($j->{error}{code}, 131047, 'Graph error code');
like($j->{error}{error_data}{details}, qr/24 hours/, 'and details');
ok($j->{error}{fbtrace_id}, 'and a trace id');
is($send->('919000000003')->{status}, 429, 'errors are answered in order');
is($send->('919000000004')->{status}, 200, 'then success again');

my @req = $g->requests;
is(scalar @req, 4, 'every request recorded');
is($req[0]{path}, '/v25.0/106540352242922/messages', 'with its path');
is($req[0]{authorization}, 'Bearer tok', 'its bearer token');
is(json_decode($req[1]{body})->{to}, '919000000002', 'and its body');

done_testing();

#!/usr/bin/env perl
# The sandbox: the page and its assets, api/send's validation, a whole
# conversation through the real webhook path with the replies that the real
# sender delivered to the built-in Graph stand-in, the stand-in's token
# check and bound, and the off switch.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(sleep);
use Mana::Test;

my $top = $Mana::Test::TOP;

# --- the embedded page is the one in web/sandbox/ ---------------------------

{
    my $want = `perl $top/web/embed-sandbox.pl $top/web/sandbox`;
    is($?, 0, 'the asset generator runs');
    open my $fh, '<:raw', "$top/ngx_mana_module/ngx_http_mana_sandbox_assets.h" or die $!;
    my $have = do { local $/; <$fh> };
    ok($have eq $want, 'ngx_http_mana_sandbox_assets.h matches web/sandbox/ '
       . '(regenerate: perl web/embed-sandbox.pl web/sandbox > '
       . 'ngx_mana_module/ngx_http_mana_sandbox_assets.h)');
}

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;

# The stand-in is reached on a second server of the same nginx, whose port
# is known before nginx starts (the harness picks the first one itself); it
# has the sandbox in a location, the first server has it server-wide.
my $gport = Mana::Test::free_port();
my $notice = "http://127.0.0.1:$gport/mana/sandbox/privacy";
my $ngx = start_nginx($db, workers => 2,
    graph => "http://127.0.0.1:$gport/mana/sandbox/graph",
    http_extra => "mana_bot on; mana_catalogue_check 200ms;\n"
                . "    mana_notice_url $notice; mana_notice_version v1;\n"
                . "    server {\n"
                . "        listen 127.0.0.1:$gport;\n"
                . "        location /mana/sandbox/ { mana_sandbox on; }\n"
                . "    }\n",
    server_extra => "mana_sandbox on;\n"
                  . "        location /mana/sandbox/off/ { mana_sandbox off; }\n");
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the workers loaded the demo catalogue');

my $http = HTTP::Tiny->new(timeout => 30);
sub get { $http->get($ngx->url($_[0])) }
sub api_send {
    my ($body, %h) = @_;
    $body = json_encode($body) if ref $body;
    return $http->post($ngx->url('/mana/sandbox/api/send'), { content => $body,
        headers => { 'Content-Type' => 'application/json', %h } });
}

# --- the page ---------------------------------------------------------------

my %types = ('/mana/sandbox/' => 'text/html; charset=utf-8',
             '/mana/sandbox/index.html' => 'text/html; charset=utf-8',
             '/mana/sandbox/app.js' => 'text/javascript; charset=utf-8',
             '/mana/sandbox/style.css' => 'text/css; charset=utf-8',
             '/mana/sandbox/privacy' => 'text/html; charset=utf-8');
for my $path (sort keys %types) {
    my $r = get($path);
    is($r->{status}, 200, "GET $path: 200");
    is($r->{headers}{'content-type'}, $types{$path}, "  as $types{$path}");
    is($r->{headers}{'cache-control'}, 'no-store', '  not cached');
    like($r->{headers}{'content-security-policy'} // '', qr/default-src 'self'/, '  a strict CSP');
    unlike($r->{headers}{'content-security-policy'} // '', qr/unsafe/, '  with nothing unsafe');
    is($r->{headers}{'x-content-type-options'}, 'nosniff', '  nosniff');
}
my $page = get('/mana/sandbox/')->{content};
like($page, qr/<script src="app\.js"/, 'the page loads its script');
unlike($page, qr{(?:src|href)="(?:https?:)?//}, 'and nothing from elsewhere');
unlike($page, qr/<script>|style="/, 'no inline script or style (the CSP forbids them)');
my $privacy = get('/mana/sandbox/privacy')->{content};
utf8::decode($privacy);
like($privacy, qr/Your data on Mana Mitra/, 'the privacy notice in English');
like($privacy, qr/మన మిత్రలో మీ సమాచారం/, 'and in Telugu');
is(get('/mana/sandbox/privacy')->{content}, $http->get("$notice")->{content},
   'served on the stand-in server too (the notice link of the test)');

my $r = HTTP::Tiny->new(max_redirect => 0)->get($ngx->url('/mana/sandbox'));
is($r->{status}, 301, '/mana/sandbox redirects');
like($r->{headers}{location}, qr{/mana/sandbox/$}, '  to /mana/sandbox/');
is(get('/mana/sandbox/nothing.js')->{status}, 404, 'an unknown asset: 404');
is($http->post($ngx->url('/mana/sandbox/app.js'))->{status}, 405, 'POST to an asset: 405');
is(get('/mana/sandbox/off/')->{status}, 404, 'mana_sandbox off in a location: 404 there');
is(get('/mana/sandbox/api/send')->{status}, 405, 'GET api/send: 405');

# --- api/send refuses what Meta would never send ----------------------------

my $from = '919300000001';
my @bad = (
    ['not json', 'Hi'],
    ['not an object', '["Hi"]'],
    ['no from', { text => 'Hi' }],
    ['from too short', { from => '123456789', text => 'Hi' }],
    ['from too long', { from => '1234567890123456', text => 'Hi' }],
    ['from with letters', { from => '91930000000a', text => 'Hi' }],
    ['from as a number', { from => 919300000001, text => 'Hi' }],
    ['empty text', { from => $from, text => '   ' }],
    ['text of 4097 characters', { from => $from, text => 'అ' x 4097 }],
    ['text not a string', { from => $from, text => { body => 'Hi' } }],
    ['text and reply', { from => $from, text => 'Hi', reply => { id => 'lang:en' } }],
    ['no message', { from => $from }],
    ['an unknown field', { from => $from, text => 'Hi', extra => 1 }],
    ['reply id too long', { from => $from, reply => { id => 'x' x 257, title => 'x' } }],
    ['reply without id', { from => $from, reply => { title => 'x' } }],
    ['reply of another kind', { from => $from, reply => { id => 'a', kind => 'flow' } }],
    ['location out of range', { from => $from, location => { latitude => 91, longitude => 80 } }],
    ['image not true', { from => $from, image => 'yes' }],
    ['duplicate keys', '{"from":"919300000001","from":"919300000002","text":"Hi"}'],
);
for my $case (@bad) {
    my ($what, $body) = @$case;
    my $res = api_send($body);
    is($res->{status}, 400, "api/send, $what: 400");
    my $j = eval { json_decode($res->{content}) };
    ok($j && length($j->{error} // ''), "  with a JSON error") or diag $res->{content};
}
$r = api_send({ from => $from, text => 'Hi' }, 'Content-Type' => 'text/plain');
is($r->{status}, 415, 'api/send of text/plain: 415 (a cross-site form cannot post JSON)');
$r = api_send(json_encode({ from => $from, text => 'x' x 17000 }));
is($r->{status}, 413, 'a body over 16 KiB: 413');
ok(eval { json_decode($r->{content})->{error} }, '  with a JSON error');
is(scalar $dbh->selectrow_array('SELECT COUNT(*) FROM message_in'), 0,
   'nothing refused was stored');

# --- a conversation, read back from what the stand-in received -------------

package Sandboxer {
    sub new { bless { phone => $_[1], after => 0 }, $_[0] }
    sub fetch {
        my ($s) = @_;
        my $res = $http->get($ngx->url("/mana/sandbox/api/messages?to=$s->{phone}&after=$s->{after}"));
        Test::More::is($res->{status}, 200, 'api/messages: 200') or return ();
        my @m = @{ Mana::Test::json_decode($res->{content})->{messages} };
        $s->{after} = $m[-1]{id} if @m;
        return @m;
    }
    sub post {
        my ($s, $msg) = @_;
        my $res = main::api_send({ from => $s->{phone}, %$msg });
        Test::More::is($res->{status}, 200, 'api/send: 200') or Test::More::diag($res->{content});
        my @new;
        Mana::Test::wait_until(sub { push @new, $s->fetch; scalar @new }, 10, 'a reply')
            or return ();
        # a turn may send several: until the outbox holds none unsent
        Mana::Test::wait_until(sub { !$dbh->selectrow_array(
            'SELECT COUNT(*) FROM outbox WHERE to_phone = ? AND state < 2', undef, $s->{phone}) },
            10, 'the outbox to drain');
        push @new, $s->fetch;
        return map { $_->{payload} } @new;
    }
    sub say { $_[0]->post({ text => $_[1] }) }
    sub tap { $_[0]->post({ reply => { id => $_[1], title => $_[3] // $_[1],
                                        kind => $_[2] ? 'list' : 'button' } }) }
}

sub ids {
    my ($m) = @_;
    my $a = $m->{interactive}{action} // {};
    return (map({ $_->{reply}{id} } @{ $a->{buttons} // [] }),
            map({ map { $_->{id} } @{ $_->{rows} } } @{ $a->{sections} // [] }));
}
sub all_ids { map { ids($_) } @_ }
sub text_of { my ($m) = @_; $m->{text}{body} // $m->{interactive}{body}{text} // '' }

my $ravi = Sandboxer->new('919300000002');
my @r = $ravi->say('Hi');
my %ids = map { $_ => 1 } all_ids(@r);
ok($ids{'lang:te'} && $ids{'lang:en'}, '"Hi": the language buttons');
is($r[-1]{to}, $ravi->{phone}, 'addressed to the sandbox citizen');
my $in = $dbh->selectrow_hashref(q{SELECT * FROM message_in WHERE sender_phone = ? ORDER BY id LIMIT 1},
                                 undef, $ravi->{phone});
like($in->{wamid}, qr/^wamid\.sandbox\.[0-9a-f]{32}$/, 'stored through the webhook path, with a sandbox wamid');
is($in->{phone_number_id}, 'sandbox', 'for the sandbox number id');
my $out = $dbh->selectrow_hashref(q{SELECT * FROM outbox WHERE to_phone = ? ORDER BY id LIMIT 1},
                                  undef, $ravi->{phone});
is($out->{state}, 2, 'the outbox row was accepted by the stand-in');
like($out->{wamid}, qr/^wamid\.sandbox\.out\.[0-9a-f]{32}$/, "  and records the stand-in's wamid");

@r = $ravi->tap('lang:en', 0, 'English');
like(text_of($r[-1]), qr/privacy|personal|data/i, 'English: the privacy notice');
like(text_of($r[-1]), qr/\Q$notice\E/, '  linking to the notice the sandbox serves');
ok((grep { $_ eq 'btn:accept' } ids($r[-1])), '  with an accept button');

@r = $ravi->tap('btn:accept', 0, 'OK, continue');
ok((grep { /^dept:/ } all_ids(@r)), 'accepted: the menu list of departments');

@r = $ravi->tap('dept:REV', 1, 'Revenue');
ok((grep { $_ eq 'svc:REV-INC' } all_ids(@r)), 'Revenue: the income certificate row');

@r = $ravi->tap('svc:REV-INC', 1, 'Income certificate');
ok(length text_of($r[-1]), 'the form asks: ' . text_of($r[-1]));
@r = $ravi->say('Ravi Kumar');
@r = $ravi->say('Suresh Kumar');
ok((grep { /^opt:/ } all_ids(@r)), 'the district is a list')
    or diag explain \@r;
@r = $ravi->tap('opt:Guntur', 1, 'Guntur');
@r = $ravi->say('85000');
for (1 .. 6) {
    last if grep { $_ eq 'btn:confirm' } all_ids(@r);
    @r = (grep { $_ eq 'btn:skip' } all_ids(@r)) ? $ravi->tap('btn:skip', 0, 'Skip') : $ravi->say('skip');
}
ok((grep { $_ eq 'btn:confirm' } all_ids(@r)), 'the summary, with Confirm');
@r = $ravi->tap('btn:confirm', 0, 'Confirm');
my ($ref) = join("\n", map { text_of($_) } @r) =~ /\b(REV-INC-\d{4}-\d{6})\b/;
ok($ref, 'confirmed: the reference ' . ($ref // '(none)'));
my $app = $dbh->selectrow_hashref('SELECT * FROM application WHERE ref = ?', undef, $ref // '');
is($app && $app->{district}, 'Guntur', 'the application is stored, for Guntur');

# a location and a photo are taken as Meta would send them
$r = api_send({ from => '919300000003', location => { latitude => 16.5, longitude => 80.6 } });
is($r->{status}, 200, 'a location: 200');
$r = api_send({ from => '919300000003', image => JSON::PP::true() });
is($r->{status}, 200, 'a photo: 200');
is_deeply($dbh->selectcol_arrayref(q{SELECT type FROM message_in WHERE sender_phone = '919300000003'
                                     ORDER BY id}), ['location', 'image'], '  stored with their types');

$r = get("/mana/sandbox/api/messages?to=1'or'1&after=0");
is($r->{status}, 400, 'api/messages with a bad recipient: 400');
$r = get("/mana/sandbox/api/messages?to=$ravi->{phone}&after=x");
is($r->{status}, 400, 'api/messages with a bad after: 400');

# --- the stand-in ---------------------------------------------------------------

my $graph_url = "http://127.0.0.1:$gport/mana/sandbox/graph/v25.0/sandbox/messages";
sub graph_post {
    my ($token, $body) = @_;
    return $http->post($graph_url, { content => json_encode($body), headers => {
        'Content-Type' => 'application/json',
        defined $token ? (Authorization => "Bearer $token") : () } });
}
my $msg = { messaging_product => 'whatsapp', to => '919300000009', type => 'text',
            text => { body => 'hello' } };
$r = graph_post('wrong-token', $msg);
is($r->{status}, 401, 'the stand-in refuses a wrong bearer token: 401');
is(eval { json_decode($r->{content})->{error}{code} }, 190, '  with Graph\'s code 190');
$r = graph_post(undef, $msg);
is($r->{status}, 401, '  and no token: 401');
$r = graph_post($ngx->{graph_token} . 'x', $msg);
is($r->{status}, 401, '  and a longer one: 401');
$r = graph_post($ngx->{graph_token}, { %$msg, to => "1' OR '1" });
is($r->{status}, 400, 'a bad recipient: 400');
$r = graph_post($ngx->{graph_token}, $msg);
is($r->{status}, 200, 'the right token: 200');
my $g = json_decode($r->{content});
is($g->{messaging_product}, 'whatsapp', "  answered as Graph does");
is($g->{contacts}[0]{wa_id}, '919300000009', '  with the wa_id');
like($g->{messages}[0]{id}, qr/^wamid\./, '  and a wamid');
my $seen = Sandboxer->new('919300000009');
my @m = $seen->fetch;
is(scalar @m, 1, 'api/messages shows what the stand-in received');
is_deeply($m[0]{payload}, $msg, '  exactly');
is($http->get($graph_url)->{status}, 405, 'GET on the stand-in: 405');
is($http->post("http://127.0.0.1:$gport/mana/sandbox/graph/v25.0/messages")->{status}, 404,
   'a path that is not /<version>/<id>/messages: 404');

for my $i (1 .. 205) {
    graph_post($ngx->{graph_token}, { %$msg, text => { body => "n$i" } })->{status} == 200
        or fail("message $i to the stand-in"), last;
}
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM sandbox_message WHERE recipient = '919300000009'}),
   200, 'the stand-in keeps the last 200 messages of a recipient');
is(scalar $dbh->selectrow_array(q{SELECT JSON_VALUE(payload, '$.text.body') FROM sandbox_message
                                  WHERE recipient = '919300000009' ORDER BY id LIMIT 1}),
   'n6', '  the newest ones');

# --- the off switch -------------------------------------------------------------

my $plain = start_nginx($db);
for my $p ('/mana/sandbox/', '/mana/sandbox/app.js', '/mana/sandbox/api/messages?to=919300000002') {
    is($http->get($plain->url($p))->{status}, 404, "without mana_sandbox: GET $p is 404");
}
is($http->post($plain->url('/mana/sandbox/api/send'), { content => '{}' })->{status}, 404,
   'without mana_sandbox: POST api/send is 404');
is($http->post($plain->url('/mana/sandbox/graph/v25.0/sandbox/messages'), { content => '{}' })->{status},
   404, 'without mana_sandbox: the stand-in is 404');

finish_tests();

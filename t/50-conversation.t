#!/usr/bin/env perl
# Whole conversations through real nginx, MariaDB and the mock Graph API:
# what the citizen sends goes through the signed webhook, what the bot
# answers is what the sender delivered to the mock.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();
my $ngx = start_nginx($db, workers => 2, graph => $graph,
    http_extra => 'mana_bot on; mana_catalogue_check 200ms; '
                . 'mana_notice_url https://mana.example.gov.in/privacy; '
                . 'mana_notice_version v1;');
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the workers loaded the demo catalogue');

# --- a citizen ---------------------------------------------------------------

package Citizen {
    my $seq = 0;
    sub new {
        my ($class, $phone) = @_;
        return bless { phone => $phone, seen => 0 }, $class;
    }
    # every reply the mock received for this citizen so far
    sub all { my ($s) = @_; grep { $_->{to} eq $s->{phone} } $graph->requests }
    sub post {
        my ($s, $msg, $want) = @_;
        $seq++;
        $msg->{from} = $s->{phone};
        $msg->{id} //= "wamid.conv.$s->{phone}.$seq";
        $msg->{timestamp} //= '' . time;
        my $body = Mana::Test::json_encode(Mana::Test::wh_payload(
            contacts => [ { wa_id => $s->{phone}, user_id => "IN.$s->{phone}" } ],
            messages => [ $msg ]));
        # like Meta, send again while the answer is 503 (a worker that has
        # just started may not have its catalogue yet)
        my $r;
        for (1 .. 50) {
            $r = $ngx->post_webhook($body);
            last if $r->{status} != 503;
            select undef, undef, undef, 0.1;
        }
        Test::More::is($r->{status}, 200, "webhook answered 200") or return ();
        # the 200 means the turn's replies are in the outbox: wait until
        # the mock has received every one of them
        Mana::Test::wait_until(sub {
            my ($queued) = $dbh->selectrow_array(
                'SELECT COUNT(*) FROM outbox WHERE to_phone = ?', undef, $s->{phone});
            $queued > $s->{seen} && scalar($s->all) >= $queued;
        }, 15, 'the replies') or return ();
        my @all = $s->all;
        my @new = @all[$s->{seen} .. $#all];
        $s->{seen} = @all;
        return map { Mana::Test::json_decode($_->{body}) } @new;
    }
    sub say { $_[0]->post({ type => 'text', text => { body => $_[1] } }) }
    sub tap {
        my ($s, $id, $list) = @_;
        my $kind = $list ? 'list_reply' : 'button_reply';
        $s->post({ type => 'interactive', interactive => { type => $kind,
                   $kind => { id => $id, title => 'x' } } });
    }
}

# what a reply offers: button and row ids, and its text
sub ids {
    my ($m) = @_;
    my $a = $m->{interactive}{action} // {};
    return (map({ $_->{reply}{id} } @{ $a->{buttons} // [] }),
            map({ map { $_->{id} } @{ $_->{rows} } } @{ $a->{sections} // [] }));
}
sub text_of { my ($m) = @_; $m->{text}{body} // $m->{interactive}{body}{text} // '' }
sub last_of { $_[-1] }

# the Cloud API limits on every message the mock ever received
sub check_limits {
    my $bad = 0;
    for my $r ($graph->requests) {
        my $m = json_decode($r->{body});
        my $ia = $m->{interactive} or next;
        my @b = @{ $ia->{action}{buttons} // [] };
        my $rows = 0;
        $rows += @{ $_->{rows} } for @{ $ia->{action}{sections} // [] };
        $bad++ if @b > 3 || $rows > 10 || length($ia->{body}{text}) > 1024
            || grep({ length($_->{reply}{title}) > 20 } @b)
            || grep({ grep { length($_->{title}) > 24 || length($_->{description} // '') > 72 }
                      @{ $_->{rows} } } @{ $ia->{action}{sections} // [] });
    }
    return $bad;
}

# --- English: first contact to an application reference -----------------

my $ravi = Citizen->new('919100000001');
my @r = $ravi->say('Hi');
my %ids = map { $_ => 1 } map { ids($_) } @r;
ok($ids{'lang:te'} && $ids{'lang:en'} && $ids{'lang:hi'}, 'first contact: the language choice');

@r = $ravi->tap('lang:en');
like(text_of($r[-1]), qr/privacy|personal|data/i, 'then the privacy notice, in English');
like(text_of($r[-1]), qr{https://mana\.example\.gov\.in/privacy}, 'with the link to the full notice');
ok((grep { $_ eq 'btn:accept' } ids($r[-1])), 'and an accept button');

@r = $ravi->tap('btn:accept');
my @menu = grep { grep { /^dept:/ } ids($_) } @r;
ok(@menu, 'accepting shows the main menu of departments');
is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM consent c JOIN citizen z ON z.id = c.citizen_id
                                  WHERE z.phone = ? AND c.notice_version = 'v1'}, undef, $ravi->{phone}),
   1, 'the acceptance is recorded with the notice version');
ok((grep { /^menu:2$/ } ids($menu[0])), 'the menu pages ("More...")');

@r = $ravi->tap('menu:2', 1);
ok((grep { /^dept:/ } map { ids($_) } @r), 'page 2 lists more departments');

@r = $ravi->tap('dept:REV', 1);
ok((grep { $_ eq 'svc:REV-INC' } map { ids($_) } @r), 'Revenue lists the income certificate');

@r = $ravi->tap('svc:REV-INC', 1);
my ($q) = split /\n/, text_of($r[-1]);
ok(length $q, "the form's first question: $q");

# answers: name, father's name, district, income; an invalid income first
my @answers = ('Ravi Kumar', 'Suresh Kumar', 'Guntur');
for my $a (@answers) {
    @r = $ravi->say($a);
}
@r = $ravi->say('a lot');
like(text_of($r[-1]), qr/amount|income|number|valid|rupees/i, 'an invalid income is refused, and asked again');
@r = $ravi->say('85,000');
# optional fields may follow: skip them until the summary's buttons come
for (1 .. 6) {
    last if grep { $_ eq 'btn:confirm' } map { ids($_) } @r;
    @r = (grep { $_ eq 'btn:skip' } map { ids($_) } @r) ? $ravi->tap('btn:skip') : $ravi->say('skip');
}
my ($summary) = grep { grep { $_ eq 'btn:confirm' } ids($_) } @r;
ok($summary, 'a summary with Confirm / Edit / Cancel');
like(text_of($summary), qr/Ravi Kumar/, 'showing the answers');

@r = $ravi->tap('btn:confirm');
my ($ref) = text_of($r[-1]) =~ /\b(REV-INC-\d{4}-\d{6})\b/;
ok($ref, "confirmed: the reference $ref") or diag text_of($r[-1]);
my $app = $dbh->selectrow_hashref('SELECT * FROM application WHERE ref = ?', undef, $ref // '');
ok($app, 'the application is stored');
is($app->{status}, 'submitted', 'submitted');
is($app->{district}, 'Guntur', 'for the district given');
ok($app->{office_id}, "routed to an office of that district ($app->{office_id})");
is(json_decode($app->{fields})->{annual_income} =~ /85/ ? 1 : 0, 1, 'with the answers');
ok($app->{due_date}, "and its SLA date ($app->{due_date})");

# status lookup of that reference
@r = $ravi->say("status $ref");
like(join("\n", map { text_of($_) } @r), qr/\Q$ref\E/, 'status <ref> answers with the status');
@r = $ravi->say('status REV-INC-2026-999999');
like(join("\n", map { text_of($_) } @r), qr/REV-INC-2026-999999/, 'an unknown reference is said so');

# a deep link's text starts a service directly
@r = $ravi->say('REV-CST');
ok(scalar(@r), 'a service code opens that service');

# cancel midway
@r = $ravi->say('cancel');
ok(scalar(@r), 'cancel answers');

# search hit and miss
@r = $ravi->say('ration card');
ok((grep { /^svc:CSUP-/ } map { ids($_) } @r), 'search finds the ration card services');
@r = $ravi->say('qwertyuiop zxcv');
ok(scalar(@r), 'a search with no match answers too');

# --- a grievance with a photo and a location, across a reload ------------

@r = $ravi->say('PGRS-NEW');
ok((grep { /^opt:/ } map { ids($_) } @r), 'a grievance asks its category first');
@r = $ravi->tap('opt:revenue');
@r = $ravi->say('The survey of my land has been pending for six months');
@r = $ravi->say('Guntur');

# nginx reloads in the middle of the conversation: it goes on
$ngx->reload;
@r = $ravi->say('Tenali');
like(join("\n", map { text_of($_) } @r), qr/photo|image/i, 'after a reload, the conversation goes on: the photo question');
@r = $ravi->post({ type => 'image', image => { id => '1479537139650973', mime_type => 'image/jpeg',
                                                sha256 => 'x', caption => 'the land' } });
like(join("\n", map { text_of($_) } @r), qr/location/i, 'then the location');
@r = $ravi->post({ type => 'location', location => { latitude => 16.2379, longitude => 80.6469,
                                                      name => 'Tenali' } });
my ($gref) = join("\n", map { text_of($_) } @r) =~ /\b(PGRS-NEW-\d{4}-\d{6})\b/;
ok($gref, "the grievance is registered: $gref") or diag join("\n", map { text_of($_) } @r);
my $grv = $dbh->selectrow_hashref('SELECT * FROM grievance WHERE ref = ?', undef, $gref // '');
is($grv->{media_id}, '1479537139650973', 'with the photo');
ok(abs($grv->{latitude} - 16.2379) < 1e-4 && abs($grv->{longitude} - 80.6469) < 1e-4, 'and the location');
is($grv->{category}, 'revenue', 'and the category');
ok($grv->{due_date}, "due $grv->{due_date}");

# --- Telugu --------------------------------------------------------------

my $lakshmi = Citizen->new('919100000002');
$lakshmi->say('హాయ్');
@r = $lakshmi->tap('lang:te');
like(text_of($r[-1]), qr/[\x{0C00}-\x{0C7F}]/, 'the notice in Telugu');
@r = $lakshmi->tap('btn:accept');
ok((grep { /^dept:/ } map { ids($_) } @r), 'the menu');
my ($list) = grep { $_->{interactive}{action}{sections} } @r;
like(join(' ', map { map { $_->{title} } @{ $_->{rows} } } @{ $list->{interactive}{action}{sections} }),
     qr/[\x{0C00}-\x{0C7F}]/, 'with Telugu department names');
is(scalar $dbh->selectrow_array('SELECT language FROM citizen WHERE phone = ?', undef, $lakshmi->{phone}),
   'te', "the citizen's language is kept");

# --- the same message twice: one answer ----------------------------------

my $dup = { type => 'text', text => { body => 'menu' }, id => 'wamid.conv.dup.1' };
$lakshmi->post({ %$dup });
my $before = scalar($lakshmi->all);
my $r2 = $ngx->post_webhook(wh_payload(contacts => [ { wa_id => $lakshmi->{phone} } ],
    messages => [ { %$dup, from => $lakshmi->{phone}, timestamp => '1760000000' } ]));
is($r2->{status}, 200, 'a retried delivery: 200');
is(json_decode($r2->{content})->{duplicate}, 1, 'recognised as a duplicate');
sleep 1;
is(scalar($lakshmi->all), $before, 'and not answered again');

# --- concurrency: two messages of one citizen at once; many citizens ------

my $c1 = json_encode(wh_payload(contacts => [ { wa_id => '919100000003' } ], messages => [
    { from => '919100000003', id => 'wamid.cc.1', timestamp => '1760000000', type => 'text', text => { body => 'Hi' } } ]));
my $c2 = json_encode(wh_payload(contacts => [ { wa_id => '919100000003' } ], messages => [
    { from => '919100000003', id => 'wamid.cc.2', timestamp => '1760000001', type => 'text', text => { body => 'Hi' } } ]));
my @res = $ngx->concurrent_posts($c1, $c2);
is(scalar(grep { $_->[0] == 200 } @res), 2, 'two messages of one citizen at once: both 200');
is(scalar $dbh->selectrow_array(q{SELECT version FROM session s JOIN citizen c ON c.id = s.citizen_id
                                  WHERE c.phone = '919100000003'}), 1,
   'the session was updated twice, one after the other (no lost update)');

my @many = map {
    json_encode(wh_payload(contacts => [ { wa_id => "91920000$_" } ], messages => [
        { from => "91920000$_", id => "wamid.many.$_", timestamp => '1760000000', type => 'text', text => { body => 'Hi' } } ]))
} 1000 .. 1099;
@res = $ngx->concurrent_posts(@many);
is(scalar(grep { $_->[0] != 200 && $_->[0] != 503 } @res), 0,
   '100 citizens at once: every one answered 200, or 503 to be retried');
# Meta retries what was not answered 200
my @again = map { $many[$_] } grep { $res[$_][0] != 200 } 0 .. $#many;
for (1 .. 20) {
    last unless @again;
    my @r2 = $ngx->concurrent_posts(@again);
    @again = map { $again[$_] } grep { $r2[$_][0] != 200 } 0 .. $#again;
}
is(scalar @again, 0, 'after retries, all 100 stored');
ok(wait_until(sub { scalar(grep { $_->{to} =~ /^91920000/ } $graph->requests) >= 100 }, 30, 'replies'),
   'and every one of them answered');

# --- STOP: confirmed, and recorded in the consent ledger --------------------

{
    my $uma = Citizen->new('919100000010');
    $uma->say('Hi');
    $uma->tap('lang:te');
    $uma->tap('btn:accept');
    @r = $uma->say('STOP');
    is(scalar @r, 1, 'STOP: one answer');
    like(text_of($r[0]), qr/ఇకపై మన మిత్ర నుంచి మీకు సందేశాలు రావు/, 'in Telugu, saying no more messages will come');
    is_deeply($dbh->selectall_arrayref(q{SELECT k.basis, k.purposes, k.lang FROM consent k
                                         JOIN citizen c ON c.id = k.citizen_id
                                         WHERE c.phone = ? ORDER BY k.id}, undef, $uma->{phone}),
              [ ['7(b)', '["service_delivery"]', 'te'], ['withdrawn', '["messages"]', 'te'] ],
              'the ledger holds the notice, then the withdrawal, as rows of their own');
    @r = $uma->say('Hi');
    like(join("\n", map { text_of($_) } @r), qr/మళ్లీ స్వాగతం/, 'writing again turns messages back on');
}

is(check_limits(), 0, 'every message sent kept within the Cloud API limits');

# --- an idle session expires; an unfinished form is not continued ----------

my $short = start_nginx($db, workers => 1, graph => $graph,
    http_extra => 'mana_bot on; mana_catalogue_check 200ms; mana_session_idle 5s;');
ok(wait_until(sub { my ($h) = $short->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'a second nginx with a 5 s idle limit');
{
    my $main = $ngx;
    $ngx = $short;
    my $sita = Citizen->new('919100000009');
    $sita->say('Hi');
    $sita->tap('lang:en');
    $sita->tap('btn:accept');
    @r = $sita->say('REV-INC');
    sleep 6;
    @r = $sita->say('Sita Devi');
    like(join("\n", map { text_of($_) } @r), qr/closed|expired|again/i,
         'an answer after the idle limit: the form was closed, said so');
    ok((grep { /^(dept|menu|pop):/ } map { ids($_) } @r), 'and the menu offered');
    is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM application a JOIN citizen c
                                      ON c.id = a.citizen_id WHERE c.phone = ?}, undef, $sita->{phone}),
       0, 'nothing was submitted');
    $ngx = $main;
}

finish_tests();

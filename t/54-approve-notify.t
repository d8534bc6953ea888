#!/usr/bin/env perl
# From the chat to the certificate and back: citizens apply for an income
# certificate through the signed webhook (real nginx, MariaDB and the mock
# Graph API), an officer decides with mmctl, and the module's sender
# delivers the decision.  Inside the 24-hour window the citizen gets the
# free-form message with the certificate number and its verification
# link, or, with the document key, the certificate's PDF as a document
# message whose link nginx serves; outside it the configured template
# goes instead; a rejection carries its reason.  The expected texts are built here from
# sql/seed/messages.json and the catalogue.
use strict;
use warnings;
use utf8;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Mana::Test qw(:DEFAULT slurp spew demo_hall_tickets);

my $TMP = tempdir('approve-notify-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $MK = "$TMP/master.key";
my $HOST = 'verify.example.in';
my $TEMPLATE = 'mana_update';

delete $ENV{$_} for grep { /^MANA_(DB_|MASTER_KEY|VERIFY_HOST)/ } keys %ENV;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();
my $DOCKEY = "$TMP/document.key";
spew($DOCKEY, join('', map { chr(97 + int rand 26) } 1 .. 40) . "\n");
chmod 0644, $DOCKEY;    # nginx's workers run as nobody here
my $ngx = start_nginx($db, workers => 2, graph => $graph,
    graph_extra => "mana_window_template $TEMPLATE;",
    server_extra => 'location ^~ /C/ { mana_verify; } location ^~ /D/ { mana_document; }',
    http_extra => 'mana_bot on; mana_catalogue_check 200ms; '
                . 'mana_notice_url https://mana.example.gov.in/privacy; '
                . "mana_notice_version v1; mana_document_key_file $DOCKEY; "
                . "mana_verify_host $HOST;");
ok(wait_until(sub { my ($h) = $ngx->health; $h->{catalogue} && $h->{catalogue}{services} }, 30,
              'the catalogue'), 'the workers loaded the demo catalogue');

sub mmctl {
    return $db->mmctl_run('--master-key-file', $MK, '--verify-host', $HOST, @_);
}

my $r = mmctl('key', 'init-master', $MK);
is($r->{rc}, 0, 'key init-master') or diag($r->{err});

my $messages = json_decode(slurp("$Mana::Test::TOP/sql/seed/messages.json"))->{messages};
my ($rev_inc) = grep { $_->{code} eq 'REV-INC' }
    @{ json_decode(slurp("$Mana::Test::TOP/sql/seed/catalogue.json"))->{services} };

sub expected_text {
    my ($lang, $key, %vars) = @_;
    my $text = $messages->{$lang}{$key};
    $vars{service} = $rev_inc->{name}{$lang} // $rev_inc->{name}{en};
    $text =~ s/\{(\w+)\}/$vars{$1}/g;
    return $text;
}

# --- citizens, through the webhook ---------------------------------------

my $chat = chat($ngx, $graph, $dbh, 'approve');
sub received { $chat->received(@_) }
sub say { $chat->say(@_) }
sub tap { $chat->tap(@_) }

sub ids {
    my ($m) = @_;
    my $a = $m->{interactive}{action} // {};
    return (map({ $_->{reply}{id} } @{ $a->{buttons} // [] }),
            map({ map { $_->{id} } @{ $_->{rows} } } @{ $a->{sections} // [] }));
}
sub text_of { my ($m) = @_; $m->{text}{body} // $m->{interactive}{body}{text} // '' }

# a citizen applies for an income certificate in their language: the ref
sub apply {
    my ($phone, $lang, $name) = @_;
    say($phone, 'Hi');
    tap($phone, "lang:$lang");
    tap($phone, 'btn:accept');
    my @r = say($phone, 'REV-INC');
    for my $a ($name, 'Suresh Kumar', 'Guntur', '85000') {
        @r = say($phone, $a);
    }
    for (1 .. 8) {
        last if grep { $_ eq 'btn:confirm' } map { ids($_) } @r;
        @r = (grep { $_ eq 'btn:skip' } map { ids($_) } @r) ? tap($phone, 'btn:skip')
                                                            : say($phone, 'skip');
    }
    @r = tap($phone, 'btn:confirm');
    my ($ref) = join("\n", map { text_of($_) } @r) =~ /\b(REV-INC-\d{4}-\d{6})\b/;
    ok($ref, "$phone applied: $ref") or diag(join "\n", map { text_of($_) } @r);
    return $ref // 'none';
}

# the next message the mock receives for a phone, after the ones seen
sub next_message {
    my ($phone, $seen) = @_;
    my @m;
    wait_until(sub { @m = received($phone); @m > $seen }, 15, "a message to $phone");
    return $m[$seen];
}

# --- approved inside the window: the free-form message -------------------

my $lakshmi = '919200000001';
my $ref = apply($lakshmi, 'te', 'లక్ష్మి దేవి');
my ($office) = $dbh->selectrow_array(
    'SELECT o.code FROM application a JOIN office o ON o.id = a.office_id WHERE a.ref = ?',
    undef, $ref);
ok($office, "routed to $office");
$r = mmctl('key', 'generate', '--purpose', 'issuer', '--office', $office);
is($r->{rc}, 0, "an issuer key for $office") or diag($r->{err});

my $seen = () = received($lakshmi);
$r = mmctl('--json', 'app', 'approve', $ref);
is($r->{rc}, 0, 'mmctl app approve') or diag($r->{err});
my $ok = json_decode($r->{out});
like($ok->{qr}, qr{^HTTPS://\U$HOST\E/C/[A-Z2-7]+\z}, 'the certificate\'s QR text');

my $m = next_message($lakshmi, $seen);
is($m->{type}, 'text', 'inside the window: a free-form message');
is($m->{text}{body},
   expected_text('te', 'app.issued', ref => $ref, number => $ref, link => $ok->{qr}),
   'in Telugu, with the certificate number and the verification link');
like($m->{text}{body}, qr/\Q$ref\E/, 'the number is in it');
like($m->{text}{body}, qr/\Q$ok->{qr}\E/, 'the link is in it');
ok(wait_until(sub {
    $dbh->selectrow_array(q{SELECT state = 2 FROM outbox WHERE to_phone = ?
                            ORDER BY id DESC LIMIT 1}, undef, $lakshmi) }, 10, 'sent'),
   'the outbox row is recorded as sent');

# the link opens the verification page, which finds it genuine (the
# workers load the new key on their timer)
my ($b32) = $ok->{qr} =~ m{/C/([A-Z2-7]+)\z};
my $verdict = '';
wait_until(sub {
    my $res = $ngx->request('GET', "/C/$b32", headers => { Accept => 'application/json' });
    my $j = eval { json_decode($res->{content}) } // {};
    $verdict = $j->{verdict} // "HTTP $res->{status}";
    return $verdict eq 'genuine';
}, 10, 'the verdict');
is($verdict, 'genuine', 'the link opens the verification page: genuine');

# --- approved with a document key: the PDF in the chat --------------------

my $meena = '919200000004';
my $ref4 = apply($meena, 'en', 'Meena Kumari');
$seen = () = received($meena);
$r = mmctl('--json', '--document-key-file', $DOCKEY, 'app', 'approve', $ref4);
is($r->{rc}, 0, 'mmctl app approve with the document key') or diag($r->{err});
my $ok4 = json_decode($r->{out});
$m = next_message($meena, $seen);
is($m->{type}, 'document', 'inside the window: a document message');
like($m->{document}{link}, qr{\Ahttps://\Q$HOST\E/D/[A-Za-z0-9_-]{43}\z},
     'which Meta fetches from the verify host\'s /D/');
is($m->{document}{filename}, "$ref4.pdf", 'named by the certificate number');
is($m->{document}{caption},
   expected_text('en', 'app.issued', ref => $ref4, number => $ref4, link => $ok4->{qr}),
   'its caption is the decision\'s text, with the verification link');
is(scalar(grep { $_->{type} eq 'text' } (received($meena))[$seen .. scalar(received($meena)) - 1]),
   0, 'one message, not a text besides');

# what Meta would fetch: the certificate's PDF
my ($doc_path) = ($m->{document}{link} // '') =~ m{(/D/\S+)\z};
my $res = $ngx->request('GET', $doc_path // '/D/none');
is($res->{status}, 200, 'the link gives the document') or diag($res->{content});
is($res->{headers}{'content-type'}, 'application/pdf', 'a PDF');
$r = mmctl('cert', 'pdf', $ok4->{certificate}, '-o', '-');
ok($r->{rc} == 0 && $r->{out} eq $res->{content}, 'the certificate mmctl cert pdf renders');

# --- "certificates": the citizen's own, sent again ------------------------

# an officer at a counter issues Meena a second one, and sends it
$seen = () = received($meena);
$r = mmctl('--json', '--document-key-file', $DOCKEY, 'cert', 'issue', '--service', 'REV-INC',
           '--office', $office, '--number', 'REV-INC-COUNTER-1', '--holder', 'Meena Kumari',
           '--to', $meena, '--deliver');
is($r->{rc}, 0, 'mmctl cert issue --to a citizen --deliver') or diag($r->{err});
my $counter = json_decode($r->{out});
is($counter->{delivery}, 'document', 'delivered as a document');
$m = next_message($meena, $seen);
is($m->{type}, 'document', 'she gets the document message');
is($m->{document}{filename}, 'REV-INC-COUNTER-1.pdf', 'of that certificate');
is($m->{document}{caption}, expected_text('en', 'certs.document', number => 'REV-INC-COUNTER-1'),
   'with its caption');
($doc_path) = ($m->{document}{link} // '') =~ m{(/D/\S+)\z};
is($ngx->request('GET', $doc_path // '/D/none')->{status}, 200, 'whose link gives the PDF');

# one too full for a page (a relation and 24 facts): its link instead
$seen = () = received($meena);
$r = mmctl('--json', '--document-key-file', $DOCKEY, 'cert', 'issue', '--service', 'REV-INC',
           '--office', $office, '--number', 'REV-INC-COUNTER-FULL', '--holder', 'Meena Kumari',
           '--relation', 'W/o Ravi', (map { ('--field', "fact$_=value $_") } 1 .. 24),
           '--to', $meena, '--deliver');
is($r->{rc}, 0, 'cert issue --deliver of a certificate too full for a page') or diag($r->{err});
my $full = eval { json_decode($r->{out}) } // {};
is($full->{delivery}, 'link', 'sent as its link');
like($r->{err}, qr/cannot be drawn as a PDF/, 'and mmctl says why');
$m = next_message($meena, $seen);
is($m->{type}, 'text', 'a text, not a document no link could give');

$r = mmctl('cert', 'issue', '--service', 'REV-INC', '--office', $office,
           '--number', 'REV-INC-COUNTER-X', '--holder', 'Nobody', '--deliver');
is($r->{rc}, 2, '--deliver without --to: a usage error');
like($r->{err}, qr/--deliver needs --to/, 'which says so');

my @list = say($meena, 'my certificates');
my ($l) = grep { $_->{type} eq 'interactive' } @list;
my @rows = map { @{ $_->{rows} } } @{ $l->{interactive}{action}{sections} // [] };
is_deeply([ map { $_->{id} } @rows ],
          [ "cert:$full->{id}", "cert:$counter->{id}", "cert:$ok4->{certificate}" ],
          'three certificates listed, the newest first');
like($rows[2]{description} // '', qr/^\Q$ref4\E, issued /, 'each with its number and date');

@list = tap($meena, "cert:$ok4->{certificate}");
is(scalar @list, 1, 'the one picked: one message');
is($list[0]{type}, 'document', 'its PDF, as a document');
is($list[0]{document}{filename}, "$ref4.pdf", 'named by its number');
is($list[0]{document}{caption}, expected_text('en', 'certs.document', number => $ref4),
   'with its caption');
($doc_path) = ($list[0]{document}{link} // '') =~ m{(/D/\S+)\z};
$res = $ngx->request('GET', $doc_path // '/D/none');
$r = mmctl('cert', 'pdf', $ok4->{certificate}, '-o', '-');
ok($res->{status} == 200 && $r->{out} eq $res->{content},
   'whose fresh link gives the same PDF');

# a certificate of another citizen, its id typed: nothing
my $before_other = () = received($lakshmi);
@list = tap($lakshmi, "cert:$ok4->{certificate}");
is(join('', map { text_of($_) } @list), $messages->{te}{'certs.not_found'},
   'another citizen\'s certificate: not found, in Telugu');
ok(!grep({ $_->{type} eq 'document' } @list), 'and no document');

# one certificate: sent at once, in the citizen's language
@list = say($lakshmi, 'సర్టిఫికెట్లు');
is(scalar @list, 1, 'Lakshmi\'s only certificate: at once');
is($list[0]{type}, 'document', 'as a document');
is($list[0]{document}{caption}, expected_text('te', 'certs.document', number => $ref),
   'its caption in Telugu');

# --- approved outside the window: the template ---------------------------

my $ravi = '919200000002';
my $ref2 = apply($ravi, 'en', 'Ravi Kumar');
$dbh->do(q{UPDATE citizen SET last_inbound_at = UTC_TIMESTAMP() - INTERVAL 25 HOUR
           WHERE phone = ?}, undef, $ravi);
$dbh->do(q{UPDATE message_in SET received_at = UTC_TIMESTAMP(3) - INTERVAL 25 HOUR,
           sent_at = UTC_TIMESTAMP() - INTERVAL 25 HOUR WHERE sender_phone = ?}, undef, $ravi);

$seen = () = received($ravi);
$r = mmctl('--json', 'app', 'approve', $ref2);
is($r->{rc}, 0, 'mmctl app approve, 25 hours after the last message') or diag($r->{err});
$m = next_message($ravi, $seen);
is($m->{type}, 'template', 'outside the window: the template');
is($m->{template}{name}, $TEMPLATE, 'the configured one');
is($m->{template}{language}{code}, 'en', "in the citizen's language");
my $free = $dbh->selectrow_hashref(q{SELECT state, error_code, payload FROM outbox
                                     WHERE to_phone = ? AND payload LIKE '%"type":"text"%'
                                     ORDER BY id DESC LIMIT 1}, undef, $ravi);
is(json_decode($free->{payload})->{text}{body},
   expected_text('en', 'app.issued', ref => $ref2, number => $ref2,
                 link => json_decode($r->{out})->{qr}),
   'the free-form message was queued');
is($free->{state}, 3, 'and not sent');
is($free->{error_code}, 131047, 'because the window is closed');
select undef, undef, undef, 0.5;
is(scalar(grep { $_->{type} eq 'text' } (received($ravi))[$seen .. scalar(received($ravi)) - 1]),
   0, 'Graph never got the free-form message');

# --- rejected: the reason ------------------------------------------------

my $sita = '919200000003';
my $ref3 = apply($sita, 'en', 'Sita Devi');
my $reason = 'The income proof is missing; please attach the tahsildar form';
$seen = () = received($sita);
$r = mmctl('app', 'reject', $ref3, '--reason', $reason);
is($r->{rc}, 0, 'mmctl app reject') or diag($r->{err});
$m = next_message($sita, $seen);
is($m->{type}, 'text', 'the rejection: a free-form message');
is($m->{text}{body}, expected_text('en', 'app.rejected', ref => $ref3, reason => $reason),
   'with the reason');

# the citizen asks for the status: the bot reads what mmctl wrote
my @r = say($sita, "status $ref3");
like(join("\n", map { text_of($_) } @r), qr/\Q$ref3\E/, 'status lookup answers');
like(join("\n", map { text_of($_) } @r), qr/\Q$messages->{en}{'status.rejected'}\E/,
     'and says rejected');

# no decision changes what it already decided
$seen = () = received($sita);
$r = mmctl('app', 'approve', $ref3);
is($r->{rc}, 1, 'approving the rejected application: exit 1');
select undef, undef, undef, 0.5;
is(scalar(() = received($sita)), $seen, 'and no message');

# she has no certificate
@r = say($sita, 'certificates');
is(join('', map { text_of($_) } @r), $messages->{en}{'certs.none'},
   'no certificate yet: says so');

# issued at a counter and delivered without the document key: the link
$seen = () = received($sita);
$r = mmctl('--json', 'cert', 'issue', '--service', 'REV-INC', '--office', $office,
           '--number', 'REV-INC-COUNTER-2', '--holder', 'Sita Devi', '--to', $sita, '--deliver');
is($r->{rc}, 0, 'cert issue --deliver without the document key') or diag($r->{err});
my $sita_cert = json_decode($r->{out});
is($sita_cert->{delivery}, 'link', 'delivered as its link');
$m = next_message($sita, $seen);
is($m->{type}, 'text', 'a text');
is($m->{text}{body}, expected_text('en', 'certs.link', number => 'REV-INC-COUNTER-2',
                                   link => $sita_cert->{qr}),
   'with the number and the verification link');

# --- a hall ticket at once, as its PDF -------------------------------------

$r = mmctl('key', 'generate', '--purpose', 'issuer', '--office', 'SED-GNT');
is($r->{rc}, 0, 'an issuer key for the exams office') or diag($r->{err});
my ($csv) = demo_hall_tickets($TMP);
$r = mmctl('records', 'import', '--service', 'SED-SSCHT', '--office', 'SED-GNT', $csv);
is($r->{rc}, 0, 'the demo hall tickets imported') or diag($r->{err});
my ($roll, $dob, $student) = split /,/, (split /\n/, slurp($csv))[1];

my $kiran = '919200000005';
say($kiran, 'Hi');
tap($kiran, 'lang:en');
tap($kiran, 'btn:accept');
say($kiran, 'SED-SSCHT');
say($kiran, $roll);
@r = say($kiran, $dob);
is(scalar @r, 1, 'the lookup answered with one message');
is($r[0]{type}, 'document', 'the hall ticket itself, as a document');
is($r[0]{document}{filename}, "$roll.pdf", 'named by the roll number');
like($r[0]{document}{caption} // '', qr/\Q$student\E/, 'its caption names the student');
($doc_path) = ($r[0]{document}{link} // '') =~ m{(/D/\S+)\z};
$res = $ngx->request('GET', $doc_path // '/D/none');
my ($ticket) = $dbh->selectrow_array(
    q{SELECT LOWER(HEX(c.cti)) FROM record r JOIN certificate c ON c.id = r.certificate_id
      WHERE r.service_code = 'SED-SSCHT' AND r.number = ?}, undef, $roll);
$r = mmctl('cert', 'pdf', $ticket // 'none', '-o', '-');
ok($res->{status} == 200 && $r->{rc} == 0 && $r->{out} eq $res->{content},
   'its link gives the hall ticket\'s PDF');

finish_tests();

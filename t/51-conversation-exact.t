#!/usr/bin/env perl
# Whole conversations, in English and in Telugu, through the signed webhook,
# real nginx, MariaDB and the mock Graph API: every reply the mock received
# is compared, whole, with the Cloud API message written out below (the
# texts of sql/seed/messages.json and the demo catalogue, placeholders
# filled in by hand).  t/50-conversation.t checks what the conversation
# does; this file checks what the citizen reads.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use JSON::PP ();
use POSIX qw(strftime);
use Test::More;
use Mana::Test;

my $db = start_mariadb();
$db->seed_demo;
my $dbh = $db->dbh;
my $graph = start_mock_graph();

my $NOTICE_URL = 'https://mana.example.gov.in/privacy';
my $CONTACT = 'Data Protection Officer, dpo@mana.example.gov.in';
my $bot = "mana_bot on; mana_catalogue_check 200ms; "
        . "mana_notice_url $NOTICE_URL; mana_notice_version v1; "
        . "mana_contact \"$CONTACT\";";

# a conversation sends far more than Meta's burst of 45 messages to one
# citizen: the pair limit is not what this file is about
my $ngx = start_nginx($db, workers => 2, graph => $graph,
    graph_extra => 'mana_sender_pair_burst 1000;', http_extra => $bot);

sub catalogue_loaded {
    my ($n) = @_;
    # the worker that answers /health; the other may be a moment later,
    # and its 503 is sent again below, as Meta would
    return wait_until(sub { my ($h) = $n->health;
                            $h->{catalogue} && $h->{catalogue}{services} }, 30,
                      'the catalogue');
}
ok(catalogue_loaded($ngx), 'the workers loaded the demo catalogue');

# --- a citizen, and the messages they should get ----------------------------

package Citizen {
    my $seq = 0;

    sub new {
        my ($class, $phone, $ngx) = @_;
        return bless { phone => $phone, ngx => $ngx, last => 0 }, $class;
    }

    # One message through the signed webhook.  Returns the replies it
    # caused, in the order the bot wrote them (outbox ids), each as the JSON
    # the mock Graph API received for that outbox row; [] and a diagnostic
    # when the webhook did not answer 200 or a reply was not delivered.
    sub send {
        my ($s, $in) = @_;
        my $msg = ref $in ? { %$in } : { type => 'text', text => { body => $in } };
        $seq++;
        $msg->{from} = $s->{phone};
        $msg->{id} = "wamid.exact.$s->{phone}.$seq";
        $msg->{timestamp} = '' . time;
        my $body = Mana::Test::json_encode(Mana::Test::wh_payload(
            contacts => [ { profile => { name => 'Citizen' }, wa_id => $s->{phone},
                            user_id => "IN.$s->{phone}" } ],
            messages => [ $msg ]));
        my $r;
        for (1 .. 50) {
            $r = $s->{ngx}->post_webhook($body);
            last if $r->{status} != 503;
            select undef, undef, undef, 0.1;
        }
        if ($r->{status} != 200) {
            Test::More::diag("webhook: $r->{status} $r->{content}");
            return [];
        }
        # the 200 comes after the commit: every reply is in the outbox
        my ($rows, %by);
        my $done = Mana::Test::wait_until(sub {
            $rows = $dbh->selectall_arrayref(
                'SELECT id, state, wamid FROM outbox WHERE to_phone = ? AND id > ?'
                . ' ORDER BY id', { Slice => {} }, $s->{phone}, $s->{last});
            return 1 if grep { $_->{state} == 3 } @$rows;
            return 0 if grep { $_->{state} != 2 } @$rows;
            %by = map { ($_->{wamid} // '') => $_ } $graph->requests;
            !grep { !$by{$_->{wamid}} } @$rows;
        }, 15, "the replies to $s->{phone}");
        $s->{last} = $rows->[-1]{id} if @$rows;
        $s->{turn} = [ map { $by{$_->{wamid} // ''} } @$rows ];
        if (!$done || grep { !$_ } @{ $s->{turn} }) {
            Test::More::diag("not delivered: " . Test::More::explain($rows));
            return [];
        }
        return [ map { Mana::Test::json_decode($_->{body}) } @{ $s->{turn} } ];
    }

    # one turn, its replies compared whole with what is expected
    sub turn {
        my ($s, $name, $in, @expected) = @_;
        local $Test::Builder::Level = $Test::Builder::Level + 1;
        my $got = $s->send($in);
        Test::More::is_deeply($got, \@expected, $name);
        return $got;
    }

    # the Cloud API messages, as the reference describes them
    sub envelope {
        my ($s, $type) = @_;
        return (messaging_product => 'whatsapp', recipient_type => 'individual',
                to => $s->{phone}, type => $type);
    }

    sub text {
        my ($s, $body) = @_;
        return { $s->envelope('text'),
                 text => { preview_url => JSON::PP::false, body => $body } };
    }

    # buttons: [id, title], ...
    sub buttons {
        my ($s, $body, @buttons) = @_;
        return { $s->envelope('interactive'), interactive => {
            type => 'button', body => { text => $body },
            action => { buttons => [ map { { type => 'reply',
                reply => { id => $_->[0], title => $_->[1] } } } @buttons ] } } };
    }

    # sections: [title or undef, [id, title, description or nothing], ...]
    sub list {
        my ($s, %o) = @_;
        my $ia = { type => 'list', body => { text => $o{body} },
                   action => { button => $o{button}, sections => [] } };
        $ia->{header} = { type => 'text', text => $o{header} } if defined $o{header};
        $ia->{footer} = { text => $o{footer} } if defined $o{footer};
        for my $sec (@{ $o{sections} }) {
            my ($title, @rows) = @$sec;
            push @{ $ia->{action}{sections} }, {
                (defined $title ? (title => $title) : ()),
                rows => [ map { { id => $_->[0], title => $_->[1],
                                  (defined $_->[2] ? (description => $_->[2]) : ()) } }
                          @rows ] };
        }
        return { $s->envelope('interactive'), interactive => $ia };
    }
}

# what a citizen sends besides text
sub tap {
    my ($id, $title) = @_;
    return { type => 'interactive', interactive => { type => 'button_reply',
             button_reply => { id => $id, title => $title // $id } } };
}
sub pick {
    my ($id, $title) = @_;
    return { type => 'interactive', interactive => { type => 'list_reply',
             list_reply => { id => $id, title => $title // $id } } };
}
sub photo {
    return { type => 'image', image => { id => $_[0], mime_type => 'image/jpeg',
             sha256 => 'c2hhMjU2', caption => 'the place' } };
}
sub place {
    my ($lat, $lng) = @_;
    return { type => 'location', location => { latitude => $lat, longitude => $lng } };
}

# a message's text (looking, not autovivifying: $got is compared after)
sub body_of {
    my ($m) = @_;
    return $m->{text} ? $m->{text}{body} // ''
         : $m->{interactive} ? $m->{interactive}{body}{text} // '' : '';
}

# a deep copy with every match of $re in any string replaced by $with
sub masked {
    my ($v, $re, $with) = @_;
    return [ map { masked($_, $re, $with) } @$v ] if ref $v eq 'ARRAY';
    return { map { $_ => masked($v->{$_}, $re, $with) } keys %$v } if ref $v eq 'HASH';
    return $v if ref $v || !defined $v;
    (my $s = $v) =~ s/$re/$with/g;
    return $s;
}

# a deep copy without the titles of the rows that are districts
sub without_district_titles {
    my ($v) = @_;
    my $c = Mana::Test::json_decode(Mana::Test::json_encode($v));
    for my $m (@$c) {
        for my $sec (@{ $m->{interactive}{action}{sections} // [] }) {
            delete $_->{title} for grep { $_->{id} =~ /^opt:/ } @{ $sec->{rows} };
        }
    }
    return $c;
}

# dates as the bot writes them (no month names in the seed): dd-mm-yyyy
sub ddmmyyyy { strftime('%d-%m-%Y', gmtime $_[0]) }

# the due date in the database, and that it is the SLA from today (UTC)
sub due_of {
    my ($table, $ref, $days, $t0, $t1) = @_;
    my ($due) = $dbh->selectrow_array(
        "SELECT DATE_FORMAT(due_date, '%d-%m-%Y') FROM $table WHERE ref = ?",
        undef, $ref);
    my %ok = map { ddmmyyyy($_ + $days * 86400) => 1 } $t0, $t1;
    ok($due && $ok{$due}, "$ref is due $days days from today ($due)");
    return $due // '?';
}

sub history_of {
    my ($ref) = @_;
    return map { $_->[0] } @{ $dbh->selectall_arrayref(
        "SELECT DATE_FORMAT(at, '%d-%m-%Y %H:%i') FROM request_history"
        . ' WHERE ref = ? ORDER BY id', undef, $ref) };
}

# the rows of the catalogue's lists, in the order the menus give them
my %dept_en = (
    REV  => [ 'Revenue', 'Certificates, land records, Meebhoomi' ],
    REG  => [ 'Registration & Stamps', 'Encumbrance, certified copies, deeds, marriages' ],
    SED  => [ 'School Education', 'SSC exams, admissions, student schemes' ],
    BIE  => [ 'Intermediate Education', 'Inter hall tickets, results, certificates' ],
    HED  => [ 'Higher Education', 'Entrance tests, counselling, fee reimbursement' ],
    SKL  => [ 'Skill Development', 'Free skill training, jobs and job fairs' ],
    MAUD => [ 'Municipal Admin', 'Property tax, certificates, licences, Anna Canteens' ],
    PRRD => [ 'Panchayat Raj & RD', 'Village services, pensions, job cards' ],
    ENGY => [ 'Energy', 'Electricity bills, connections, complaints' ],
    RTC  => [ 'APSRTC', 'Bus tickets, passes, cargo, bus timings' ],
    TRN  => [ 'Transport', 'Driving licence, vehicle registration, permits' ],
    ENDW => [ 'Endowments', 'Temple darshan, sevas, rooms, prasadam, donations' ],
    CSUP => [ 'Civil Supplies', 'Rice cards, ration, weights and measures' ],
    HLTH => [ 'Health & Family Welfare', 'Dr NTR Vaidya Seva, hospitals, 104, 108' ],
    POL  => [ 'Police', 'Complaints, FIR status, challans, verification' ],
    AGRI => [ 'Agriculture', 'Farmer schemes, seeds, insurance, soil tests' ],
    AHF  => [ 'Animal Husb. & Fisheries', 'Livestock, veterinary care, fishermen schemes' ],
    SWF  => [ 'Social Welfare', 'SC welfare: hostels, scholarships, assistance' ],
    BCW  => [ 'BC Welfare', 'BC hostels, scholarships, corporation loans' ],
    TWD  => [ 'Tribal Welfare', 'ST hostels, ITDA schemes, forest rights' ],
    MNW  => [ 'Minority Welfare', 'Minority scholarships, loans, Haj, Wakf' ],
    WCD  => [ 'Women & Child Welfare', "Anganwadi, nutrition, women's safety, children" ],
    LAB  => [ 'Labour', 'Worker registration, welfare board, factories' ],
    IND  => [ 'Industries', 'Single desk approvals, MSME, incentives' ],
);
my %dept_te = (
    REV  => [ 'రెవెన్యూ', 'సర్టిఫికెట్లు, భూమి రికార్డులు, మీభూమి' ],
    REG  => [ 'రిజిస్ట్రేషన్ శాఖ', 'ఈసీ, దస్తావేజు నకళ్లు, రిజిస్ట్రేషన్, వివాహ నమోదు' ],
    SED  => [ 'పాఠశాల విద్య', 'పదో తరగతి పరీక్షలు, ప్రవేశాలు, విద్యార్థి పథకాలు' ],
    BIE  => [ 'ఇంటర్మీడియట్ విద్య', 'ఇంటర్ హాల్ టికెట్లు, ఫలితాలు, సర్టిఫికెట్లు' ],
    HED  => [ 'ఉన్నత విద్య', "ప్రవేశ పరీక్షలు, కౌన్సెలింగ్, ఫీజు రీయింబర్స్\x{200c}మెంట్" ],
    SKL  => [ 'నైపుణ్యాభివృద్ధి', 'ఉచిత నైపుణ్య శిక్షణ, ఉద్యోగాలు, జాబ్ మేళాలు' ],
    MAUD => [ 'పురపాలక శాఖ', 'ఆస్తి పన్ను, సర్టిఫికెట్లు, లైసెన్సులు, అన్న క్యాంటీన్లు' ],
    PRRD => [ 'పంచాయతీ రాజ్, గ్రామీణం', 'గ్రామ సేవలు, పింఛన్లు, ఉపాధి జాబ్ కార్డులు' ],
    ENGY => [ 'ఇంధన శాఖ', 'కరెంటు బిల్లులు, కొత్త కనెక్షన్లు, ఫిర్యాదులు' ],
    RTC  => [ 'ఏపీఎస్ఆర్టీసీ', 'బస్ టికెట్లు, పాసులు, కార్గో, బస్ వేళలు' ],
    TRN  => [ 'రవాణా శాఖ', 'డ్రైవింగ్ లైసెన్స్, వాహన రిజిస్ట్రేషన్, పర్మిట్లు' ],
    ENDW => [ 'దేవాదాయ శాఖ', 'ఆలయ దర్శనం, సేవలు, గదులు, ప్రసాదం, విరాళాలు' ],
    CSUP => [ 'పౌర సరఫరాలు', 'రైస్ కార్డులు, రేషన్, తూనికలు కొలతలు' ],
    HLTH => [ 'వైద్య ఆరోగ్య శాఖ', 'ఎన్టీఆర్ వైద్య సేవ, ఆసుపత్రులు, 104, 108' ],
    POL  => [ 'పోలీస్ శాఖ', 'ఫిర్యాదులు, ఎఫ్ఐఆర్ స్థితి, చలాన్లు, వెరిఫికేషన్' ],
    AGRI => [ 'వ్యవసాయ శాఖ', 'రైతు పథకాలు, విత్తనాలు, బీమా, భూసార పరీక్షలు' ],
    AHF  => [ 'పశుసంవర్ధక, మత్స్య శాఖ', 'పశువులు, పశువైద్యం, మత్స్యకారుల పథకాలు' ],
    SWF  => [ 'సాంఘిక సంక్షేమం', "ఎస్సీ సంక్షేమం: హాస్టళ్లు, స్కాలర్\x{200c}షిప్\x{200c}లు, సహాయం" ],
    BCW  => [ 'బీసీ సంక్షేమం', "బీసీ హాస్టళ్లు, స్కాలర్\x{200c}షిప్\x{200c}లు, కార్పొరేషన్ రుణాలు" ],
    TWD  => [ 'గిరిజన సంక్షేమం', 'ఎస్టీ హాస్టళ్లు, ఐటీడీఏ పథకాలు, అటవీ హక్కులు' ],
    MNW  => [ 'మైనారిటీ సంక్షేమం', "మైనారిటీ స్కాలర్\x{200c}షిప్\x{200c}లు, రుణాలు, హజ్, వక్ఫ్" ],
    WCD  => [ 'మహిళా శిశు సంక్షేమం', 'అంగన్వాడీ, పోషకాహారం, మహిళల భద్రత, పిల్లలు' ],
    LAB  => [ 'కార్మిక శాఖ', 'కార్మికుల నమోదు, సంక్షేమ బోర్డు, కర్మాగారాలు' ],
    IND  => [ 'పరిశ్రమల శాఖ', 'సింగిల్ డెస్క్ అనుమతులు, ఎంఎస్ఎంఈ, ప్రోత్సాహకాలు' ],
);
# 36 departments with services: 6 on the first page (after the 3 quick
# rows), then 9 a page and "More...": 5 pages
my %menu_page = (1 => [qw(REV REG SED BIE HED SKL)],
                 2 => [qw(MAUD PRRD ENGY RTC TRN ENDW CSUP HLTH POL)],
                 3 => [qw(AGRI AHF SWF BCW TWD MNW WCD LAB IND)]);
sub dept_rows {
    my ($names, $page) = @_;
    return map { [ "dept:$_", @{ $names->{$_} } ] } @{ $menu_page{$page} };
}

# Revenue's 47 services by sort order: 9 a page and "More...": 6 pages
my @rev_en = (
    [ 'svc:REV-INC', 'Income certificate', 'For scholarships, fee reimbursement, schemes' ],
    [ 'svc:REV-CST', 'Caste certificate', 'SC, ST and BC community certificate' ],
    [ 'svc:REV-RES', 'Residence certificate', 'Proof of residence for admissions and jobs' ],
    [ 'svc:REV-EWS', 'EWS certificate', 'For the 10% economically weaker sections quota' ],
    [ 'svc:REV-OBC', 'OBC (non-creamy) cert', 'Central OBC certificate for central jobs and IITs' ],
    [ 'svc:REV-FMC', 'Family certificate (FMC)', 'Lists family members, for claims and jobs' ],
    [ 'svc:REV-ICC', 'Integrated certificate', 'Caste, nativity and date of birth in one' ],
    [ 'svc:REV-NDB', 'Nativity & DOB cert', 'Place and date of birth from village records' ],
    [ 'svc:REV-LOC', 'Local status certificate', 'Local candidate status for admissions' ],
    [ 'svc:REV-AGI', 'Agricultural income cert', 'Income from agriculture, for loans and schemes' ],
    [ 'svc:REV-SMF', 'Small farmer certificate', 'For subsidies given to small and marginal farmers' ],
    [ 'svc:REV-NEM', 'No earning member cert', 'For compassionate appointment and pensions' ],
    [ 'svc:REV-SOLV', 'Solvency certificate', 'Property-based solvency for contracts and bail' ],
    [ 'svc:REV-POSS', 'Possession certificate', 'Confirms you possess a house or land' ],
    [ 'svc:REV-MIN', 'Minority certificate', 'Religious minority status for schemes' ],
    [ 'svc:REV-LBR', 'Late birth registration', 'Order to register a birth after one year' ],
    [ 'svc:REV-LDR', 'Late death registration', 'Order to register a death after one year' ],
    [ 'svc:REV-ADNG', 'Adangal (pahani) copy', 'Village Account 3: crop and cultivation details' ],
);
my @rev_te = (
    [ 'svc:REV-INC', 'ఆదాయ ధృవీకరణ పత్రం', "ఉపకార వేతనాలు, ఫీజు రీయింబర్స్\x{200c}మెంట్, పథకాల కోసం" ],
    [ 'svc:REV-CST', 'కుల ధృవీకరణ పత్రం', 'ఎస్సీ, ఎస్టీ, బీసీ కుల ధృవీకరణ' ],
    [ 'svc:REV-RES', 'నివాస ధృవీకరణ పత్రం', 'ప్రవేశాలు, ఉద్యోగాల కోసం నివాస రుజువు' ],
    [ 'svc:REV-EWS', 'ఈడబ్ల్యూఎస్ సర్టిఫికెట్', 'ఆర్థికంగా బలహీన వర్గాల 10% కోటా కోసం' ],
    [ 'svc:REV-OBC', 'ఓబీసీ (నాన్ క్రీమీలేయర్)', 'కేంద్ర ఉద్యోగాలు, ఐఐటీల కోసం ఓబీసీ సర్టిఫికెట్' ],
    [ 'svc:REV-FMC', 'కుటుంబ సభ్యుల ధృవీకరణ', "క్లెయిమ్\x{200c}లు, ఉద్యోగాల కోసం కుటుంబ సభ్యుల జాబితా" ],
    [ 'svc:REV-ICC', 'సమీకృత ధృవీకరణ పత్రం', 'కులం, స్థానికత, పుట్టిన తేదీ ఒకే పత్రంలో' ],
    [ 'svc:REV-NDB', 'స్థానికత, జనన తేదీ పత్రం', 'గ్రామ రికార్డుల ప్రకారం జన్మస్థలం, తేదీ' ],
    [ 'svc:REV-LOC', 'స్థానిక అభ్యర్థి ధృవీకరణ', 'ప్రవేశాల్లో స్థానిక అభ్యర్థి హోదా కోసం' ],
    [ 'svc:REV-AGI', 'వ్యవసాయ ఆదాయ ధృవీకరణ', 'రుణాలు, పథకాల కోసం వ్యవసాయ ఆదాయ ధృవీకరణ' ],
    [ 'svc:REV-SMF', 'చిన్న రైతు ధృవీకరణ', 'చిన్న, సన్నకారు రైతుల రాయితీల కోసం' ],
    [ 'svc:REV-NEM', 'నో ఎర్నింగ్ మెంబర్ పత్రం', 'కారుణ్య నియామకం, పింఛన్ల కోసం' ],
    [ 'svc:REV-SOLV', 'సాల్వెన్సీ సర్టిఫికెట్', 'కాంట్రాక్టులు, జామీను కోసం ఆస్తి ఆధారిత హామీ' ],
    [ 'svc:REV-POSS', 'స్వాధీన ధృవీకరణ పత్రం', 'ఇల్లు లేదా భూమి మీ స్వాధీనంలో ఉందని ధృవీకరణ' ],
    [ 'svc:REV-MIN', 'మైనారిటీ ధృవీకరణ పత్రం', 'పథకాల కోసం మతపరమైన మైనారిటీ హోదా' ],
    [ 'svc:REV-LBR', 'ఆలస్య జనన నమోదు', 'ఏడాది తర్వాత జననం నమోదుకు ఉత్తర్వు' ],
    [ 'svc:REV-LDR', 'ఆలస్య మరణ నమోదు', 'ఏడాది తర్వాత మరణం నమోదుకు ఉత్తర్వు' ],
    [ 'svc:REV-ADNG', 'అడంగల్ (పహాణీ) నకలు', 'గ్రామ లెక్క 3: పంట, సాగు వివరాలు' ],
);

# The districts a form offers are those the offices serve, in the order of
# the offices' codes (AGRI-AKP, AGRI-ANM, AGRI-ASR, ...): 9 a page and
# "More...", 3 pages.
my @district_pages = (
    [ 'Anakapalli', 'Annamayya', 'Alluri Sitharama Raju', 'Anantapuramu', 'Bapatla',
      'Chittoor', 'East Godavari', 'Eluru', 'Guntur' ],
    [ 'YSR Kadapa', 'Kakinada', 'Kurnool', 'Krishna', 'Dr. B.R. Ambedkar Konaseema',
      'Nandyal', 'Sri Potti Sriramulu Nellore', 'NTR', 'Prakasam' ],
);
# their Telugu names (the districts of sql/seed/catalogue.json)
my %district_te = (
    'Anakapalli' => 'అనకాపల్లి', 'Annamayya' => 'అన్నమయ్య',
    'Alluri Sitharama Raju' => 'అల్లూరి సీతారామరాజు', 'Anantapuramu' => 'అనంతపురం',
    'Bapatla' => 'బాపట్ల', 'Chittoor' => 'చిత్తూరు', 'East Godavari' => 'తూర్పు గోదావరి',
    'Eluru' => 'ఏలూరు', 'Guntur' => 'గుంటూరు', 'YSR Kadapa' => 'వైఎస్ఆర్ కడప',
    'Kakinada' => 'కాకినాడ', 'Kurnool' => 'కర్నూలు', 'Krishna' => 'కృష్ణా',
    'Dr. B.R. Ambedkar Konaseema' => 'డాక్టర్ బి.ఆర్. అంబేద్కర్ కోనసీమ',
    'Nandyal' => 'నంద్యాల',
    'Sri Potti Sriramulu Nellore' => 'శ్రీ పొట్టి శ్రీరాములు నెల్లూరు',
    'NTR' => 'ఎన్టీఆర్', 'Prakasam' => 'ప్రకాశం',
);
# a name longer than a row title's 24 characters is cut to 23 and "…"
my %cut_te = ('డాక్టర్ బి.ఆర్. అంబేద్కర్ కోనసీమ' => 'డాక్టర్ బి.ఆర్. అంబేద్క…',
              'శ్రీ పొట్టి శ్రీరాములు నెల్లూరు' => 'శ్రీ పొట్టి శ్రీరాములు …');

my $LANG_PROMPT = "నమస్కారం! మన మిత్రకు స్వాగతం. మీ భాషను ఎంచుకోండి.\n"
    . "Welcome to Mana Mitra, Government of Andhra Pradesh services on WhatsApp. "
    . "Please choose your language.\n"
    . "नमस्ते! मन मित्र में आपका स्वागत है। अपनी भाषा चुनें।";
# each language in its own script, te first
my @LANGS = ([ 'lang:te', 'తెలుగు' ], [ 'lang:en', 'English' ], [ 'lang:hi', 'हिन्दी' ]);

my $year = strftime('%Y', gmtime);
my $image_id = '1479537139650973';

# --- the messages that come back, in both languages -------------------------

sub menu_en {
    my ($c) = @_;
    return $c->list(header => 'Mana Mitra',
        body => 'How can I help you today? Open the list to see popular '
              . 'services and departments, or just type what you need, for '
              . 'example "income certificate" or "bus ticket".',
        footer => 'Type "help" for help', button => 'View services',
        sections => [
            [ 'Quick access',
              [ 'pop', 'Popular services', 'Certificates, bills, results, darshan, bus tickets' ],
              [ 'status', 'Track my application',
                'Status of an application or grievance by its number' ],
              [ 'grv', 'Register a grievance', 'Any problem with any department (PGRS)' ] ],
            [ 'Departments', dept_rows(\%dept_en, 1), [ 'menu:2', 'More...', 'Page 2 of 5' ] ] ]);
}

sub menu_te {
    my ($c) = @_;
    return $c->list(header => 'మన మిత్ర',
        body => 'ఈ రోజు మీకు ఏ సేవ కావాలి? ముఖ్యమైన సేవలు, శాఖల కోసం జాబితా తెరవండి, '
              . 'లేదా మీకు కావలసినది నేరుగా టైప్ చేయండి, ఉదా: "ఆదాయ సర్టిఫికెట్" లేదా "బస్ టికెట్".',
        footer => 'సహాయానికి "సహాయం" అని టైప్ చేయండి', button => 'సేవలు చూడండి',
        sections => [
            [ 'త్వరిత సేవలు',
              [ 'pop', 'ముఖ్యమైన సేవలు', 'సర్టిఫికెట్లు, బిల్లులు, ఫలితాలు, దర్శనం, బస్ టికెట్లు' ],
              [ 'status', 'నా దరఖాస్తు స్థితి', 'నంబరుతో దరఖాస్తు లేదా ఫిర్యాదు స్థితి' ],
              [ 'grv', 'ఫిర్యాదు నమోదు', 'ఏ శాఖలో ఏ సమస్య అయినా (PGRS)' ] ],
            [ 'శాఖలు', dept_rows(\%dept_te, 1), [ 'menu:2', 'మరిన్ని...', '5 పేజీల్లో 2వ పేజీ' ] ] ]);
}

sub menu_page_en {
    my ($c, $page) = @_;
    my $next = $page + 1;
    return $c->list(body => "Choose a department ($page/5):", button => 'Departments',
        sections => [ [ 'Departments', dept_rows(\%dept_en, $page),
                        [ "menu:$next", 'More...', "Page $next of 5" ] ] ]);
}

sub menu_page_te {
    my ($c, $page) = @_;
    my $next = $page + 1;
    return $c->list(body => "శాఖను ఎంచుకోండి ($page/5):", button => 'శాఖలు',
        sections => [ [ 'శాఖలు', dept_rows(\%dept_te, $page),
                        [ "menu:$next", 'మరిన్ని...', "5 పేజీల్లో ${next}వ పేజీ" ] ] ]);
}

sub rev_page_en {
    my ($c, $page) = @_;
    my $next = $page + 1;
    return $c->list(body => "Services of Revenue ($page/6). Choose one:", button => 'Services',
        sections => [ [ 'Services', @rev_en[($page - 1) * 9 .. $page * 9 - 1],
                        [ "dept:REV:$next", 'More...', "Page $next of 6" ] ] ]);
}

sub rev_page_te {
    my ($c, $page) = @_;
    my $next = $page + 1;
    return $c->list(body => "రెవెన్యూ సేవలు ($page/6). ఒకటి ఎంచుకోండి:", button => 'సేవలు',
        sections => [ [ 'సేవలు', @rev_te[($page - 1) * 9 .. $page * 9 - 1],
                        [ "dept:REV:$next", 'మరిన్ని...', "6 పేజీల్లో ${next}వ పేజీ" ] ] ]);
}

sub districts_en {
    my ($c, $step, $count) = @_;
    return $c->list(body => "($step/$count) *Your district*\nOpen the list and choose one.",
        button => 'Choose',
        sections => [ [ undef, (map { [ "opt:$_", $_ ] } @{ $district_pages[0] }),
                        [ 'dpage:2', 'More...', 'Page 2 of 3' ] ] ]);
}

# in the citizen's language: the Telugu names
sub districts_te {
    my ($c, $step, $count, $page) = @_;
    my $next = $page + 1;
    return $c->list(body => "($step/$count) *మీ జిల్లా*\nజాబితా తెరిచి ఒకటి ఎంచుకోండి.",
        button => 'ఎంచుకోండి',
        sections => [ [ undef, (map { my $te = $district_te{$_};
                                      [ "opt:$_", $cut_te{$te} // $te ] }
                                @{ $district_pages[$page - 1] }),
                        [ "dpage:$next", 'మరిన్ని...', "3 పేజీల్లో ${next}వ పేజీ" ] ] ]);
}

# --- English -----------------------------------------------------------------

{
    my $c = Citizen->new('919100000001', $ngx);

    my $skip = [ 'btn:skip', 'Skip' ];
    my $main_menu = [ 'btn:menu', 'Main menu' ];

    $c->turn('en: first contact asks for the language, in all three', 'Hi',
        $c->buttons($LANG_PROMPT, @LANGS));

    # the HTTP request itself, once
    my ($req) = @{ $c->{turn} };
    is($req->{method}, 'POST', 'Graph: a POST');
    is($req->{path}, '/v25.0/106540352242922/messages',
       "Graph: to the messages edge of the number the citizen wrote to");
    is($req->{authorization}, "Bearer $ngx->{graph_token}",
       'Graph: Authorization is the bearer token from mana_graph_token_file');
    like($req->{content_type}, qr{^application/json(;\s*charset=utf-8)?$}i,
         'Graph: Content-Type application/json');

    my $notice_en = "*Your data on Mana Mitra*\n"
        . "• *What we use:* your WhatsApp number and name, your messages, and what you "
        . "fill in a form (e.g. name, address, income).\n"
        . "• *Why:* only to give the service you ask for (certificates, bookings, "
        . "payments, grievances) and to update you on it, as the law allows departments "
        . "to (DPDP Act, s.7(b)).\n"
        . "• *Shared with:* the department that handles your request. WhatsApp (Meta) "
        . "carries the messages for us. We never store Aadhaar numbers.\n"
        . "• *Kept:* chats for 90 days; records only as long as the law requires.\n"
        . "• *Your rights:* type MY DATA to see your data, CORRECT to fix it, DELETE MY "
        . "DATA to erase it, COMPLAINT to complain (answered within 90 days), STOP to "
        . "stop messages.\n"
        . "• *Contact:* Data Protection Officer, dpo\@mana.example.gov.in\n"
        . "Full notice: https://mana.example.gov.in/privacy";
    $c->turn('en: English chosen: the privacy notice, with its link and contact',
        tap('lang:en', 'English'),
        $c->buttons($notice_en, [ 'btn:accept', 'OK, continue' ],
                    [ 'btn:notice', 'Read full notice' ]));

    # Graph answers the first reply of the next turn a second late: the
    # second must not overtake it
    $graph->script({ action => 'delay', seconds => 1 });
    $c->turn('en: accepted: thanks, then the main menu with its quick rows and 6 departments',
        tap('btn:accept', 'OK, continue'),
        $c->text('Thank you. You can change your language any time by typing "language".'),
        menu_en($c));
    my ($first, $second) = @{ $c->{turn} };
    ok($first && $second && $second->{time} >= ($first->{answered} // 9e9),
       "a turn's second reply is sent only once Graph accepted the first")
        or diag(sprintf 'first sent %.3f, answered %.3f; second sent %.3f',
                map { $_ // 0 } $first->{time}, $first->{answered}, $second->{time});
    is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM consent n JOIN citizen z
        ON z.id = n.citizen_id WHERE z.phone = ? AND n.notice_version = 'v1'
        AND n.lang = 'en'}, undef, $c->{phone}), 1, 'en: the acceptance is recorded');

    $c->turn('en: "More..." tapped: page 2 of the departments', pick('menu:2', 'More...'),
        menu_page_en($c, 2));
    $c->turn('en: "more" typed: page 3', 'more', menu_page_en($c, 3));
    $c->turn('en: "back": page 2 again', 'back', menu_page_en($c, 2));

    $c->turn('en: a department: its first 9 services and "More..."',
        pick('dept:REV', 'Revenue'), rev_page_en($c, 1));
    $c->turn("en: the department's page 2", pick('dept:REV:2', 'More...'), rev_page_en($c, 2));

    $c->turn('en: an information service: its content and the contact of its department',
        pick('svc:REV-FEES', 'Certificate fees & days'),
        $c->buttons("*Certificate fees & days*\nIncome, residence and caste certificates are "
            . "free on Mana Mitra; at MeeSeva and secretariats a small service charge "
            . "applies. Income and residence certificates are issued in about 7 days, caste, "
            . "EWS and integrated certificates in about 15 days, mutation in about 30 days. "
            . "Certificates carry a QR code you can verify.\n*Contact:* 1902",
            [ 'btn:back', 'Back' ], $main_menu));
    $c->turn('en: Back from the service: its department', tap('btn:back', 'Back'),
        rev_page_en($c, 1));

    # --- an application, with an answer refused and given again ---

    $c->turn('en: an application: what it takes, then the first question',
        pick('svc:REV-INC', 'Income certificate'),
        $c->text("Let's apply for *Income certificate*. I will ask 8 questions, one at a "
            . "time. Type \"cancel\" at any time to stop.\n\nKeep these documents ready; "
            . "the officer may ask to see them:\n• Aadhaar card\n• Rice card\n"
            . "• Passport size photo\n• Self-declaration form"),
        $c->text("(1/8) Please send: *Applicant's full name*"));
    $c->turn('en: the name, then the second question', 'Ravi Kumar',
        $c->text("(2/8) Please send: *Father's or husband's name*"));
    $c->turn('en: a district question is a list of the districts', 'Suresh Kumar',
        districts_en($c, 3, 8));
    $c->turn('en: a district picked: the income', pick('opt:Guntur', 'Guntur'),
        $c->text('(4/8) Please send: *Annual family income in rupees*'));
    $c->turn('en: an income in words is refused, said why, and asked again', 'a lot',
        $c->text("Sorry, that answer doesn't fit *Annual family income in rupees*. Please "
            . "send the amount in rupees using digits, for example 120000.\nPlease send it again."),
        $c->text('(4/8) Please send: *Annual family income in rupees*'));
    $c->turn('en: the income corrected: an optional question, with Skip', '85,000',
        $c->buttons("(5/8) *Occupation*\nThis is optional: type \"skip\" to leave it out.", $skip));
    $c->turn('en: an optional choice of 7 and Skip: a list', 'Farmer',
        $c->list(body => "(6/8) *Purpose of the certificate*\nOpen the list and choose one.",
            button => 'Choose', sections => [ [ undef,
                [ 'opt:scholarship', 'Scholarship' ], [ 'opt:fee_reimbursement', 'Fee reimbursement' ],
                [ 'opt:welfare_scheme', 'Welfare scheme' ], [ 'opt:education', 'School or college' ],
                [ 'opt:job', 'Job' ], [ 'opt:bank_loan', 'Bank loan' ], [ 'opt:other', 'Other' ],
                $skip ] ]));
    $c->turn('en: chosen', pick('opt:scholarship', 'Scholarship'),
        $c->buttons("(7/8) *Mandal or town*\nThis is optional: type \"skip\" to leave it out.", $skip));
    $c->turn('en: Skip tapped', tap('btn:skip', 'Skip'),
        $c->buttons("(8/8) *Aadhaar number (optional, not stored)*\nThis is optional: type "
            . "\"skip\" to leave it out.", $skip));
    $c->turn('en: "skip" typed: the summary, with rupees grouped the Indian way', 'skip',
        $c->buttons("Please check your application for *Income certificate*:\n\n"
            . "• Applicant's full name: Ravi Kumar\n"
            . "• Father's or husband's name: Suresh Kumar\n"
            . "• Your district: Guntur\n"
            . "• Annual family income in rupees: ₹85,000\n"
            . "• Occupation: Farmer\n"
            . "• Purpose of the certificate: Scholarship\n"
            . "• Mandal or town: -\n"
            . "• Aadhaar number (optional, not stored): -\n\n"
            . "Is everything correct?",
            [ 'btn:confirm', 'Confirm' ], [ 'btn:edit', 'Edit' ], [ 'btn:cancel', 'Cancel' ]));

    my $t0 = time;
    my $got = $c->send(tap('btn:confirm', 'Confirm'));
    my $t1 = time;
    my ($ref) = body_of($got->[0] // {}) =~ /\*(REV-INC-\d{4}-\d{6})\*/;
    like($ref // '', qr/^REV-INC-\Q$year\E-\d{6}$/, "en: a reference of the service and year: $ref");
    $ref //= 'REV-INC-none';
    my $app = $dbh->selectrow_hashref(q{SELECT a.* FROM application a JOIN citizen z
        ON z.id = a.citizen_id WHERE a.ref = ? AND z.phone = ?}, undef, $ref, $c->{phone});
    ok($app, 'en: the reference is in the database, for this citizen');
    is_deeply([ @{ $app // {} }{qw(service_code department_code district status)} ],
              [ 'REV-INC', 'REV', 'Guntur', 'submitted' ], 'en: the application as submitted');
    is_deeply(json_decode($app->{fields} // '{}'),
              { name => 'Ravi Kumar', father_name => 'Suresh Kumar', district => 'Guntur',
                annual_income => '85000', occupation => 'Farmer', purpose => 'scholarship' },
              'en: with the answers given, normalised, and none of the skipped ones');
    my $due = due_of('application', $ref, 7, $t0, $t1);
    is_deeply($got, [ $c->buttons("Your application *$ref* for Income certificate has been "
            . "submitted. It is expected by *$due*. Keep this number; type \"status $ref\" "
            . "any time to check on it.", $main_menu) ],
        'en: confirmed: the reference, the due date, and how to track it');

    my ($at) = history_of($ref);
    $c->turn('en: "status <ref>": the status, the due date and the history', "status $ref",
        $c->buttons("*$ref*: Submitted\nIncome certificate\nLast updated: $at\n"
            . "Expected by $due.\n\nHistory:\n$at: Submitted", $main_menu));
    $c->turn('en: an unknown reference is said so', "status REV-INC-$year-999999",
        $c->buttons("I couldn't find *REV-INC-$year-999999*. Please check the number and "
            . "send it again, or type \"menu\".", $main_menu));

    # --- a deep link, back, and cancel in the middle of a form ---

    $c->turn('en: a service code typed opens the service', 'REV-CST',
        $c->text("Let's apply for *Caste certificate*. I will ask 8 questions, one at a "
            . "time. Type \"cancel\" at any time to stop.\n\nKeep these documents ready; "
            . "the officer may ask to see them:\n• Aadhaar card\n• Rice card\n"
            . "• Passport size photo\n• Study certificates (class 1-10)\n• Self-declaration form"),
        $c->text("(1/8) Please send: *Applicant's full name*"));
    $c->turn('en: answered', 'Ravi Kumar',
        $c->text("(2/8) Please send: *Father's or husband's name*"));
    $c->turn('en: "back" in a form: the previous question', 'back',
        $c->text("(1/8) Please send: *Applicant's full name*"));
    $c->turn('en: "cancel" midway: nothing submitted, and the menu', 'cancel',
        $c->text('Your application for Caste certificate was cancelled. Nothing was submitted.'),
        menu_en($c));
    is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM application a JOIN citizen z
        ON z.id = a.citizen_id WHERE z.phone = ? AND a.service_code = 'REV-CST'},
        undef, $c->{phone}), 0, 'en: the cancelled application is not in the database');

    # --- search ---

    # the service named so first; the one that mentions it in its
    # description after
    $c->turn('en: a search that finds services', 'meebhoomi',
        $c->list(body => 'I found these for "meebhoomi":', button => 'See results',
            sections => [ [ 'Matching services',
                [ 'svc:REV-MEEB', 'Meebhoomi help', 'See Adangal and 1-B online on Meebhoomi' ],
                [ 'svc:REV-WEB', 'Webland correction', 'Fix errors in online land records (Meebhoomi)' ] ] ]));
    $c->turn('en: a search that finds nothing', 'qwertyuiop',
        $c->buttons("Sorry, I couldn't find a service for \"qwertyuiop\". Try other words "
            . "(for example \"ration card\"), or type \"menu\" to browse all departments.",
            $main_menu));

    # --- a grievance with a photo and a location ---

    $c->turn('en: a grievance: its questions, the first a list of 10', 'PGRS-NEW',
        $c->text("Let's apply for *Register a grievance*. I will ask 6 questions, one at a "
            . "time. Type \"cancel\" at any time to stop."),
        $c->list(body => "(1/6) *Which department is it about?*\nOpen the list and choose one.",
            button => 'Choose', sections => [ [ undef,
                [ 'opt:revenue', 'Revenue and land' ], [ 'opt:municipal', 'Municipal' ],
                [ 'opt:village', 'Village panchayat' ], [ 'opt:power', 'Electricity' ],
                [ 'opt:police', 'Police' ], [ 'opt:ration', 'Ration' ],
                [ 'opt:pension', 'Pension' ], [ 'opt:health', 'Health' ],
                [ 'opt:education', 'Education' ], [ 'opt:other', 'Other department' ] ] ]));
    $c->turn('en: the category', pick('opt:revenue', 'Revenue and land'),
        $c->text('(2/6) Please send: *Describe the problem in a few lines*'));
    $c->turn('en: the description', 'The survey of my land has been pending for six months',
        districts_en($c, 3, 6));
    $c->turn('en: a district typed instead of picked', 'Guntur',
        $c->text('(4/6) Please send: *Mandal or town*'));
    $c->turn('en: the photo question', 'Tenali',
        $c->buttons("(5/6) *A photo (optional)*\nThis is optional: type \"skip\" to leave it "
            . "out.\nPlease send a photo (tap 📎, then Camera or Gallery).", $skip));
    $c->turn('en: a photo: the location question', photo($image_id),
        $c->buttons("(6/6) *Share the location (optional)*\nThis is optional: type \"skip\" "
            . "to leave it out.\nPlease share a location (tap 📎, then Location).", $skip));

    $t0 = time;
    $got = $c->send(place(16.2379, 80.6469));
    $t1 = time;
    my ($gref) = body_of($got->[0] // {}) =~ /\*(PGRS-NEW-\d{4}-\d{6})\*/;
    like($gref // '', qr/^PGRS-NEW-\Q$year\E-\d{6}$/, "en: the grievance's reference: $gref");
    $gref //= 'PGRS-NEW-none';
    my $grv = $dbh->selectrow_hashref(q{SELECT g.* FROM grievance g JOIN citizen z
        ON z.id = g.citizen_id WHERE g.ref = ? AND z.phone = ?}, undef, $gref, $c->{phone});
    is_deeply([ @{ $grv // {} }{qw(service_code category description district media_id
                                   latitude longitude status)} ],
              [ 'PGRS-NEW', 'revenue', 'The survey of my land has been pending for six months',
                'Guntur', $image_id, '16.237900', '80.646900', 'registered' ],
              'en: the grievance is in the database with its photo and location');
    my $gdue = due_of('grievance', $gref, 30, $t0, $t1);
    is_deeply($got, [ $c->buttons("Your grievance *$gref* has been registered with "
            . "Grievances (PGRS). It should be resolved by *$gdue*. You will get updates "
            . "here; type \"status $gref\" to check.", $main_menu) ],
        'en: a location: the grievance registered, its reference and due date');

    ($at) = history_of($gref);
    $got = $c->send("status $gref");
    my $status = qr/(?<=^\*\Q$gref\E\*: )[^\n]+|(?<=^\Q$at\E: )[^\n]+/m;
    is_deeply(masked($got, $status, '<status>'),
        [ $c->buttons("*$gref*: <status>\nRegister a grievance\nLast updated: $at\n"
            . "Expected by $gdue.\n\nHistory:\n$at: <status>", $main_menu) ],
        "en: the grievance's status, by its reference");
    unlike(body_of($got->[0] // {}), qr/: registered\b/,
           "en: a grievance's status is said in words, not as its database value");
    is_deeply($got, [ $c->buttons("*$gref*: Registered\nRegister a grievance\n"
            . "Last updated: $at\nExpected by $gdue.\n\nHistory:\n$at: Registered",
            $main_menu) ], 'en: "Registered", now and in the history');

    # --- the language, changed ---

    $c->turn('en: "language": the choice again', 'language',
        $c->buttons('Which language would you like to use?', @LANGS));
    $c->turn('en: Telugu chosen: said so in Telugu, and the menu in Telugu',
        tap('lang:te', 'తెలుగు'),
        $c->text('సరే. ఇకపై మీతో తెలుగులో మాట్లాడతాను.'), menu_te($c));
    is(scalar $dbh->selectrow_array('SELECT language FROM citizen WHERE phone = ?', undef,
       $c->{phone}), 'te', 'en: the new language is kept');
}

# --- Telugu ------------------------------------------------------------------

{
    my $c = Citizen->new('919100000002', $ngx);
    my $skip = [ 'btn:skip', 'వదిలేయండి' ];
    my $main_menu = [ 'btn:menu', 'ప్రధాన మెనూ' ];
    my $optional = 'ఇది ఐచ్ఛికం: వదిలేయాలంటే "వదిలేయి" అని టైప్ చేయండి.';

    $c->turn('te: first contact in Telugu: the language choice', 'హాయ్',
        $c->buttons($LANG_PROMPT, @LANGS));

    my $notice_te = "*మన మిత్రలో మీ సమాచారం*\n"
        . "• *ఏమి వాడతాం:* మీ వాట్సాప్ నంబరు, పేరు, మీ సందేశాలు, ఫారంలో మీరు ఇచ్చే వివరాలు "
        . "(పేరు, చిరునామా, ఆదాయం వంటివి).\n"
        . "• *ఎందుకు:* మీరు అడిగిన సేవ (సర్టిఫికెట్లు, బుకింగ్\x{200c}లు, చెల్లింపులు, ఫిర్యాదులు) "
        . "అందించడానికి, దాని సమాచారం మీకు తెలపడానికి మాత్రమే; చట్టం (డీపీడీపీ చట్టం, సెక్షన్ "
        . "7(బి)) శాఖలకు ఈ అనుమతి ఇస్తుంది.\n"
        . "• *ఎవరికి:* మీ పనిని చూసే శాఖకు మాత్రమే. సందేశాలను వాట్సాప్ (మెటా) మా తరఫున "
        . "చేరవేస్తుంది. ఆధార్ నంబరును మేము భద్రపరచము.\n"
        . "• *ఎంతకాలం:* చాట్\x{200c}లు 90 రోజులు; రికార్డులు చట్టం కోరినంత కాలమే.\n"
        . "• *మీ హక్కులు:* మీ సమాచారం చూడటానికి \"నా సమాచారం\", సరిచేయడానికి \"సవరణ\", "
        . "తొలగించడానికి \"నా సమాచారం తొలగించు\", ఫిర్యాదుకు \"ఫిర్యాదు\" (90 రోజుల్లో జవాబు), "
        . "సందేశాలు ఆపడానికి \"ఆపు\" అని టైప్ చేయండి.\n"
        . "• *సంప్రదించండి:* Data Protection Officer, dpo\@mana.example.gov.in\n"
        . "పూర్తి వివరాలు: https://mana.example.gov.in/privacy";
    $c->turn('te: Telugu chosen: the privacy notice in Telugu', tap('lang:te', 'తెలుగు'),
        $c->buttons($notice_te, [ 'btn:accept', 'సరే, కొనసాగించండి' ],
                    [ 'btn:notice', 'పూర్తి వివరాలు' ]));
    $c->turn("te: the full notice: its link", tap('btn:notice', 'పూర్తి వివరాలు'),
        $c->text($NOTICE_URL));
    $c->turn('te: accepted: thanks, then the main menu in Telugu',
        tap('btn:accept', 'సరే, కొనసాగించండి'),
        $c->text('ధన్యవాదాలు. ఎప్పుడైనా "భాష" అని టైప్ చేసి భాష మార్చుకోవచ్చు.'),
        menu_te($c));
    is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM consent n JOIN citizen z
        ON z.id = n.citizen_id WHERE z.phone = ? AND n.notice_version = 'v1'
        AND n.lang = 'te'}, undef, $c->{phone}), 1, 'te: the acceptance is recorded, in Telugu');

    $c->turn('te: "మరిన్ని" typed: page 2', 'మరిన్ని', menu_page_te($c, 2));
    $c->turn('te: "More..." tapped: page 3', pick('menu:3', 'మరిన్ని...'), menu_page_te($c, 3));
    $c->turn('te: "వెనక్కి": page 2 again', 'వెనక్కి', menu_page_te($c, 2));
    $c->turn('te: a department', pick('dept:REV', 'రెవెన్యూ'), rev_page_te($c, 1));
    $c->turn("te: \"మరిన్ని\" typed: the department's page 2", 'మరిన్ని', rev_page_te($c, 2));
    $c->turn('te: an information service, in Telugu', pick('svc:REV-MEEB', 'మీభూమి సహాయం'),
        $c->buttons("*మీభూమి సహాయం*\nమీభూమి (meebhoomi.ap.gov.in)లో సర్వే నంబరు, ఖాతా నంబరు "
            . "లేదా ఆధార్\x{200c}తో మీ అడంగల్, 1-బి, ఎఫ్ఎంబీ స్కెచ్, గ్రామ పటం ఉచితంగా "
            . "చూడవచ్చు. అధికారిక అవసరాలకు సంతకం చేసిన నకళ్లు గ్రామ సచివాలయం లేదా మీసేవలో "
            . "ఇస్తారు. తప్పులుంటే వెబ్\x{200c}ల్యాండ్ సవరణ సేవ ద్వారా తెలియజేయండి.\n"
            . "*సంప్రదించండి:* 1902",
            [ 'btn:back', 'వెనక్కి' ], $main_menu));
    $c->turn('te: "వెనక్కి" from the service: its department', 'వెనక్కి', rev_page_te($c, 1));

    # --- an application ---

    my $q1 = $c->text('(1/8) దయచేసి పంపండి: *దరఖాస్తుదారు పూర్తి పేరు*');
    $c->turn('te: an application: what it takes, then the first question',
        pick('svc:REV-INC', 'ఆదాయ ధృవీకరణ పత్రం'),
        $c->text("*ఆదాయ ధృవీకరణ పత్రం* కోసం దరఖాస్తు ప్రారంభిద్దాం. 8 ప్రశ్నలు ఒక్కొక్కటిగా "
            . "అడుగుతాను. ఎప్పుడైనా ఆపాలంటే \"రద్దు\" అని టైప్ చేయండి.\n\nఈ పత్రాలు సిద్ధంగా "
            . "ఉంచుకోండి; అధికారి చూపించమని అడగవచ్చు:\n• ఆధార్ కార్డు\n• రైస్ కార్డు\n"
            . "• పాస్\x{200c}పోర్టు సైజు ఫోటో\n• స్వీయ ధృవీకరణ పత్రం"),
        $q1);
    $c->turn('te: a name with digits is refused, said why, and asked again', 'రవి123',
        $c->text("క్షమించండి, *దరఖాస్తుదారు పూర్తి పేరు* కోసం ఈ జవాబు సరిపోలేదు. "
            . "ఆధార్\x{200c}లో ఉన్నట్లుగా పేరును అక్షరాల్లో మాత్రమే టైప్ చేయండి.\n"
            . "దయచేసి మళ్లీ పంపండి."),
        $q1);
    $c->turn('te: the name in Telugu letters', 'రవి కుమార్',
        $c->text('(2/8) దయచేసి పంపండి: *తండ్రి లేదా భర్త పేరు*'));

    my $got = $c->send('సురేష్ కుమార్');
    my @want = (districts_te($c, 3, 8, 1));
    is_deeply(without_district_titles($got), without_district_titles(\@want),
              'te: the district list (its rows but their titles)');
    is_deeply($got, \@want, 'te: the districts by their Telugu names');
    $got = $c->send(pick('dpage:2', 'మరిన్ని...'));
    @want = (districts_te($c, 3, 8, 2));
    is_deeply(without_district_titles($got), without_district_titles(\@want),
              "te: the district list's page 2 (its rows but their titles)");
    is_deeply($got, \@want, "te: page 2 by the Telugu names, long ones cut");

    my $q4 = $c->text('(4/8) దయచేసి పంపండి: *కుటుంబ వార్షిక ఆదాయం (రూపాయల్లో)*');
    $c->turn('te: a district picked: the income', pick('opt:Guntur', 'గుంటూరు'), $q4);
    $c->turn('te: an income in words is refused, and asked again', 'చాలా',
        $c->text("క్షమించండి, *కుటుంబ వార్షిక ఆదాయం (రూపాయల్లో)* కోసం ఈ జవాబు సరిపోలేదు. "
            . "మొత్తాన్ని రూపాయల్లో అంకెల్లో పంపండి, ఉదా: 120000.\nదయచేసి మళ్లీ పంపండి."),
        $q4);
    $c->turn('te: the income corrected, grouped the Indian way', '1,20,000',
        $c->buttons("(5/8) *వృత్తి*\n$optional", $skip));
    $c->turn('te: an optional choice: a list', 'రైతు',
        $c->list(body => "(6/8) *సర్టిఫికెట్ ఎందుకు కావాలి*\nజాబితా తెరిచి ఒకటి ఎంచుకోండి.",
            button => 'ఎంచుకోండి', sections => [ [ undef,
                [ 'opt:scholarship', 'ఉపకార వేతనం' ],
                [ 'opt:fee_reimbursement', "ఫీజు రీయింబర్స్\x{200c}మెంట్" ],
                [ 'opt:welfare_scheme', 'సంక్షేమ పథకం' ], [ 'opt:education', 'పాఠశాల లేదా కళాశాల' ],
                [ 'opt:job', 'ఉద్యోగం' ], [ 'opt:bank_loan', 'బ్యాంకు రుణం' ],
                [ 'opt:other', 'ఇతర అవసరం' ], $skip ] ]));
    $c->turn('te: chosen', pick('opt:fee_reimbursement', "ఫీజు రీయింబర్స్\x{200c}మెంట్"),
        $c->buttons("(7/8) *మండలం లేదా పట్టణం*\n$optional", $skip));
    $c->turn('te: a mandal in Telugu', 'తెనాలి',
        $c->buttons("(8/8) *ఆధార్ నంబరు (ఐచ్ఛికం, భద్రపరచము)*\n$optional", $skip));

    $got = $c->send('వదిలేయి');
    my $summary = sub {
        my ($district) = @_;
        return $c->buttons("*ఆదాయ ధృవీకరణ పత్రం* దరఖాస్తు వివరాలు సరిచూసుకోండి:\n\n"
            . "• దరఖాస్తుదారు పూర్తి పేరు: రవి కుమార్\n"
            . "• తండ్రి లేదా భర్త పేరు: సురేష్ కుమార్\n"
            . "• మీ జిల్లా: $district\n"
            . "• కుటుంబ వార్షిక ఆదాయం (రూపాయల్లో): ₹1,20,000\n"
            . "• వృత్తి: రైతు\n"
            . "• సర్టిఫికెట్ ఎందుకు కావాలి: ఫీజు రీయింబర్స్\x{200c}మెంట్\n"
            . "• మండలం లేదా పట్టణం: తెనాలి\n"
            . "• ఆధార్ నంబరు (ఐచ్ఛికం, భద్రపరచము): -\n\n"
            . "అన్నీ సరిగా ఉన్నాయా?",
            [ 'btn:confirm', 'నిర్ధారించండి' ], [ 'btn:edit', 'మార్చండి' ],
            [ 'btn:cancel', 'రద్దు చేయండి' ]);
    };
    my $district_line = qr/(?<=• మీ జిల్లా: )[^\n]*/;
    is_deeply(masked($got, $district_line, '<district>'), [ $summary->('<district>') ],
        '"వదిలేయి" typed: the summary in Telugu (but the district)');
    is_deeply($got, [ $summary->('గుంటూరు') ], 'te: the district in the summary in Telugu');

    my $t0 = time;
    $got = $c->send(tap('btn:confirm', 'నిర్ధారించండి'));
    my $t1 = time;
    my ($ref) = body_of($got->[0] // {}) =~ /\*(REV-INC-\d{4}-\d{6})\*/;
    like($ref // '', qr/^REV-INC-\Q$year\E-\d{6}$/, "te: a reference: $ref");
    $ref //= 'REV-INC-none';
    my $app = $dbh->selectrow_hashref(q{SELECT a.* FROM application a JOIN citizen z
        ON z.id = a.citizen_id WHERE a.ref = ? AND z.phone = ?}, undef, $ref, $c->{phone});
    is_deeply(json_decode($app->{fields} // '{}'),
              { name => 'రవి కుమార్', father_name => 'సురేష్ కుమార్', district => 'Guntur',
                annual_income => '120000', occupation => 'రైతు', purpose => 'fee_reimbursement',
                mandal => 'తెనాలి' },
              'te: the reference is in the database, with the answers');
    my $due = due_of('application', $ref, 7, $t0, $t1);
    is_deeply($got, [ $c->buttons("ఆదాయ ధృవీకరణ పత్రం కోసం మీ దరఖాస్తు *$ref* సమర్పించబడింది. "
            . "*$due* లోగా పూర్తవుతుందని అంచనా. ఈ నంబరు దాచుకోండి; స్థితి తెలుసుకోవాలంటే "
            . "ఎప్పుడైనా \"స్థితి $ref\" అని టైప్ చేయండి.", $main_menu) ],
        'te: confirmed: the reference and the due date');

    my ($at) = history_of($ref);
    $c->turn('te: "స్థితి <ref>": the status in Telugu', "స్థితి $ref",
        $c->buttons("*$ref*: సమర్పించబడింది\nఆదాయ ధృవీకరణ పత్రం\nచివరి మార్పు: $at\n"
            . "$due లోగా పూర్తవుతుందని అంచనా.\n\nపురోగతి:\n$at: సమర్పించబడింది", $main_menu));

    # --- a deep link, back, cancel ---

    $c->turn('te: a service code typed opens the service', 'REV-CST',
        $c->text("*కుల ధృవీకరణ పత్రం* కోసం దరఖాస్తు ప్రారంభిద్దాం. 8 ప్రశ్నలు ఒక్కొక్కటిగా "
            . "అడుగుతాను. ఎప్పుడైనా ఆపాలంటే \"రద్దు\" అని టైప్ చేయండి.\n\nఈ పత్రాలు సిద్ధంగా "
            . "ఉంచుకోండి; అధికారి చూపించమని అడగవచ్చు:\n• ఆధార్ కార్డు\n• రైస్ కార్డు\n"
            . "• పాస్\x{200c}పోర్టు సైజు ఫోటో\n• స్టడీ సర్టిఫికెట్లు (1-10 తరగతులు)\n"
            . "• స్వీయ ధృవీకరణ పత్రం"),
        $q1);
    $c->turn('te: answered', 'రవి కుమార్', $c->text('(2/8) దయచేసి పంపండి: *తండ్రి లేదా భర్త పేరు*'));
    $c->turn('te: "వెనక్కి" in a form: the previous question', 'వెనక్కి', $q1);
    $c->turn('te: "రద్దు" midway: nothing submitted, and the menu', 'రద్దు',
        $c->text('కుల ధృవీకరణ పత్రం దరఖాస్తు రద్దు చేయబడింది. ఏదీ సమర్పించలేదు.'),
        menu_te($c));

    # --- search ---

    # both services have "మీభూమి" among their Telugu keywords: a tie, in
    # menu order (REV-WEB's sort is 270, REV-MEEB's 390)
    $c->turn('te: a search in Telugu that finds services', 'మీభూమి',
        $c->list(body => '"మీభూమి" కోసం ఇవి దొరికాయి:', button => 'ఫలితాలు చూడండి',
            sections => [ [ 'సరిపోయే సేవలు',
                [ 'svc:REV-WEB', "వెబ్\x{200c}ల్యాండ్ సవరణ",
                  "ఆన్\x{200c}లైన్ భూ రికార్డుల (మీభూమి) తప్పుల సవరణ" ],
                [ 'svc:REV-MEEB', 'మీభూమి సహాయం', "మీభూమిలో అడంగల్, 1-బి ఆన్\x{200c}లైన్\x{200c}లో చూడండి" ] ] ]));
    $c->turn('te: a search that finds nothing', 'అబ్కడ',
        $c->buttons('క్షమించండి, "అబ్కడ" కు సరిపోయే సేవ దొరకలేదు. వేరే మాటలతో ప్రయత్నించండి '
            . '(ఉదా: "రేషన్ కార్డు"), లేదా అన్ని శాఖలు చూడటానికి "మెనూ" అని టైప్ చేయండి.',
            $main_menu));

    # --- a grievance with a photo and a location ---

    $c->turn('te: a grievance', 'PGRS-NEW',
        $c->text('*అర్జీ నమోదు* కోసం దరఖాస్తు ప్రారంభిద్దాం. 6 ప్రశ్నలు ఒక్కొక్కటిగా అడుగుతాను. '
            . 'ఎప్పుడైనా ఆపాలంటే "రద్దు" అని టైప్ చేయండి.'),
        $c->list(body => "(1/6) *ఏ శాఖకు సంబంధించిన సమస్య?*\nజాబితా తెరిచి ఒకటి ఎంచుకోండి.",
            button => 'ఎంచుకోండి', sections => [ [ undef,
                [ 'opt:revenue', 'రెవెన్యూ, భూమి' ], [ 'opt:municipal', 'పురపాలక' ],
                [ 'opt:village', 'గ్రామ పంచాయతీ' ], [ 'opt:power', 'విద్యుత్' ],
                [ 'opt:police', 'పోలీస్' ], [ 'opt:ration', 'రేషన్' ],
                [ 'opt:pension', 'పింఛను' ], [ 'opt:health', 'ఆరోగ్యం' ],
                [ 'opt:education', 'విద్య' ], [ 'opt:other', 'ఇతర శాఖ' ] ] ]));
    $c->turn('te: the category', pick('opt:power', 'విద్యుత్'),
        $c->text('(2/6) దయచేసి పంపండి: *సమస్యను కొన్ని వాక్యాల్లో వివరించండి*'));
    $got = $c->send('మా వీధిలో మూడు రోజులుగా కరెంటు లేదు');
    @want = (districts_te($c, 3, 6, 1));
    is_deeply(without_district_titles($got), without_district_titles(\@want),
              'te: the description: the district list (but its titles)');
    $c->turn('te: the district', pick('opt:Krishna', 'కృష్ణా'),
        $c->text('(4/6) దయచేసి పంపండి: *మండలం లేదా పట్టణం*'));
    $c->turn('te: the photo question', 'గుడివాడ',
        $c->buttons("(5/6) *ఫోటో (ఐచ్ఛికం)*\n$optional\n"
            . 'దయచేసి ఫోటో పంపండి (📎 నొక్కి కెమెరా లేదా గ్యాలరీ ఎంచుకోండి).', $skip));
    $c->turn('te: a photo: the location question', photo($image_id),
        $c->buttons("(6/6) *లొకేషన్ పంపండి (ఐచ్ఛికం)*\n$optional\n"
            . 'దయచేసి లొకేషన్ పంపండి (📎 నొక్కి లొకేషన్ ఎంచుకోండి).', $skip));
    $t0 = time;
    $got = $c->send(place(16.4410, 80.9926));
    $t1 = time;
    my ($gref) = body_of($got->[0] // {}) =~ /\*(PGRS-NEW-\d{4}-\d{6})\*/;
    like($gref // '', qr/^PGRS-NEW-\Q$year\E-\d{6}$/, "te: the grievance's reference: $gref");
    $gref //= 'PGRS-NEW-none';
    my $grv = $dbh->selectrow_hashref(q{SELECT g.* FROM grievance g JOIN citizen z
        ON z.id = g.citizen_id WHERE g.ref = ? AND z.phone = ?}, undef, $gref, $c->{phone});
    is_deeply([ @{ $grv // {} }{qw(category description district media_id latitude longitude)} ],
              [ 'power', 'మా వీధిలో మూడు రోజులుగా కరెంటు లేదు', 'Krishna', $image_id,
                '16.441000', '80.992600' ],
              'te: the grievance is in the database with its photo and location');
    my $gdue = due_of('grievance', $gref, 30, $t0, $t1);
    is_deeply($got, [ $c->buttons("మీ ఫిర్యాదు *$gref* ప్రజా ఫిర్యాదులు (PGRS)లో నమోదైంది. "
            . "*$gdue* లోగా పరిష్కారం కావాలి. సమాచారం ఇక్కడే అందుతుంది; స్థితి కోసం "
            . "\"స్థితి $gref\" అని టైప్ చేయండి.", $main_menu) ],
        'te: the grievance registered, in Telugu');

    $c->turn('te: "track my application" from the menu asks the number', pick('status'),
        $c->text("దయచేసి మీ దరఖాస్తు లేదా రిఫరెన్స్ నంబరు పంపండి (ఉదా: REV-INC-$year-000123)."));
    ($at) = history_of($gref);
    $got = $c->send($gref);
    my $status = qr/(?<=^\*\Q$gref\E\*: )[^\n]+|(?<=^\Q$at\E: )[^\n]+/m;
    is_deeply(masked($got, $status, '<status>'),
        [ $c->buttons("*$gref*: <status>\nఅర్జీ నమోదు\nచివరి మార్పు: $at\n"
            . "$gdue లోగా పూర్తవుతుందని అంచనా.\n\nపురోగతి:\n$at: <status>", $main_menu) ],
        "te: the number sent: the grievance's status");
    like(body_of($got->[0] // {}), qr/^\*\Q$gref\E\*: \p{Telugu}/,
         "te: a grievance's status is said in Telugu");
    is_deeply($got, [ $c->buttons("*$gref*: నమోదైంది\nఅర్జీ నమోదు\nచివరి మార్పు: $at\n"
            . "$gdue లోగా పూర్తవుతుందని అంచనా.\n\nపురోగతి:\n$at: నమోదైంది", $main_menu) ],
        'te: "నమోదైంది" (registered), now and in the history');

    # --- the language, changed ---

    $c->turn('te: "భాష": the choice, asked in Telugu', 'భాష',
        $c->buttons('మీరు ఏ భాషలో మాట్లాడాలనుకుంటున్నారు?', @LANGS));
    $c->turn('te: English chosen: said so in English, and the menu in English',
        tap('lang:en', 'English'),
        $c->text('Done. I will talk to you in English from now on.'), menu_en($c));
}

# --- a deep link at first contact --------------------------------------------

{
    my $c = Citizen->new('919100000003', $ngx);
    $c->turn('link: a service code as the first message: the language first', 'rev-inc',
        $c->buttons($LANG_PROMPT, @LANGS));
    $c->send(tap('lang:te', 'తెలుగు'));
    $c->turn('link: once the notice is accepted, the service the link asked for',
        tap('btn:accept', 'సరే, కొనసాగించండి'),
        $c->text('ధన్యవాదాలు. ఎప్పుడైనా "భాష" అని టైప్ చేసి భాష మార్చుకోవచ్చు.'),
        $c->text("*ఆదాయ ధృవీకరణ పత్రం* కోసం దరఖాస్తు ప్రారంభిద్దాం. 8 ప్రశ్నలు ఒక్కొక్కటిగా "
            . "అడుగుతాను. ఎప్పుడైనా ఆపాలంటే \"రద్దు\" అని టైప్ చేయండి.\n\nఈ పత్రాలు సిద్ధంగా "
            . "ఉంచుకోండి; అధికారి చూపించమని అడగవచ్చు:\n• ఆధార్ కార్డు\n• రైస్ కార్డు\n"
            . "• పాస్\x{200c}పోర్టు సైజు ఫోటో\n• స్వీయ ధృవీకరణ పత్రం"),
        $c->text('(1/8) దయచేసి పంపండి: *దరఖాస్తుదారు పూర్తి పేరు*'));
}

# --- an idle session expires (mana_session_idle) -----------------------------

my $short = start_nginx($db, workers => 1, graph => $graph,
    graph_extra => 'mana_sender_pair_burst 1000;',
    http_extra => "$bot mana_session_idle 5s;");
ok(catalogue_loaded($short), 'a second nginx, with a 5 s idle limit');
my @idle = (
    [ en => '919100000008', 'lang:en', 'OK, continue', 'Sita Devi',
      'Your unfinished form for Income certificate was closed because there was no reply '
      . 'for a while. Nothing was submitted; type "menu" to start again.', \&menu_en ],
    [ te => '919100000009', 'lang:te', 'సరే, కొనసాగించండి', 'సీత దేవి',
      'కొంతసేపు జవాబు రాకపోవడంతో ఆదాయ ధృవీకరణ పత్రం కోసం మీరు నింపుతున్న ఫారం మూసివేయబడింది. '
      . 'ఏదీ సమర్పించలేదు; మళ్లీ ప్రారంభించడానికి "మెనూ" అని టైప్ చేయండి.', \&menu_te ]);
for my $case (@idle) {
    my ($lang, $phone, $choice, $accept) = @$case;
    my $c = $case->[7] = Citizen->new($phone, $short);
    $c->send('Hi');
    $c->send(tap($choice));
    $c->send(tap('btn:accept', $accept));
    $c->send('REV-INC');
}
# the limit is well above the time a loaded machine takes between turns
sleep 6;
for my $case (@idle) {
    my ($lang, $phone, $choice, $accept, $name, $expired, $menu, $c) = @$case;
    $c->turn("$lang: an answer after the idle limit: the form was closed, said so, and the menu",
        $name, $c->text($expired), $menu->($c));
    is(scalar $dbh->selectrow_array(q{SELECT COUNT(*) FROM application a JOIN citizen z
        ON z.id = a.citizen_id WHERE z.phone = ?}, undef, $phone), 0, "$lang: nothing was submitted");
}

# --- every reply delivered once ------------------------------------------------

my %sent;
$sent{$_->{to}}++ for grep { $_->{status} eq '200' } $graph->requests;
for my $row (@{ $dbh->selectall_arrayref(
        'SELECT to_phone, COUNT(*), SUM(state = 2) FROM outbox GROUP BY to_phone') }) {
    my ($to, $n, $accepted) = @$row;
    is_deeply([ $accepted, $sent{$to} // 0 ], [ $n, $n ],
              "$to: all $n replies accepted by Graph, each sent once");
}

finish_tests();

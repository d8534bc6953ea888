#!/usr/bin/perl

# The certificate PDF as a person or a verifier meets it: an income
# certificate with a Telugu holder name and Telugu values, rendered by
# lib/mana_pdf.c (through build/t/test_lib_pdf render), then read back with
# the tools anyone has: qpdf checks the file, pdftotext gives back the exact
# Telugu and English strings, a 200 dpi raster of the page decodes with
# zbarimg to the exact verification URL, and the QR measured in that raster
# is at least 30 mm wide.  Two renders are the same bytes, whatever the
# environment; long values wrap on the one page; optional strings may be
# missing; invalid UTF-8 anywhere is refused and nothing is written.
#
# The source is UTF-8 without "use utf8": texts stay bytes, as in files.

use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(sha256);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Mana::Test qw(slurp spew);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/..');
my $BIN = "$ROOT/build/t/test_lib_pdf";
my $TMP = tempdir('pdf-XXXXXX', TMPDIR => 1,
                  CLEANUP => !$ENV{MANA_TEST_KEEP});

-x $BIN
    or plan skip_all => "build/t/test_lib_pdf is not built (./build.sh build)";

my %tool = map { $_ => scalar `command -v $_ 2>/dev/null` =~ /\S/ }
    qw(qpdf pdftotext pdfinfo pdftoppm zbarimg);

sub need {
    my @missing = grep { !$tool{$_} } @_;
    return @missing ? "missing " . join(', ', @missing)
        . " (apt-get install poppler-utils zbar-tools qpdf)" : undef;
}

# ---------------------------------------------------------------------------
# Helpers.

my $runs = 0;

# (exit code, stdout, stderr) of a command, no shell
sub run {
    my ($env, @cmd) = @_;
    my $n = ++$runs;
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        %ENV = (%ENV, %$env);
        open STDOUT, '>', "$TMP/run$n.out" or die;
        open STDERR, '>', "$TMP/run$n.err" or die;
        exec @cmd or exit 127;
    }
    waitpid $pid, 0;
    return ($? >> 8, slurp("$TMP/run$n.out"), slurp("$TMP/run$n.err"));
}

sub base32 {
    my ($bytes) = @_;
    my $bits = unpack 'B*', $bytes;
    $bits .= '0' x ((5 - length($bits) % 5) % 5);
    return join '', map { ('A' .. 'Z', 2 .. 7)[oct "0b$_"] }
        $bits =~ /(.{5})/g;
}

# what a COSE_Sign1 of an income certificate looks like: 190 bytes
sub cose_like {
    my ($seed) = @_;
    my ($out, $h) = ('', $seed);
    while (length $out < 190) {
        $h = sha256($h);
        $out .= $h;
    }
    return substr $out, 0, 190;
}

# the document file of test_lib_pdf render: "key\tvalue" lines
sub doc_text {
    my ($doc) = @_;
    my $esc = sub {
        my ($v) = @_;
        return '\N' if !defined $v;
        $v =~ s/\\/\\\\/g;
        $v =~ s/\n/\\n/g;
        return $v;
    };
    my $t = '';
    for my $k (sort grep { $_ ne 'fields' } keys %$doc) {
        $t .= "$k\t" . $esc->($doc->{$k}) . "\n";
    }
    for my $f (@{ $doc->{fields} // [] }) {
        $t .= join("\t", 'field', map { $esc->($_) } @$f) . "\n";
    }
    return $t;
}

my $docs = 0;

# renders: (exit code, info hash, stderr, pdf path)
sub render {
    my ($doc, %opt) = @_;
    my $n = ++$docs;
    my $in = spew("$TMP/doc$n.txt", doc_text($doc));
    my $pdf = "$TMP/doc$n.pdf";
    my ($rc, $out, $err) = run($opt{env} // {}, $BIN, 'render', $in, $pdf);
    my %info = $out =~ /^(\w+)=(\S+)$/mg;
    return ($rc, \%info, $err, $pdf);
}

sub pdf_text {
    my ($pdf, @opt) = @_;
    my ($rc, $out, $err) = run({}, 'pdftotext', @opt, '-enc', 'UTF-8', $pdf,
                               '-');
    is($rc, 0, 'pdftotext reads it') or diag($err);
    return $out;
}

sub pdf_pages {
    my ($pdf) = @_;
    my ($rc, $out) = run({}, 'pdfinfo', $pdf);
    return $out =~ /^Pages:\s+(\d+)/m ? $1 : -1;
}

sub qpdf_ok {
    my ($pdf, $name) = @_;
    my ($rc, $out, $err) = run({}, 'qpdf', '--check', $pdf);
    is($rc, 0, "qpdf --check passes: $name") or diag("$out$err");
}

# a binary PGM (P5) as (width, height, pixel bytes)
sub read_pgm {
    my ($path) = @_;
    my $b = slurp($path);
    $b =~ s/\AP5\s+(\d+)\s+(\d+)\s+255\s//s or die "$path: not a PGM";
    return ($1, $2, $b);
}

# ---------------------------------------------------------------------------
# The income certificate.

my $URL = 'HTTPS://VERIFY.EXAMPLE/C/' . base32(cose_like('income'));

my %income = (
    dept_te => 'రెవెన్యూ శాఖ, ఆంధ్రప్రదేశ్ ప్రభుత్వం',
    dept_en => 'Revenue Department, Government of Andhra Pradesh',
    office_te => 'తహసీల్దార్ కార్యాలయం, తిరుపతి అర్బన్',
    office_en => 'Office of the Tahsildar, Tirupati Urban',
    title_te => 'ఆదాయ ధృవీకరణ పత్రం',
    title_en => 'Income Certificate',
    number => 'INC/TPT/2026/000123',
    holder_name => 'కొండపల్లి శ్రీనివాస్ రెడ్డి',
    holder_name_alt => 'Kondapalli Srinivas Reddy',
    fields => [
        ['తండ్రి / భర్త పేరు', "Father's / Husband's name",
         'కొండపల్లి అర్జున్ రావు'],
        ['చిరునామా', 'Address',
         'ఇంటి నం. 4-56, గాంధీ నగర్, తిరుపతి జిల్లా'],
        ['అన్ని మార్గాల ద్వారా వార్షిక ఆదాయం',
         'Annual income from all sources', 'రూ. 1,20,000'],
        ['ఆదాయం మాటల్లో', 'Income in words',
         'లక్ష ఇరవై వేల రూపాయలు మాత్రమే'],
        ['ప్రయోజనం', 'Purpose', 'విద్యార్థి ఉపకార వేతనం కోసం'],
        ['కులం', 'Caste', 'క్షత్రియ'],
        ['దరఖాస్తు సంఖ్య', 'Application number', 'REV-INC-2026-000123'],
        # a zero-width non-joiner keeps the virama visible: it must survive
        ['గమనిక', 'Remarks',
         "ఆధార్\xe2\x80\x8cతో ధృవీకరించబడింది"],
    ],
    verify_url => $URL,
    log_index => 48213,
    issued_at => 1768453200,            # 15-01-2026 10:30 IST
    expires_at => 1799989200,
);

cmp_ok(length $URL, '>=', 320, "the verification URL is realistic: "
       . length($URL) . " characters");

my ($rc, $info, $err, $pdf) = render(\%income);
is($rc, 0, 'the income certificate renders') or diag($err);
ok(-s $pdf > 1000, 'into a PDF of ' . (-s $pdf) . ' bytes');
like(slurp($pdf), qr/\A%PDF-1\.\d/, 'with a PDF header');

SKIP: {
    skip need('qpdf', 'pdfinfo'), 3 if need('qpdf', 'pdfinfo');
    qpdf_ok($pdf, 'the income certificate');
    is(pdf_pages($pdf), 1, 'one page');
    my (undef, $out) = run({}, 'pdfinfo', $pdf);
    like($out, qr/^Page size:.*\(A4\)/m, 'A4');
}

SKIP: {
    skip need('pdftotext'), 1 if need('pdftotext');
    subtest 'pdftotext gives back the exact strings' => sub {
        my $text = pdf_text($pdf);
        for my $k (qw(dept_te dept_en office_te office_en title_te title_en
                      number holder_name holder_name_alt))
        {
            ok(index($text, $income{$k}) >= 0, "$k: $income{$k}");
        }
        # a label or a value may wrap in its cell: a line break for a space
        (my $spaced = $text) =~ s/\s+/ /g;
        for my $f (@{ $income{fields} }) {
            ok(index($spaced, $f->[$_]) >= 0, "field: $f->[$_]") for 0 .. 2;
        }
        like($text, qr/15-01-2026/, 'the issue date, in IST');
        like($text, qr/15-01-2027/, 'the expiry');
        like($text, qr/Issuance log index\s+48213/, 'the log index');
        like($text, qr/Valid until/, 'the expiry is labelled');
        like($text, qr/To verify this certificate, scan the QR code/,
             'the footer says how to verify');
        (my $flat = $text) =~ s/\s+//g;
        ok(index($flat, $URL) >= 0, 'the URL is printed (over lines)');
    };
}

SKIP: {
    skip need('pdftoppm', 'zbarimg'), 5 if need('pdftoppm', 'zbarimg');

    my $dpi = 200;
    my ($prc, undef, $perr) = run({}, 'pdftoppm', '-r', $dpi, '-png',
                                  '-singlefile', $pdf, "$TMP/page");
    is($prc, 0, "pdftoppm rasterises the page at $dpi dpi") or diag($perr);

    my ($zrc, $zout, $zerr) = run({}, 'zbarimg', '--raw', '-q',
                                  "$TMP/page.png");
    chomp $zout;
    is($zrc, 0, 'zbarimg finds a code') or diag($zerr);
    is($zout, $URL, 'which decodes to exactly the verification URL');

    # the QR in the raster: the dark modules' box, inside the box the
    # renderer says it drew (quiet zone included), cut out a little larger
    my $px = $dpi / 72;
    my $m = 6;
    my @crop = (int($info->{qr_x} * $px) - $m, int($info->{qr_y} * $px) - $m,
                int($info->{qr_side} * $px) + 2 * $m,
                int($info->{qr_side} * $px) + 2 * $m);
    run({}, 'pdftoppm', '-r', $dpi, '-gray', '-singlefile',
        '-x', $crop[0], '-y', $crop[1], '-W', $crop[2], '-H', $crop[3],
        $pdf, "$TMP/qr");
    my ($w, $h, $pix) = read_pgm("$TMP/qr.pgm");
    my ($x0, $y0, $x1, $y1) = ($w, $h, -1, -1);
    for my $y (0 .. $h - 1) {
        for my $x (0 .. $w - 1) {
            next if ord(substr $pix, $y * $w + $x, 1) >= 128;
            $x0 = $x if $x < $x0;
            $x1 = $x if $x > $x1;
            $y0 = $y if $y < $y0;
            $y1 = $y if $y > $y1;
        }
    }
    my $n = $info->{qr_modules};
    my $module = ($x1 - $x0 + 1) / $n;      # pixels
    my $mm = ($n + 8) * $module / $px * 25.4 / 72;
    subtest "the QR measures $mm mm with its quiet zone" => sub {
        cmp_ok($mm, '>=', 30, 'at least 30 mm');
        cmp_ok(abs(($x1 - $x0) - ($y1 - $y0)), '<=', 2, 'square');
        cmp_ok(abs($mm - $info->{qr_side} * 25.4 / 72), '<', 0.5,
               "as the renderer says ($info->{qr_side} pt)");
        # the dark box starts 4 modules into the drawn box: the quiet zone
        # holds nothing dark (no text, no border ran into it)
        cmp_ok(abs(($x0 - $m) - 4 * $module), '<=', 2, 'a 4-module quiet '
               . 'zone on the left');
        cmp_ok(abs(($y0 - $m) - 4 * $module), '<=', 2, 'and on top');
        cmp_ok(abs(($w - 1 - $m - $x1) - 4 * $module), '<=', 2,
               'on the right');
        cmp_ok(abs(($h - 1 - $m - $y1) - 4 * $module), '<=', 2,
               'at the bottom');
    };
}

# ---------------------------------------------------------------------------
# Determinism.

{
    my ($rc2, undef, $err2, $pdf2) = render(\%income);
    is($rc2, 0, 'a second render') or diag($err2);
    ok(slurp($pdf2) eq slurp($pdf), 'gives the same bytes');

    my ($rc3, undef, $err3, $pdf3) = render(\%income, env => {
        LANG => 'te_IN.UTF-8', LC_ALL => 'te_IN.UTF-8',
        TZ => 'America/New_York', SOURCE_DATE_EPOCH => '1',
    });
    is($rc3, 0, 'a render in another locale and time zone') or diag($err3);
    ok(slurp($pdf3) eq slurp($pdf), 'gives the same bytes too');

    my %later = (%income, issued_at => $income{issued_at} + 60);
    my (undef, undef, undef, $pdf4) = render(\%later);
    ok(slurp($pdf4) ne slurp($pdf), 'a minute later is another document');
}

# ---------------------------------------------------------------------------
# A very long value wraps, on the one page.

{
    my $long = join ' ', ('ఇంటి నం. 4-56, గాంధీ నగర్ మూడో వీధి, '
                          . 'Gandhi Nagar 3rd Street,') x 12;
    my %doc = (%income, fields => [
        @{ $income{fields} }[0 .. 1],
        ['చిరునామా వివరాలు', 'Address in full', $long],
        @{ $income{fields} }[2 .. 4],
    ]);
    my ($rc, $info, $err, $pdf) = render(\%doc);
    is($rc, 0, 'a value of ' . length($long) . ' bytes renders') or diag($err);

    SKIP: {
        skip need('qpdf', 'pdfinfo', 'pdftotext'), 4
            if need('qpdf', 'pdfinfo', 'pdftotext');
        qpdf_ok($pdf, 'the long value');
        is(pdf_pages($pdf), 1, 'still one page');
        # in drawing order (-raw): pdftotext's guess at a reading order puts
        # the labels between the first line of a long cell and the rest
        my $text = pdf_text($pdf, '-raw');
        (my $spaced = $text) =~ s/\s+/ /g;
        ok(index($spaced, $long) >= 0, 'all of the value is on it');
        my @lines = grep { /గాంధీ నగర్|Gandhi Nagar/ } split /\n/, $text;
        cmp_ok(scalar @lines, '>=', 5, 'over ' . scalar(@lines) . ' lines');
    }
}

# ---------------------------------------------------------------------------
# Optional strings: missing (NULL) or empty.

{
    my %doc = (
        dept_en => 'Revenue Department',
        title_en => 'Income Certificate',
        number => 'INC/1',
        holder_name => 'రవి కుమార్',
        verify_url => 'HTTPS://VERIFY.EXAMPLE/C/' . base32(cose_like('x')),
        issued_at => 1768453200,
        dept_te => undef,
        holder_name_alt => '',
        fields => [[undef, 'Purpose', ''], ['ప్రయోజనం', '', undef]],
    );
    my ($rc, $info, $err, $pdf) = render(\%doc);
    is($rc, 0, 'only the required strings, empty values and one-language '
       . 'labels') or diag($err);

    SKIP: {
        skip need('qpdf', 'pdftotext'), 2 if need('qpdf', 'pdftotext');
        qpdf_ok($pdf, 'the minimal document');
        my $text = pdf_text($pdf);
        subtest 'what is missing is not printed' => sub {
            ok(index($text, 'రవి కుమార్') >= 0, 'the name is there');
            unlike($text, qr/Valid until/, 'no expiry');
            unlike($text, qr/Issuance log index/, 'no log index');
        };
    }
}

# ---------------------------------------------------------------------------
# Invalid UTF-8 anywhere: refused, named, nothing written.

{
    my @slots = qw(dept_te dept_en office_te office_en title_te title_en
                   number holder_name holder_name_alt verify_url);
    my @bad = (["\xff", '0xff'], ["\xe0\xb0", 'a cut Telugu letter'],
               ["\xc0\xaf", 'an overlong /']);

    for my $b (@bad) {
        my @results;
        for my $s (@slots, 'label_te', 'label_en', 'value') {
            my %doc = (%income, fields => [map { [@$_] } @{ $income{fields} }]);
            my $text = "Ravi $b->[0] Kumar";
            my $slot = $s;
            if ($s =~ /^(label_te|label_en|value)$/) {
                my $i = { label_te => 0, label_en => 1, value => 2 }->{$s};
                $doc{fields}[2][$i] = $text;
                $slot = "fields[2].$s";
            } else {
                $doc{$s} = $text;
            }
            my ($rc, undef, $err, $pdf) = render(\%doc);
            push @results, [$slot, $rc, $err, -e $pdf];
        }
        my @wrong = grep { $_->[1] != 1 || $_->[3]
                           || $_->[2] !~ /\Q$_->[0]\E is not valid UTF-8/ }
                    @results;
        ok(!@wrong, "$b->[1] is refused in each of the " . scalar(@results)
           . ' strings, the string named, no PDF written')
            or diag(join '', map { "$_->[0]: exit $_->[1], $_->[2]" } @wrong);
    }
}

done_testing();

#!/usr/bin/env perl
# Broken configuration is refused by nginx -t with a message that says
# what to fix; the module loads into Debian's stock nginx.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use Mana::Test;

my $dir = tempdir(CLEANUP => 1);
sub write_file { my ($f, $c, $mode) = @_; open my $fh, '>', $f or die $!; print $fh $c; close $fh; chmod($mode // 0600, $f) }
write_file("$dir/secret", "s3cret\n");
write_file("$dir/empty", "\n");
write_file("$dir/long", 'x' x 5000);
write_file("$dir/dockey", "c2VjcmV0IGtleSBvZiBhdCBsZWFzdCAzMiBieXRlcw==\n");

sub nginx_t {
    my ($http, $server, $location) = @_;
    $http //= "mana_db_server unix:$dir/mysqld.sock;\n    mana_db_user mana_module;\n    mana_db_password_file $dir/secret;";
    $server //= "mana_app_secret_file $dir/secret;\n        mana_verify_token_file $dir/secret;";
    $location //= 'mana_webhook;';
    write_file("$dir/nginx.conf", <<"CONF", 0644);
load_module $Mana::Test::BUILD/modules/ngx_http_mana_module.so;
pid $dir/nginx.pid;
events {}
http {
    client_body_temp_path $dir/body;
    $http
    server {
        listen 127.0.0.1:1;
        $server
        location = /webhook { $location }
    }
}
CONF
    my $out = `nginx -t -p $dir -c $dir/nginx.conf -e $dir/error.log 2>&1`;
    return ($? >> 8, $out);
}

my ($rc, $out) = nginx_t();
is($rc, 0, 'a complete configuration passes nginx -t') or diag $out;
($rc, $out) = nginx_t("mana_db_server unix:$dir/s; mana_db_user u; mana_document_key_file $dir/dockey; "
                      . "mana_verify_host verify.example.in;", undef, 'mana_document;');
is($rc, 0, 'mana_document with its key and host passes nginx -t') or diag $out;

for my $case (
    [ 'no mana_db_server', 'mana_db_user u;', undef, undef,
      qr/need "mana_db_server" in the http block/ ],
    [ 'no mana_db_user', "mana_db_server unix:$dir/s;", undef, undef,
      qr/"mana_db_user" is not set/ ],
    [ 'a host name for the server', "mana_db_server db.example.org:3306; mana_db_user u;", undef, undef,
      qr/invalid MariaDB server "db.example.org:3306"/ ],
    [ 'a bad port', "mana_db_server 127.0.0.1:99999; mana_db_user u;", undef, undef,
      qr/invalid MariaDB server/ ],
    [ 'pool size 0', "mana_db_server unix:$dir/s; mana_db_user u; mana_db_pool_size 0;", undef, undef,
      qr/must be between 1 and 1024/ ],
    [ 'a bad timeout', "mana_db_server unix:$dir/s; mana_db_user u; mana_db_query_timeout soon;", undef, undef,
      qr/"mana_db_query_timeout" directive invalid value/ ],
    [ 'no app secret', undef, "mana_verify_token_file $dir/secret;", undef,
      qr/"mana_webhook" needs "mana_app_secret_file"/ ],
    [ 'no verify token', undef, "mana_app_secret_file $dir/secret;", undef,
      qr/"mana_webhook" needs "mana_verify_token_file"/ ],
    [ 'a missing secret file', undef, "mana_app_secret_file $dir/nope; mana_verify_token_file $dir/secret;", undef,
      qr/cannot open secret file "\Q$dir\E\/nope"/ ],
    [ 'an empty secret file', undef, "mana_app_secret_file $dir/empty; mana_verify_token_file $dir/secret;", undef,
      qr/secret file "\Q$dir\E\/empty" is empty/ ],
    [ 'an oversized secret file', undef, "mana_app_secret_file $dir/long; mana_verify_token_file $dir/secret;", undef,
      qr/longer than 4096 bytes/ ],
    [ 'mana_webhook twice', undef, undef, 'mana_webhook; mana_webhook;',
      qr/"mana_webhook" directive is duplicate/ ],
    [ 'mana_webhook with an argument', undef, undef, 'mana_webhook on;',
      qr/invalid number of arguments in "mana_webhook"/ ],
    [ 'an unknown mana directive', undef, undef, 'mana_webhook; mana_webhok_max_body 1m;',
      qr/unknown directive "mana_webhok_max_body"/ ],
    [ 'mana_document without its key', "mana_db_server unix:$dir/s; mana_db_user u; mana_verify_host v.example.in;",
      undef, 'mana_document;', qr/"mana_document" needs "mana_document_key_file"/ ],
    [ 'mana_document without the verify host', "mana_db_server unix:$dir/s; mana_db_user u; mana_document_key_file $dir/dockey;",
      undef, 'mana_document;', qr/"mana_document" needs "mana_verify_host"/ ],
    [ 'a document key too short', "mana_db_server unix:$dir/s; mana_db_user u; mana_document_key_file $dir/secret; mana_verify_host v.example.in;",
      undef, 'mana_document;', qr/a document key has at least 32 bytes/ ],
    [ 'a missing document key', "mana_db_server unix:$dir/s; mana_db_user u; mana_document_key_file $dir/nope; mana_verify_host v.example.in;",
      undef, 'mana_document;', qr/cannot read \Q$dir\E\/nope/ ],
    [ 'a verify host with a path', "mana_db_server unix:$dir/s; mana_db_user u; mana_document_key_file $dir/dockey; mana_verify_host v.example.in/x;",
      undef, 'mana_document;', qr/"mana_verify_host" "v.example.in\/x": letters, digits/ ],
    [ 'a depth bound out of range', undef, "mana_app_secret_file $dir/secret; mana_verify_token_file $dir/secret; mana_webhook_max_depth 100000;", undef,
      qr/must be between 4 and 256/ ],
) {
    my ($name, @conf) = @$case;
    my $re = pop @conf;
    ($rc, $out) = nginx_t(@conf);
    isnt($rc, 0, "$name: refused");
    like($out, $re, "$name: says so") or diag $out;
}

write_file("$dir/world", "s3cret\n", 0644);
($rc, $out) = nginx_t(undef, "mana_app_secret_file $dir/world; mana_verify_token_file $dir/secret;");
is($rc, 0, 'a world-readable secret still loads');
like($out, qr/secret file "\Q$dir\E\/world" is readable by everyone/, 'with a warning');

# the module adds nothing to a server that does not use it
write_file("$dir/nginx.conf", <<"CONF", 0644);
load_module $Mana::Test::BUILD/modules/ngx_http_mana_module.so;
pid $dir/nginx.pid;
events {}
http { server { listen 127.0.0.1:1; location / { return 200; } } }
CONF
$out = `nginx -t -p $dir -c $dir/nginx.conf -e $dir/error.log 2>&1`;
is($? >> 8, 0, 'loaded but unused: nginx -t passes') or diag $out;

done_testing();

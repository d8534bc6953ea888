#!/usr/bin/env bash
# The one entry point: ./build.sh deps|build|run|stop|test|bench|clean
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

build=$top/build
var=$top/var
port=${MANA_PORT:-8080}

packages=(
    build-essential pkg-config perl curl
    nginx nginx-dev
    mariadb-server mariadb-client libmariadb-dev libdbd-mariadb-perl
    libjansson-dev libpcre2-dev libssl-dev libqrencode-dev zlib1g-dev
    # certificate PDFs: cairo and pango (HarfBuzz shaping) with the fonts the
    # renderer loads by path, and the tools its tests read the PDF with
    libcairo2-dev libpango1.0-dev fonts-noto-core fonts-dejavu-core
    poppler-utils zbar-tools qpdf
    wrk
    # a worker that crashes in a test run has its core's backtrace printed
    gdb
    # tests that check keys and signatures with code that is not mmctl's
    openssl python3-cryptography
    # the sandbox's browser test: headless Chromium driven by playwright-core,
    # and a Telugu font for it (and for people opening the sandbox here)
    chromium nodejs fonts-lohit-telu
)

say() { printf '%s\n' "$*" >&2; }
die() { say "build.sh: $*"; exit 1; }

deps() {
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
            || missing+=("$p")
    done
    # Debian's npm, unless a node that brings its own (NodeSource's) is there
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root to install them)"
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # --no-install-recommends keeps the machine lean; nothing here needs them
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    # Debian's postinst scripts may try to start the system's own servers:
    # this project runs private ones and needs neither.
}

# the sandbox page, embedded into the module: rewritten only when it changed
embed_sandbox() {
    local out=$top/ngx_mana_module/ngx_http_mana_sandbox_assets.h
    perl "$top/web/embed-sandbox.pl" "$top/web/sandbox" > "$out.new"
    if cmp -s "$out.new" "$out"; then rm -f "$out.new"; else mv "$out.new" "$out"; fi
}

build_module() {
    local src=$build/nginx stamp
    embed_sandbox
    # configure again only when the addon script or Debian's tree changed
    stamp=$( (cat "$top/config" /usr/share/nginx/src/conf_flags; ls "$top"/lib/*.[ch] "$top"/ngx_mana_module/*.[ch]) | sha256sum | cut -c1-16)
    if [ ! -f "$src/objs/Makefile" ] || [ "$(cat "$src/.mana-stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$src"
        mkdir -p "$build"
        cp -r /usr/share/nginx/src "$src"
        # shellcheck disable=SC1091
        ( cd "$src" && . ./conf_flags &&
          ./configure "${NGX_CONF_FLAGS[@]}" \
              --with-cc-opt="-g -O2 -fstack-protector-strong -Wformat -Werror=format-security -D_FORTIFY_SOURCE=2" \
              --add-dynamic-module="$top" ) > "$build/configure.log" 2>&1 \
            || { tail -20 "$build/configure.log" >&2; die "configure failed (log: $build/configure.log)"; }
        echo "$stamp" > "$src/.mana-stamp"
    fi
    make -s -C "$src" -f objs/Makefile -j2 modules > "$build/make.log" 2>&1 \
        || { grep -E 'error|warning' "$build/make.log" | head -30 >&2; die "module build failed (log: $build/make.log)"; }
    mkdir -p "$build/modules"
    # a running nginx maps this file: replace it by rename, never rewrite it
    # in place (workers forked from a master whose mapping changed crash)
    if ! cmp -s "$src/objs/ngx_http_mana_module.so" "$build/modules/ngx_http_mana_module.so"; then
        cp "$src/objs/ngx_http_mana_module.so" "$build/modules/.ngx_http_mana_module.so.new"
        mv -f "$build/modules/.ngx_http_mana_module.so.new" "$build/modules/ngx_http_mana_module.so"
    fi
}

# cc only when a source is newer than its output
cc_if_newer() {
    local out=$1; shift
    local f
    if [ -f "$out" ]; then
        for f in "$@"; do [ "$f" -nt "$out" ] && break; f=; done
        [ -z "${f:-}" ] && return 0
    fi
    return 1
}

cflags="-O2 -g -std=gnu11 -Wall -Wextra -Werror -Ilib -Icli -I$build"
# what every program linking lib/ needs: among them the QR encoder and the
# PDF renderer's cairo, pango and fontconfig (pango_fc_* is in pangoft2)
lib_pkgs="jansson libcrypto libpcre2-8 libqrencode pangocairo pangoft2 fontconfig"
lib_libs="-lpthread -lm"

build_mmctl() {
    perl cli/embed-sql.pl sql > "$build/mmctl_migrations.c.new"
    if ! cmp -s "$build/mmctl_migrations.c.new" "$build/mmctl_migrations.c"; then
        mv "$build/mmctl_migrations.c.new" "$build/mmctl_migrations.c"
    else
        rm -f "$build/mmctl_migrations.c.new"
    fi
    cc_if_newer "$build/mmctl" cli/*.c cli/*.h lib/*.c lib/*.h "$build/mmctl_migrations.c" && return 0
    # shellcheck disable=SC2086,SC2046
    cc $cflags cli/*.c lib/*.c "$build/mmctl_migrations.c" \
        $(pkg-config --cflags --libs libmariadb $lib_pkgs) $lib_libs -o "$build/mmctl"
}

build_unit_tests() {
    local t name
    mkdir -p "$build/t"
    for t in t/unit/*.c; do
        name=$build/t/$(basename "$t" .c)
        cc_if_newer "$name" "$t" t/unit/*.h lib/*.c lib/*.h && continue
        # shellcheck disable=SC2086,SC2046
        cc $cflags -It/unit "$t" lib/*.c \
            $(pkg-config --cflags --libs $lib_pkgs) $lib_libs -o "$name"
    done
}

build_all() {
    deps
    mkdir -p "$build"
    build_module
    build_mmctl
    build_unit_tests
    say "built: $build/modules/ngx_http_mana_module.so, $build/mmctl"
}

# --- the local stack of ./build.sh run ------------------------------------

db_sock=$var/mariadb/mysqld.sock
ngx_pid=$var/nginx/nginx.pid

# the unprivileged user a server runs as, if it can reach $var; else ours
run_user() {
    local u=$1
    if [ "$(id -u)" -eq 0 ] && id "$u" >/dev/null 2>&1 \
        && runuser -u "$u" -- test -x "$var" 2>/dev/null; then
        echo "$u"
    else
        id -un
    fi
}

db_running() { [ -S "$db_sock" ] && mariadb-admin --no-defaults -S "$db_sock" ping >/dev/null 2>&1; }
nginx_running() { [ -f "$ngx_pid" ] && kill -0 "$(cat "$ngx_pid")" 2>/dev/null; }

start_db() {
    local u
    mkdir -p "$var/mariadb" "$var/log"
    u=$(run_user mysql)
    if [ ! -d "$var/mariadb/data/mysql" ]; then
        chown "$u" "$var/mariadb"
        mariadb-install-db --no-defaults --user="$u" --datadir="$var/mariadb/data" \
            --auth-root-authentication-method=socket --skip-test-db \
            > "$var/log/mariadb-install.log" 2>&1 \
            || die "mariadb-install-db failed (log: $var/log/mariadb-install.log)"
    fi
    chown "$u" "$var/mariadb" "$var/log"
    mariadbd --no-defaults --user="$u" --datadir="$var/mariadb/data" \
        --socket="$db_sock" --pid-file="$var/mariadb/mysqld.pid" \
        --skip-networking --log-error="$var/log/mariadb.log" \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --innodb-flush-log-at-trx-commit=1 --max-connections=500 \
        > /dev/null 2>&1 &
    local i
    for i in $(seq 1 300); do
        db_running && return 0
        sleep 0.1
    done
    die "MariaDB did not start (log: $var/log/mariadb.log)"
}

secret() {
    local f=$var/secrets/$1
    if [ ! -s "$f" ]; then
        ( umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f" )
    fi
}

# The demo's signing keys (a root, the log's, issuers for Guntur's revenue
# offices and its exams office), the trust list, the demo hall tickets and
# a first checkpoint: once, marked by var/.demo-certificates.  mmctl runs
# with the settings the run prints for the administrator.
mmctl_demo() {
    "$build/mmctl" --socket "$db_sock" --user root \
        --master-key-file "$var/secrets/master.key" \
        --verify-host "127.0.0.1:$port" \
        --document-key-file "$var/secrets/document_key" "$@"
}

demo_certificates() {
    local office log=$var/log/demo-certificates.log
    mkdir -p "$var/log"
    [ -s "$var/secrets/master.key" ] || mmctl_demo key init-master >> "$log"
    [ -f "$var/.demo-certificates" ] && return 0
    {
        mmctl_demo key generate --purpose root --name mana-demo-root
        mmctl_demo key generate --purpose log --name "127.0.0.1:$port/log"
        for office in REV-GNT-COLL REV-GNT-RDO REV-GNT-TAH REV-GNT-TENALI SED-GNT; do
            mmctl_demo key generate --purpose issuer --office "$office"
        done
        mmctl_demo key trust-list
        # the tickets expire a year from today, not with the demo exam's
        # date: mmctl refuses to import a record that has expired
        sed -E "s/,[0-9]{4}-[0-9]{2}-[0-9]{2}\$/,$(date -u -d '+1 year' +%F)/" \
            "$top/sql/seed/ssc-hall-tickets.csv" > "$var/ssc-hall-tickets.csv"
        mmctl_demo records import --service SED-SSCHT --office SED-GNT \
            "$var/ssc-hall-tickets.csv"
        mmctl_demo log checkpoint
    } >> "$log" 2>&1 || die "the demo's keys and hall tickets failed (log: $log)"
    touch "$var/.demo-certificates"
    say "demo signing keys, trust list, hall tickets and a first checkpoint made (log: $log)"
}

write_nginx_conf() {
    local u graph
    u=$(run_user nobody)
    # without a Graph API of its own, the sender delivers to the sandbox's
    # stand-in, so that the bot answers in the sandbox's chat
    graph="mana_graph_url ${MANA_GRAPH_URL:-http://127.0.0.1:$port/mana/sandbox/graph};
    mana_graph_token_file $var/secrets/graph_token;"
    mkdir -p "$var/nginx/tmp" "$var/log"
    cat > "$var/nginx/nginx.conf" <<NGX
# generated by ./build.sh run: edit build.sh, not this file
load_module $build/modules/ngx_http_mana_module.so;

$( [ "$(id -u)" -eq 0 ] && echo "user $u $(id -gn "$u");" )
worker_processes auto;
pid $ngx_pid;
error_log $var/log/nginx-error.log notice;

events {
    worker_connections 4096;
}

http {
    access_log $var/log/nginx-access.log;
    client_body_temp_path $var/nginx/tmp/body;
    proxy_temp_path $var/nginx/tmp/proxy;
    fastcgi_temp_path $var/nginx/tmp/fastcgi;
    uwsgi_temp_path $var/nginx/tmp/uwsgi;
    scgi_temp_path $var/nginx/tmp/scgi;

    mana_db_server unix:$db_sock;
    mana_db_user mana_module;
    mana_db_password_file $var/secrets/db_password;
    mana_db_name mana;
    $graph

    # the bot answers every new message, from the demo catalogue
    mana_bot on;
    mana_notice_url http://127.0.0.1:$port/mana/sandbox/privacy;
    mana_notice_version 2026-11;
    mana_contact "Grievance Officer, RTGS, Amaravati (demo)";
    # the QR codes' host, and the key of the PDFs' links (mmctl's too)
    mana_verify_host 127.0.0.1:$port;
    mana_document_key_file $var/secrets/document_key;

    server {
        listen 127.0.0.1:$port;

        mana_app_secret_file $var/secrets/app_secret;
        mana_verify_token_file $var/secrets/verify_token;

        location = /webhook {
            mana_webhook;
        }

        location = /health {
            mana_health;
            access_log off;
        }

        # a certificate's verification page (the QR's link); mana_verify
        # keeps the certificate out of the access log
        location ^~ /C/ {
            mana_verify;
        }

        # the public issuance log and the signed trust list
        location /log/ {
            mana_log;
        }

        location = /.well-known/mana/trust.json {
            mana_trust_list;
        }

        # a certificate's status, with proofs from the log
        location ^~ /api/v1/status/ {
            mana_status;
        }

        # certificates' PDFs, by the links in document messages
        location ^~ /D/ {
            mana_document;
        }

        # the browser chat and the Graph stand-in: never in production
        location /mana/sandbox/ {
            mana_sandbox on;
        }
    }
}
NGX
}

run() {
    build_all
    if nginx_running && db_running; then
        say "the stack is already running: nginx on http://127.0.0.1:$port, the sandbox at http://127.0.0.1:$port/mana/sandbox/ (./build.sh stop stops it)"
        return 0
    fi
    mkdir -p "$var/secrets"
    chmod 700 "$var/secrets"
    local s
    for s in app_secret verify_token graph_token db_password document_key; do secret "$s"; done

    db_running || start_db
    "$build/mmctl" --socket "$db_sock" --user root db migrate >&2
    "$build/mmctl" --socket "$db_sock" --user root db grant mana_module \
        --password-file "$var/secrets/db_password" >&2
    # the demo catalogue and the bot's messages (a re-run changes nothing)
    "$build/mmctl" --socket "$db_sock" --user root service import \
        "$top/sql/seed/catalogue.json" >&2
    "$build/mmctl" --socket "$db_sock" --user root i18n import \
        "$top/sql/seed/messages.json" >&2
    demo_certificates

    write_nginx_conf
    nginx -t -q -p "$var/nginx" -c "$var/nginx/nginx.conf" -e "$var/log/nginx-error.log" \
        || die "nginx rejected the configuration ($var/nginx/nginx.conf)"
    nginx_running || nginx -p "$var/nginx" -c "$var/nginx/nginx.conf" -e "$var/log/nginx-error.log"

    local replies="the sandbox's Graph stand-in (shown in its chat)"
    [ -n "${MANA_GRAPH_URL:-}" ] && replies=$MANA_GRAPH_URL

    cat <<TXT
Mana is running.
  sandbox:  http://127.0.0.1:$port/mana/sandbox/  (chat with the bot in a browser)
  webhook:  http://127.0.0.1:$port/webhook
  health:   http://127.0.0.1:$port/health
  MariaDB:  unix socket $db_sock, database mana
            (as root: mariadb -S $db_sock mana)
  mmctl:    export MANA_DB_SOCKET=$db_sock MANA_DB_USER=root \\
              MANA_MASTER_KEY_FILE=$var/secrets/master.key \\
              MANA_VERIFY_HOST=127.0.0.1:$port \\
              MANA_DOCUMENT_KEY_FILE=$var/secrets/document_key
  try:      in the sandbox, "SED-SSCHT" with roll number 2627100001 and
            date of birth 14-03-2011 gives a hall ticket as its PDF;
            apply for REV-INC in Guntur district, then
            "mmctl app list" and "mmctl app approve REF" send the
            certificate; "certificates" sends it again
  replies:  delivered to $replies
  secrets:  $var/secrets/ (app_secret, verify_token, graph_token,
            document_key, master.key)
  logs:     $var/log/
  stop:     ./build.sh stop
TXT
}

stop() {
    if nginx_running; then
        nginx -p "$var/nginx" -c "$var/nginx/nginx.conf" -e "$var/log/nginx-error.log" -s quit
        say "nginx stopped"
    fi
    if [ -f "$var/mariadb/mysqld.pid" ] && kill -0 "$(cat "$var/mariadb/mysqld.pid")" 2>/dev/null; then
        local pid
        pid=$(cat "$var/mariadb/mysqld.pid")
        kill "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        say "MariaDB stopped"
    fi
}

case "${1:-}" in
    deps)  deps ;;
    build) build_all ;;
    run)   run ;;
    stop)  stop ;;
    test)
        build_all
        shift
        prove -r ${MANA_PROVE_FLAGS:--j2} "${@:-t/}"
        ;;
    bench)
        build_all
        shift
        if [ $# -eq 0 ]; then
            # all three: raw webhook ingestion, whole conversations,
            # certificates
            perl bench/bench.pl
            perl bench/bench.pl --bot
            exec perl bench/bench.pl --cert
        fi
        exec perl bench/bench.pl "$@"
        ;;
    clean) rm -rf "$build"; say "removed $build (the local stack's data in $var is kept)" ;;
    *)
        say "usage: ./build.sh deps|build|run|stop|test|bench|clean"
        exit 2
        ;;
esac

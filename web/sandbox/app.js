/*
 * The sandbox chat.  What the citizen types or taps is POSTed to api/send,
 * which turns it into the webhook payload Meta would send; the bot's
 * replies are what the real outbox sender delivered to the Graph stand-in,
 * read back from api/messages.  No library, no build step: the page must
 * work offline and under a CSP that allows nothing but itself.
 */
(function () {
    'use strict';

    var POLL_MS = 700;
    var NUMBER_KEY = 'mana.sandbox.number';

    var $ = function (id) { return document.getElementById(id); };
    var chat = $('chat');
    var numberInput = $('number');
    var textInput = $('text');
    var statusLine = $('status');
    var idleStatus = statusLine.textContent;

    var number = '';
    var transcript = null;   /* { after: <last message id>, items: [...] } */
    var pollTimer = null;
    var polling = false;
    var generation = 0;      /* bumps when the number changes */
    var typingTimer = null;

    /* --- the pretend citizen's number ------------------------------------ */

    function randomNumber() {
        var n = '91' + String(6 + Math.floor(Math.random() * 4));
        var buf = new Uint32Array(9);
        (window.crypto || {}).getRandomValues
            ? window.crypto.getRandomValues(buf)
            : buf.forEach(function (_, i) { buf[i] = Math.random() * 10; });
        for (var i = 0; i < 9; i++) {
            n += String(buf[i] % 10);
        }
        return n;
    }

    function validNumber(s) { return /^[0-9]{10,15}$/.test(s); }

    function storageKey() { return 'mana.sandbox.chat.' + number; }

    function load() {
        try {
            transcript = JSON.parse(sessionStorage.getItem(storageKey()));
        } catch (e) {
            transcript = null;
        }
        if (!transcript || !Array.isArray(transcript.items)) {
            transcript = { after: 0, items: [] };
        }
    }

    function save() {
        try {
            sessionStorage.setItem(storageKey(), JSON.stringify(transcript));
        } catch (e) {
            /* a full storage only costs the history on reload */
        }
    }

    function useNumber(n) {
        number = n;
        numberInput.value = n;
        try { sessionStorage.setItem(NUMBER_KEY, n); } catch (e) { /* */ }
        generation++;
        load();
        renderAll();
        schedulePoll(0);
    }

    /* --- WhatsApp's text formatting, built as DOM nodes (never HTML) ---- */

    var URL_RE = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'*_~]/g;
    var FMT_RE = /```([^`]+)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;

    function formatted(parent, text) {
        var last = 0, m;
        URL_RE.lastIndex = 0;
        while ((m = URL_RE.exec(text)) !== null) {
            styled(parent, text.slice(last, m.index));
            var a = document.createElement('a');
            a.href = m[0];
            a.textContent = m[0];
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            parent.appendChild(a);
            last = m.index + m[0].length;
        }
        styled(parent, text.slice(last));
    }

    function styled(parent, text) {
        var last = 0, m, el;
        FMT_RE.lastIndex = 0;
        while ((m = FMT_RE.exec(text)) !== null) {
            parent.appendChild(document.createTextNode(text.slice(last, m.index)));
            if (m[1] !== undefined) { el = document.createElement('code'); el.textContent = m[1]; }
            else if (m[2] !== undefined) { el = document.createElement('b'); el.textContent = m[2]; }
            else if (m[3] !== undefined) { el = document.createElement('i'); el.textContent = m[3]; }
            else { el = document.createElement('s'); el.textContent = m[4]; }
            parent.appendChild(el);
            last = m.index + m[0].length;
        }
        parent.appendChild(document.createTextNode(text.slice(last)));
    }

    /* --- drawing messages ------------------------------------------------ */

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        return e;
    }

    function hhmm(ms) {
        var d = new Date(ms || Date.now());
        return String(d.getHours()).padStart(2, '0') + ':'
            + String(d.getMinutes()).padStart(2, '0');
    }

    function meta(item) {
        var m = el('span', 'meta', hhmm(item.at));
        if (item.dir === 'out') {
            var t = el('span', 'ticks ' + (item.status || ''),
                       item.status === 'failed' ? '!' :
                       item.status === 'pending' ? '\u2713' : '\u2713\u2713');
            m.appendChild(t);
        }
        return m;
    }

    function drawIncoming(item, wrap) {
        var p = item.payload || {};
        var bubble = el('div', 'bubble');
        wrap.appendChild(bubble);

        if (p.type === 'text' && p.text) {
            formatted(bubble, String(p.text.body || ''));

        } else if (p.type === 'interactive' && p.interactive) {
            var ia = p.interactive, action = ia.action || {};
            if (ia.header && ia.header.text) {
                formatted(bubble.appendChild(el('div', 'header')), ia.header.text);
            }
            formatted(bubble, String((ia.body && ia.body.text) || ''));
            if (ia.footer && ia.footer.text) {
                bubble.appendChild(el('div', 'footer', ia.footer.text));
            }
            if (ia.type === 'button') {
                var box = el('div', 'buttons');
                (action.buttons || []).slice(0, 3).forEach(function (b) {
                    var r = b.reply || {};
                    var btn = el('button', '', r.title || r.id);
                    btn.type = 'button';
                    btn.dataset.id = r.id;
                    btn.addEventListener('click', function () {
                        send({ reply: { id: r.id, title: r.title || r.id, kind: 'button' } },
                             { reply: { title: r.title || r.id } });
                    });
                    box.appendChild(btn);
                });
                wrap.appendChild(box);
            } else if (ia.type === 'list') {
                var open = el('button', 'list-open', action.button || 'Choose');
                open.type = 'button';
                open.addEventListener('click', function () { openList(ia); });
                bubble.appendChild(open);
            }

        } else if (p.type === 'document' && p.document) {
            /* Meta would fetch the link; here this server serves it */
            var d = p.document;
            var file = el('a', 'file');
            var path = String(d.link || '').replace(/^https:\/\/[^\/]+/i, '');
            file.href = /^\/D\/[A-Za-z0-9_-]+$/.test(path) ? path : '#';
            file.target = '_blank';
            file.rel = 'noopener noreferrer';
            file.appendChild(el('span', 'file-icon', 'PDF'));
            file.appendChild(el('span', 'file-name', d.filename || 'document'));
            bubble.appendChild(file);
            if (d.caption) {
                formatted(bubble.appendChild(el('div', 'caption')), String(d.caption));
            }

        } else if (p.type === 'template' && p.template) {
            bubble.appendChild(el('div', 'template',
                'Template "' + p.template.name + '" ('
                + ((p.template.language || {}).code || '') + ')'));
            (p.template.components || []).forEach(function (c) {
                (c.parameters || []).forEach(function (x) {
                    if (x.text) { bubble.appendChild(el('div', '', x.text)); }
                });
            });

        } else {
            bubble.appendChild(el('div', 'template', '[' + (p.type || 'message') + ']'));
        }
        bubble.appendChild(meta(item));
    }

    function drawOutgoing(item, wrap) {
        var o = item.out || {};
        var bubble = el('div', 'bubble');
        wrap.appendChild(bubble);
        if (o.text !== undefined) {
            formatted(bubble, o.text);
        } else if (o.reply) {
            bubble.appendChild(document.createTextNode(o.reply.title));
            if (o.reply.description) {
                bubble.appendChild(el('div', 'reply-desc', o.reply.description));
            }
        } else if (o.location) {
            bubble.appendChild(document.createTextNode('Location: '
                + o.location.latitude.toFixed(4) + ', ' + o.location.longitude.toFixed(4)));
        } else if (o.image) {
            bubble.appendChild(document.createTextNode('Photo (the sandbox sends no image, only its metadata)'));
        }
        bubble.appendChild(meta(item));
    }

    function draw(item) {
        if (item.dir === 'error') {
            chat.appendChild(el('div', 'system error', item.text));
            return null;
        }
        var wrap = el('div', 'msg ' + item.dir);
        if (item.dir === 'in') {
            wrap.dataset.mid = item.id;
            drawIncoming(item, wrap);
        } else {
            drawOutgoing(item, wrap);
        }
        chat.appendChild(wrap);
        return wrap;
    }

    function scrollDown() { chat.scrollTop = chat.scrollHeight; }

    function renderAll() {
        while (chat.children.length > 1) {
            chat.removeChild(chat.lastChild);
        }
        transcript.items.forEach(draw);
        scrollDown();
    }

    /* --- an interactive list, in a sheet as on a phone ------------------ */

    var sheetChoice = null;

    function openList(ia) {
        var action = ia.action || {};
        var body = $('sheet-body');
        body.textContent = '';
        $('sheet-title').textContent = action.button || 'Choose';
        sheetChoice = null;
        $('sheet-send').disabled = true;
        (action.sections || []).forEach(function (s) {
            if (s.title) { body.appendChild(el('div', 'section-title', s.title)); }
            (s.rows || []).forEach(function (row) {
                var b = el('button', 'row');
                b.type = 'button';
                b.setAttribute('role', 'radio');
                b.setAttribute('aria-checked', 'false');
                b.dataset.id = row.id;
                var t = el('span', 'text');
                t.appendChild(el('div', 'title', row.title));
                if (row.description) { t.appendChild(el('div', 'desc', row.description)); }
                b.appendChild(t);
                b.appendChild(el('span', 'radio'));
                b.addEventListener('click', function () {
                    body.querySelectorAll('.row').forEach(function (x) {
                        x.setAttribute('aria-checked', 'false');
                    });
                    b.setAttribute('aria-checked', 'true');
                    sheetChoice = row;
                    $('sheet-send').disabled = false;
                });
                body.appendChild(b);
            });
        });
        $('sheet-shade').hidden = false;
    }

    function closeList() { $('sheet-shade').hidden = true; sheetChoice = null; }

    $('sheet-close').addEventListener('click', closeList);
    $('sheet-shade').addEventListener('click', function (e) {
        if (e.target === $('sheet-shade')) { closeList(); }
    });
    document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape') { closeList(); }
    });
    $('sheet-send').addEventListener('click', function () {
        var row = sheetChoice;
        if (!row) { return; }
        closeList();
        var reply = { id: row.id, title: row.title, kind: 'list' };
        if (row.description) { reply.description = row.description; }
        send({ reply: reply },
             { reply: { title: row.title, description: row.description } });
    });

    /* --- talking to the module ------------------------------------------ */

    function send(message, shown) {
        if (!validNumber(number)) {
            numberInput.focus();
            return;
        }
        var item = { dir: 'out', at: Date.now(), out: shown, status: 'pending' };
        transcript.items.push(item);
        save();
        var node = draw(item);
        scrollDown();
        var gen = generation;
        message.from = number;

        fetch('api/send', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(message),
            cache: 'no-store'
        }).then(function (res) {
            return res.json().catch(function () { return {}; }).then(function (j) {
                if (!res.ok) { throw new Error(j.error || ('HTTP ' + res.status)); }
                return j;
            });
        }).then(function () {
            item.status = 'sent';
            typing(true);
        }, function (err) {
            item.status = 'failed';
            if (gen === generation) {
                var e = { dir: 'error', text: 'Not sent: ' + err.message };
                transcript.items.push(e);
                draw(e);
                scrollDown();
            }
        }).then(function () {
            if (gen !== generation) { return; }
            save();
            var fresh = draw(item);
            if (node.parentNode === chat) { chat.replaceChild(fresh, node); }
            schedulePoll(150);
        });
    }

    function typing(on) {
        clearTimeout(typingTimer);
        statusLine.textContent = on ? 'typing\u2026' : idleStatus;
        if (on) { typingTimer = setTimeout(function () { typing(false); }, 5000); }
    }

    function schedulePoll(ms) {
        clearTimeout(pollTimer);
        pollTimer = setTimeout(poll, ms);
    }

    function poll() {
        if (polling || !validNumber(number)) {
            schedulePoll(POLL_MS);
            return;
        }
        polling = true;
        var gen = generation;
        fetch('api/messages?to=' + encodeURIComponent(number)
              + '&after=' + encodeURIComponent(transcript.after), { cache: 'no-store' })
            .then(function (res) { return res.ok ? res.json() : { messages: [] }; })
            .then(function (j) {
                if (gen !== generation) { return; }
                var msgs = j.messages || [];
                msgs.forEach(function (m) {
                    var item = { dir: 'in', id: m.id, at: m.at, payload: m.payload };
                    transcript.items.push(item);
                    transcript.after = Math.max(transcript.after, m.id);
                    draw(item);
                });
                if (msgs.length) {
                    typing(false);
                    save();
                    scrollDown();
                }
            }, function () { /* the server is away: try again later */ })
            .then(function () {
                polling = false;
                schedulePoll(POLL_MS);
            });
    }

    /* --- the controls ---------------------------------------------------- */

    $('compose').addEventListener('submit', function (e) {
        e.preventDefault();
        var text = textInput.value;
        if (!text.trim()) { return; }
        textInput.value = '';
        send({ text: text }, { text: text });
        textInput.focus();
    });

    $('send-location').addEventListener('click', function () {
        /* Amaravati, where the secretariat is: no permission prompt needed */
        var loc = { latitude: 16.5062, longitude: 80.648, name: 'Amaravati' };
        send({ location: loc }, { location: loc });
    });

    $('send-image').addEventListener('click', function () {
        send({ image: true }, { image: true });
    });

    $('number-form').addEventListener('submit', function (e) { e.preventDefault(); });

    numberInput.addEventListener('change', function () {
        var n = numberInput.value.replace(/\D/g, '');
        if (validNumber(n)) {
            useNumber(n);
        } else {
            numberInput.value = number;
        }
    });

    $('new-number').addEventListener('click', function () {
        useNumber(randomNumber());
        textInput.focus();
    });

    var saved = null;
    try { saved = sessionStorage.getItem(NUMBER_KEY); } catch (e) { /* */ }
    var fromUrl = (location.hash.match(/^#(\d{10,15})$/) || [])[1];
    useNumber(fromUrl || (validNumber(saved || '') ? saved : randomNumber()));
}());

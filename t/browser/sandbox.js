#!/usr/bin/env node
/*
 * Usage: node t/browser/sandbox.js URL PHONE SCREENSHOT PROFILE_DIR
 *
 * Opens the sandbox chat in Debian's headless Chromium and clicks through
 * a conversation as a person would: "Hi", a language, the notice, the
 * department and service lists, the income certificate's form (the
 * district from its list), confirm.  Prints one JSON line,
 * {"ok":true,"ref":"REV-INC-..","steps":[..]} or {"ok":false,"error":..},
 * and saves a screenshot of the chat either way.
 */
'use strict';

const { chromium } = require('playwright-core');

const [url, phone, shot, profile] = process.argv.slice(2);
/* no new reply for this long: the turn is over (a loaded machine is slow) */
const QUIET_MS = 2500;
const steps = [];

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function main(page) {
    const incoming = () => page.locator('.msg.in').count();

    /* waits for the bot's answer to a turn: new messages, then quiet */
    async function answered(before) {
        const end = Date.now() + 15000;
        let n = before;
        while (n === before) {
            if (Date.now() > end) { throw new Error('no answer after: ' + steps[steps.length - 1]); }
            await sleep(100);
            n = await incoming();
        }
        let quietSince = Date.now();
        while (Date.now() - quietSince < QUIET_MS) {
            await sleep(100);
            const m = await incoming();
            if (m !== n) { n = m; quietSince = Date.now(); }
        }
    }

    async function lastIds() {
        return page.locator('.msg.in').last().locator('[data-id]')
            .evaluateAll((els) => els.map((e) => e.dataset.id));
    }

    async function say(text) {
        steps.push('say ' + text);
        const before = await incoming();
        await page.fill('#text', text);
        await page.press('#text', 'Enter');
        await answered(before);
    }

    async function tap(id) {
        steps.push('tap ' + id);
        const before = await incoming();
        await page.locator(`.msg.in .buttons button[data-id="${id}"]`).last().click();
        await answered(before);
    }

    /* opens the last list and picks the row, paging with "More..." */
    async function pick(id) {
        for (let page_ = 0; page_ < 6; page_++) {
            await page.locator('.msg.in .list-open').last().click();
            const rows = page.locator('#sheet .row');
            await rows.first().waitFor();
            const ids = await rows.evaluateAll((els) => els.map((e) => e.dataset.id));
            let want = ids.indexOf(id);
            if (want < 0) {
                /* the last row of a paged list opens the next page */
                want = ids.length - 1;
                if (!/:\d+$/.test(ids[want])) {
                    throw new Error(`no row ${id} in [${ids}]`);
                }
            }
            steps.push('pick ' + ids[want]);
            const before = await incoming();
            await rows.nth(want).click();
            await page.click('#sheet-send');
            await answered(before);
            if (ids[want] === id) { return; }
        }
        throw new Error(`no row ${id} after 6 pages`);
    }

    await page.goto(url);
    await page.waitForSelector('#number');

    /* the pretend citizen's number is editable */
    await page.fill('#number', phone);
    await page.locator('#number').dispatchEvent('change');

    await say('Hi');
    await tap('lang:en');
    await tap('btn:accept');
    await pick('dept:REV');
    await pick('svc:REV-INC');
    await say('Ravi Kumar');
    await say('Suresh Kumar');
    await pick('opt:Guntur');
    await say('85000');
    for (let i = 0; i < 6; i++) {
        const ids = await lastIds();
        if (ids.includes('btn:confirm')) { break; }
        if (ids.includes('btn:skip')) { await tap('btn:skip'); } else { await say('skip'); }
    }
    await tap('btn:confirm');

    const text = (await page.locator('.msg.in .bubble').allTextContents()).join('\n');
    const m = text.match(/\bREV-INC-\d{4}-\d{6}\b/);
    if (!m) { throw new Error('no reference in the chat'); }
    await page.screenshot({ path: shot });

    /* the notice the bot links to, in English and Telugu */
    await page.goto(new URL('privacy', url).href);
    await page.waitForSelector('section[lang="te"] h1');
    await page.screenshot({ path: shot.replace(/\.png$/, '-privacy.png'), fullPage: true });
    return m[0];
}

(async () => {
    let context, out;
    try {
        context = await chromium.launchPersistentContext(profile, {
            executablePath: process.env.MANA_CHROMIUM || '/usr/bin/chromium',
            headless: true,
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                   '--no-first-run', '--disable-background-networking',
                   '--disable-component-update', '--disable-sync'],
            viewport: { width: 480, height: 900 },
            timeout: 30000,
        });
        const page = context.pages()[0] || await context.newPage();
        page.setDefaultTimeout(10000);
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (msg) => { if (msg.type() === 'error') { errors.push(msg.text()); } });
        try {
            const ref = await main(page);
            out = { ok: true, ref, steps, errors };
        } catch (e) {
            out = { ok: false, error: String(e && e.message || e), steps, errors };
        }
        if (!out.ok) { await page.screenshot({ path: shot }).catch(() => {}); }
    } catch (e) {
        out = { ok: false, error: 'browser: ' + String(e && e.message || e), steps };
    } finally {
        if (context) { await context.close().catch(() => {}); }
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(out.ok ? 0 : 1);
})();

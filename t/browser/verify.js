#!/usr/bin/env node
/*
 * Usage: node t/browser/verify.js CASES_JSON PROFILE_DIR
 *
 * Opens certificate verification pages (/C/<BASE32>) in Debian's headless
 * Chromium, one fresh tab each, and reports what a person would see.
 * CASES_JSON is a file holding [{"name":..,"url":..,"width":..,
 * "height":..,"shot":..}, ..].  Prints one JSON line,
 * {"ok":true,"pages":{"<name>":{..}}} or {"ok":false,"error":..}, where
 * each page has:
 *
 *   status        the HTTP status of the page
 *   verdict       #verdict's data-verdict, verdict_visible and
 *                 verdict_colour (its computed background, "rgb(r, g, b)")
 *   text          the body's rendered text (innerText: what is on screen)
 *   rows          the facts table as [[label, value], ..], rendered text
 *   te_fonts      the fonts Chromium drew the Telugu verdict line with
 *   requests      every URL the tab asked for
 *   errors        console errors and uncaught page errors
 *   scroll_width  document.scrollingElement.scrollWidth, and client_width
 *   shot_bytes    the size of the screenshot written to "shot"
 */
'use strict';

const fs = require('fs');
const { chromium } = require('playwright-core');

const [casesFile, profile] = process.argv.slice(2);

async function look(context, c) {
    const page = await context.newPage();
    const requests = [];
    const errors = [];

    page.setDefaultTimeout(10000);
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (msg) => {
        if (msg.type() === 'error') { errors.push(msg.text()); }
    });

    await page.setViewportSize({ width: c.width, height: c.height });
    const res = await page.goto(c.url, { waitUntil: 'load' });

    const verdict = page.locator('#verdict');
    const out = {
        status: res ? res.status() : 0,
        verdict: await verdict.getAttribute('data-verdict'),
        verdict_visible: await verdict.isVisible(),
        verdict_colour: await verdict.evaluate(
            (e) => getComputedStyle(e).backgroundColor),
        text: await page.locator('body').innerText(),
        rows: await page.locator('table tr').evaluateAll((trs) => trs.map(
            (tr) => [tr.querySelector('th'), tr.querySelector('td')]
                .map((e) => (e ? e.innerText : null)))),
        scroll_width: await page.evaluate(
            () => document.scrollingElement.scrollWidth),
        client_width: await page.evaluate(
            () => document.scrollingElement.clientWidth),
    };

    /* which fonts drew the Telugu line: a box-drawing fallback is tofu */
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const doc = await cdp.send('DOM.getDocument', { depth: -1 });
    const te = await cdp.send('DOM.querySelector', {
        nodeId: doc.root.nodeId, selector: '#verdict [lang="te"]',
    });
    out.te_fonts = [];
    if (te.nodeId) {
        const f = await cdp.send('CSS.getPlatformFontsForNode',
                                 { nodeId: te.nodeId });
        out.te_fonts = f.fonts.map((x) => ({ family: x.familyName,
                                              glyphs: x.glyphCount }));
    }
    await cdp.detach();

    await page.screenshot({ path: c.shot, fullPage: true });
    out.shot_bytes = fs.statSync(c.shot).size;

    /* late errors and requests (none expected) have had the load's time */
    out.requests = requests;
    out.errors = errors;
    await page.close();
    return out;
}

(async () => {
    let context, out;
    try {
        const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
        context = await chromium.launchPersistentContext(profile, {
            executablePath: process.env.MANA_CHROMIUM || '/usr/bin/chromium',
            headless: true,
            args: ['--headless', '--no-sandbox', '--disable-gpu',
                   '--disable-quic', '--no-first-run',
                   '--disable-background-networking',
                   '--disable-component-update', '--disable-sync'],
            timeout: 30000,
        });
        const pages = {};
        for (const c of cases) {
            try {
                pages[c.name] = await look(context, c);
            } catch (e) {
                pages[c.name] = { error: String(e && e.message || e) };
            }
        }
        out = { ok: true, pages };
    } catch (e) {
        out = { ok: false, error: 'browser: ' + String(e && e.message || e) };
    } finally {
        if (context) { await context.close().catch(() => {}); }
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(out.ok ? 0 : 1);
})();

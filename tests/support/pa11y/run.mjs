// Runs pa11y (axe-core and HTML_CodeSniffer, WCAG 2 AA) over pages given as JSON on standard input:
//   {"executablePath": "/usr/bin/chromium", "pages": [{"url": "...", "cookies": [{name, value, domain, path}]}]}
// and prints, as JSON, the errors found on each page: [{"url": ..., "issues": [{runner, code, message, selector}]}].
// One browser for all pages; each page gets a fresh context with its own cookies (role and language).
// Optional "concurrency" (default 2): how many pages are checked at once.
// Errors are axe-core's violations and HTML_CodeSniffer's errors (warnings and notices are left out).
import pa11y from 'pa11y';
import puppeteer from 'puppeteer';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const browser = await puppeteer.launch({
  executablePath: input.executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// Pages are checked CONCURRENCY at a time (each in its own context); results keep the order of the input.
const CONCURRENCY = input.concurrency || 2;
const results = new Array(input.pages.length);
let next = 0;

async function check(item) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (item.cookies && item.cookies.length) await page.setCookie(...item.cookies);
  try {
    const result = await pa11y(item.url, {
      browser, page, standard: 'WCAG2AA', runners: ['axe', 'htmlcs'], includeWarnings: false,
      includeNotices: false, timeout: 60000, viewport: {width: 1280, height: 1024},
      // axe's "needs review" results (e.g. the contrast of text inside an SVG chart, whose background axe
      // cannot determine) are not violations by axe's own verdict: reported as warnings, not counted.
      levelCapWhenNeedsReview: 'warning',
    });
    return {url: item.url, title: result.documentTitle,
            issues: result.issues.filter(i => i.type === 'error')
              .map(({runner, code, message, selector}) => ({runner, code, message, selector}))};
  } finally {
    await context.close();
  }
}

async function worker() {
  while (next < input.pages.length) {
    const index = next++;
    results[index] = await check(input.pages[index]);
  }
}

try {
  await Promise.all(Array.from({length: CONCURRENCY}, worker));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));

import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { newPage, startBrowserSite, type BrowserSite } from './browser';

// axe-core injected into each page (the context bypasses our CSP only so that the test can add
// its script) and run against WCAG 2.x A and AA, including 2.2, and axe's best practices.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

let site: BrowserSite;
beforeAll(async () => {
  site = await startBrowserSite();
}, 60_000);
afterAll(() => site?.close());

async function audit(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const result = await (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: tags },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, TAGS);
}

const describeViolations = (violations: AxeViolation[]) =>
  violations.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')})`,
  );

test.each([
  ['the front page', '/'],
  ['a section front', '/World'],
  ['the seed article', '/World/Asia-Pacific/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
  ['a results page', '/search?q=korea'],
  ['the no-results page', '/search?q=korae'],
  ['/subscribe', '/subscribe'],
  ['the 404 page', '/no-such-page'],
  ['/feeds', '/feeds'],
])('%s has no serious or critical violations and passes colour contrast', async (_, path) => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await page.goto(path);
  const violations = await audit(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'color-contrast');
  expect(describeViolations(serious)).toEqual([]);
  await context.close();
});

test('/subscribe in its error state has no serious or critical violations', async () => {
  const { context, page } = await newPage(site, { bypassCSP: true });
  await page.goto('/subscribe');
  await page.locator('#subscribe-email').fill('wrong');
  await page.waitForTimeout(2200);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.locator('#error-summary').waitFor();
  const violations = await audit(page);
  expect(
    describeViolations(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'color-contrast')),
  ).toEqual([]);
  await context.close();
});

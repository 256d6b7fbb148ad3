import fs from 'node:fs';
import type { Page } from 'playwright-core';

// axe-core injected into a page (its context must bypass our CSP, only so that the test can add
// its script) and run against WCAG 2.x A and AA, including 2.2, and axe's best practices.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

export async function audit(page: Page): Promise<AxeViolation[]> {
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

export const describeViolations = (violations: AxeViolation[]): string[] =>
  violations.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')})`,
  );

/** The violations that fail a page: serious or critical ones, and any colour contrast problem. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const violations = await audit(page);
  return describeViolations(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'color-contrast'));
}

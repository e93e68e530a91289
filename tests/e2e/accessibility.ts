/**
 * axe-core on the page as the person sees it, against WCAG 2.0, 2.1 and 2.2 levels A and AA. No rule is
 * switched off: a violation is fixed where it comes from. A failure lists each rule broken, how badly, what
 * it asks for and the elements that break it, so it can be fixed without re-running anything.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export async function expectNoAccessibilityViolations(page: Page, context?: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const report = violations
    .map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'impact unknown'}): ${violation.help}`,
        `  ${violation.helpUrl}`,
        ...violation.nodes.map((node) => `  - ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' ')}${node.failureSummary ? `\n      ${node.failureSummary.replace(/\n/g, '\n      ')}` : ''}`),
      ].join('\n'),
    )
    .join('\n');
  const where = context ? ` on ${context}` : ` on ${page.url()}`;
  expect(report, `${violations.length} accessibility ${violations.length === 1 ? 'rule is' : 'rules are'} broken${where}`).toBe('');
}

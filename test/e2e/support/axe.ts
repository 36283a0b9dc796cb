import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** WCAG 2 A/AA scan; returns the serious and critical violations (what the specs must keep at zero). */
export async function seriousViolations(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

import type { Directive } from 'vue';

/**
 * naive-ui's NCard marks its title as role="heading" twice (the header and, inside it, the title)
 * and gives neither a level, which screen readers announce badly and axe refuses
 * (aria-required-attr). `v-card-heading="2"` on an NCard gives its header the level and drops the
 * nested duplicate.
 */
export function fixCardHeading(card: HTMLElement, level: number | undefined): void {
  const header = card.querySelector(':scope > .n-card-header[role="heading"]');
  if (!header) return;
  header.setAttribute('aria-level', String(level ?? 2));
  header.querySelectorAll('[role="heading"]').forEach((inner) => inner.removeAttribute('role'));
}

export const vCardHeading: Directive<HTMLElement, number | undefined> = {
  mounted: (card, binding) => fixCardHeading(card, binding.value),
  updated: (card, binding) => fixCardHeading(card, binding.value),
};

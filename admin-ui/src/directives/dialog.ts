import { nextTick, type Directive } from 'vue';
import { fixCardHeading } from './card-heading';

/**
 * `v-dialog` on the NCard inside an NModal (with `:auto-focus="false"` on the modal): the card's
 * title becomes the dialog's name and a level-2 heading, and focus moves into the dialog, to its
 * first field, or to its title when it has none. When a step replaces the focused element (a
 * button that led to the next step), focus goes to the new step's first field the same way.
 * naive-ui's focus trap keeps focus inside, closes on Escape and gives focus back to the button
 * that opened the dialog.
 */
const FIELD =
  'input:not([type="hidden"]):not([disabled]):not([tabindex="-1"]), textarea:not([disabled]), select:not([disabled])';
let lastId = 0;

export function focusIntoDialog(card: HTMLElement): void {
  const field = card.querySelector(':scope > .n-card-content')?.querySelector<HTMLElement>(FIELD);
  if (field) {
    field.focus();
    return;
  }
  const title = card.querySelector<HTMLElement>(':scope > .n-card-header');
  if (!title) return;
  title.tabIndex = -1;
  title.focus();
}

function label(card: HTMLElement): void {
  fixCardHeading(card, 2);
  const title = card.querySelector<HTMLElement>(':scope > .n-card-header');
  if (!title || card.hasAttribute('aria-label')) return;
  if (!title.id) title.id = `dialog-title-${++lastId}`;
  card.setAttribute('aria-labelledby', title.id);
}

export const vDialog: Directive<HTMLElement, void> = {
  mounted(card) {
    label(card);
    void nextTick(() => focusIntoDialog(card));
  },
  updated(card) {
    label(card);
    // The focused element was replaced by the next step: nothing has focus any more.
    void nextTick(() => {
      const active = document.activeElement;
      if (card.isConnected && (active === null || active === document.body)) focusIntoDialog(card);
    });
  },
};

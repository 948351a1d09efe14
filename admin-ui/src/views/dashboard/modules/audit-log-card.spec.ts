import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import AuditLogCard from './audit-log-card.vue';
import { INTACT_REPORT as intact } from '../../../testing/integrity-report';

describe('audit log card', () => {
  it('says in words that the log is intact, what was verified, and how to check it elsewhere', () => {
    const card = mount(AuditLogCard, { props: { report: intact } });
    expect(card.get('[data-test="audit-status"]').text()).toBe('Intact');
    expect(card.get('[data-test="audit-verified"]').text()).toBe('10 of 12');
    expect(card.get('[data-test="audit-pending"]').text()).toContain('2');
    expect(card.find('[data-test="audit-first-broken"]').exists()).toBe(false);
    expect(card.text()).toContain('npm run cli -- verify-log --public-key PUBLICKEY');
    expect(card.text()).toContain('npm run cli -- verify-export security-events.jsonl --public-key PUBLICKEY');
  });

  it('says where a broken log stops matching, as an alert', () => {
    const card = mount(AuditLogCard, {
      props: {
        report: {
          ...intact,
          status: 'broken',
          firstBroken: {
            seq: 7,
            position: '00000000000000000007',
            reason: 'the event does not match the signed record',
          },
        },
      },
    });
    expect(card.get('[data-test="audit-status"]').text()).toBe('Broken');
    const broken = card.get('[data-test="audit-first-broken"]');
    expect(broken.attributes('role')).toBe('alert');
    expect(broken.text()).toBe(
      'From event 7 (position 00000000000000000007): the event does not match the signed record.',
    );
  });

  it('names a log cut short as missing events', () => {
    const card = mount(AuditLogCard, {
      props: {
        report: {
          ...intact,
          status: 'broken',
          firstBroken: { seq: 13, position: null, reason: 'the log ends at event 12' },
        },
      },
    });
    expect(card.get('[data-test="audit-first-broken"]').text()).toContain('From event 13 (missing from the log)');
  });
});

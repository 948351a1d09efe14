import { EventStore } from '@app/event-store';
import { register } from '../support/accounts';
import { request, startTestApp, STRONG_PASSWORD, TestApp } from '../support/test-app';

/** Issue 12, item 8: addresses a mail system would not take, or that look like someone else's. */
describe('attack: sign-up with hostile email addresses', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close({ removeData: true }));

  it.each([
    [
      'a quoted local part with CR/LF (mail header injection)',
      '"victim\r\nbcc:attacker@evil.example"@example.com',
      'control, invisible',
    ],
    ['a quoted local part', '"ops"@example.com', 'quoted'],
    ['a zero-width space', 'ad\u200bmin@example.com', 'invisible'],
    ['a bidi override', 'admin@example.com\u202e', 'invisible'],
    ['a Cyrillic look-alike domain', 'billing@p\u0430ypal.com', 'mix alphabets'],
    ['the same look-alike in IDNA form', 'billing@xn--pypal-4ve.com', 'mix alphabets'],
  ])('8j. refuses %s with 400 validation_failed and records nothing', async (_name, email, words) => {
    const head = await api.app.get(EventStore).headPosition();
    const response = await request(`${api.url}/v1/users`, {
      method: 'POST',
      json: { email, password: STRONG_PASSWORD },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([{ field: 'email', message: expect.stringContaining(words) }]);
    expect(await api.app.get(EventStore).headPosition()).toBe(head);
  });

  it('still takes internationalised addresses in one script', async () => {
    for (const email of ['grüße@example.com', 'kontakt@bücher.de', 'info@пример.рф']) {
      const account = await register(api.url, email);
      expect(account.userId).toMatch(/^[0-9a-f-]{36}$/); // the code reached the address as written
    }
  });
});

import { checkWithoutDictionaries, evaluatePassword, PasswordContentChecks, StrengthEstimate } from './policy-rules';

/** Content checks with a fixed answer, recording what they were asked. */
function stubChecks(common: boolean, strength: StrengthEstimate) {
  const asked: string[] = [];
  const checks: PasswordContentChecks = {
    isCommon: (password) => (asked.push(`list ${password}`), common),
    estimateStrength: (password, userInputs) => (asked.push(`zxcvbn ${password} [${userInputs.join(',')}]`), strength),
  };
  return { checks, asked };
}

describe('policy rules (shared by the server and the console meter)', () => {
  it('decides out-of-range lengths without the dictionaries', () => {
    expect(checkWithoutDictionaries('short')).toEqual({ reasons: ['too_short'], final: true });
    expect(checkWithoutDictionaries('x'.repeat(129))).toEqual({ reasons: ['too_long'], final: true });
    expect(checkWithoutDictionaries('alice@example.com', { email: 'alice@example.com' })).toEqual({
      reasons: ['contains_email'],
      final: false,
    });
    expect(checkWithoutDictionaries('a fine long passphrase')).toEqual({ reasons: [], final: false });
  });

  it('asks neither the list nor zxcvbn when the length decides', () => {
    const { checks, asked } = stubChecks(false, { score: 4 });
    expect(evaluatePassword('short', {}, checks)).toEqual({ reasons: ['too_short'] });
    expect(asked).toEqual([]);
  });

  it('skips zxcvbn when the list or the email already refuses', () => {
    const listed = stubChecks(true, { score: 4 });
    expect(evaluatePassword('Password1234!', {}, listed.checks)).toEqual({ reasons: ['common'] });
    expect(listed.asked).toEqual(['list Password1234!']);

    const onEmail = stubChecks(false, { score: 4 });
    expect(evaluatePassword('alice.smith2026', { email: 'alice.smith@example.com' }, onEmail.checks)).toEqual({
      reasons: ['contains_email'],
    });
    expect(onEmail.asked).toEqual(['list alice.smith2026']);
  });

  it('gives the estimate, with the email as user input, when it ran', () => {
    const weak = stubChecks(false, { score: 2, feedback: 'Add more words.' });
    expect(evaluatePassword('qwertyuiopasdf', { email: 'Bob@Example.com' }, weak.checks)).toEqual({
      reasons: ['too_weak'],
      strength: { score: 2, feedback: 'Add more words.' },
    });
    expect(weak.asked).toEqual(['list qwertyuiopasdf', 'zxcvbn qwertyuiopasdf [bob@example.com,bob]']);

    const strong = stubChecks(false, { score: 3 });
    expect(evaluatePassword('violet harbour', {}, strong.checks)).toEqual({ reasons: [], strength: { score: 3 } });
  });
});

import { describe, expect, it } from 'vitest';
import { characterVariety, passwordStrength } from './password-strength';

describe('password strength meter', () => {
  it('calls anything under 12 characters too short and says how many are missing', () => {
    expect(passwordStrength('')).toMatchObject({ score: 0, label: 'Too short' });
    expect(passwordStrength('Abc!1234567')).toMatchObject({ score: 0, hint: '1 more characters needed.' });
  });

  it('rises with length and variety', () => {
    const scores = ['abcdefghijkl', 'abcdefghijkl mnop', 'Abcdefghijkl mnop 7', 'Violet harbour lantern 1987!'].map(
      (password) => passwordStrength(password).score,
    );
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0]).toBe(1);
    expect(scores.at(-1)).toBe(4);
  });

  it('does not reward a long run of the same few characters', () => {
    expect(passwordStrength('aaaaaaaaaaaaaaaaaaaaaaaa').score).toBe(1);
    expect(passwordStrength('abababababababababab12').score).toBeLessThanOrEqual(2);
  });

  it('counts kinds of characters', () => {
    expect(characterVariety('abc')).toBe(1);
    expect(characterVariety('aB1 !')).toBe(5);
  });
});

import { escapeHtml } from './escape-html';
import { describeDevice, formatUtc } from './security-notice';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves other text alone and escapes an ampersand once', () => {
    expect(escapeHtml('Zürich, 東京 – ok')).toBe('Zürich, 東京 – ok');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('formatUtc', () => {
  it('shows the time in UTC, whatever the offset of the input', () => {
    expect(formatUtc('2025-01-05T01:02:03+02:00')).toBe('Saturday, 4 January 2025, 23:02 UTC');
  });

  it('shows a value that is not a date as given', () => {
    expect(formatUtc('yesterday')).toBe('yesterday');
  });
});

describe('describeDevice', () => {
  it('names the browser and the OS, or whichever is known', () => {
    expect(describeDevice('Chrome', 'macOS')).toBe('Chrome on macOS');
    expect(describeDevice('Chrome', null)).toBe('Chrome');
    expect(describeDevice(null, 'Android')).toBe('Android');
    expect(describeDevice(null, null)).toBe('Unknown device');
  });
});

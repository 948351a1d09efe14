import { emailAddressProblem } from './email-address';

describe('emailAddressProblem', () => {
  it.each([
    ['ada@example.com'],
    ['ada.lovelace+security@mail.example.co.uk'],
    ['grüße@example.com'], // SMTPUTF8 local part
    ['user@bücher.de'], // an IDN in one script
    ['user@xn--bcher-kva.de'], // the same, already in IDNA form
    ['user@пример.рф'], // Cyrillic throughout
    ['user@例え.テスト'], // Han with Katakana: Japanese
    ['user@한국어.kr'],
    ["o'brien@example.ie"],
  ])('accepts %s', (address) => {
    expect(emailAddressProblem(address)).toBeNull();
  });

  it.each([
    ['"a\r\nb"@example.com', 'invisible_character'], // CR/LF: header injection
    ['"ops"@example.com', 'quoted_local_part'],
    ['"a b"@example.com', 'invisible_character'],
    ['ad\u200ba@example.com', 'invisible_character'], // zero-width space
    ['ada@exa\u200dmple.com', 'invisible_character'], // zero-width joiner
    ['ada@example.com\u202e', 'invisible_character'], // bidi override
    ['ada\u0000@example.com', 'invisible_character'],
    ['user@p\u0430ypal.com', 'mixed_script'], // Cyrillic а among Latin letters
    ['user@gοogle.com', 'mixed_script'], // Greek omicron
    ['user@xn--pypal-4ve.com', 'mixed_script'], // the same look-alike, sent in IDNA form
    ['Ada<ada@example.com>', 'format'],
    ['Ada <ada@example.com>', 'invisible_character'], // a space
    ['ada@localhost', 'format'],
    ['ada@[127.0.0.1]', 'format'],
    ['ada', 'format'],
    ['@example.com', 'format'],
  ])('refuses %j: %s', (address, problem) => {
    expect(emailAddressProblem(address)).toBe(problem);
  });
});

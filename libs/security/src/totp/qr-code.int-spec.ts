import { PNG } from 'pngjs';
import { decodeQrDataUrl } from '../../../../test/support/qr-decode';
import { qrCodeDataUrl } from './qr-code';
import { totpUri } from './totp';

describe('qrCodeDataUrl', () => {
  const uri = totpUri({
    issuer: 'Account Security',
    account: 'ada+test@example.com',
    secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  });

  it('gives a PNG data URL that scans back to exactly the otpauth URI', async () => {
    const dataUrl = await qrCodeDataUrl(uri);
    expect(dataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/);
    expect(decodeQrDataUrl(dataUrl)).toBe(uri);
  });

  it('decodes text with every character an email address may bring', async () => {
    const text = "otpauth://totp/A%20B:o'neil%2Bx%25%40example.com?issuer=A%20B";
    expect(decodeQrDataUrl(await qrCodeDataUrl(text))).toBe(text);
  });

  it('makes decodeQrDataUrl throw when the image holds no QR code', () => {
    const blank = new PNG({ width: 64, height: 64 });
    blank.data.fill(0xff);
    const dataUrl = `data:image/png;base64,${PNG.sync.write(blank).toString('base64')}`;
    expect(() => decodeQrDataUrl(dataUrl)).toThrow('No QR code found');
  });

  it('makes decodeQrDataUrl throw on something that is not a PNG data URL', () => {
    expect(() => decodeQrDataUrl('data:image/jpeg;base64,AAAA')).toThrow('Not a base64 PNG data URL');
  });
});

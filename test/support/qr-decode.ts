import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a `data:image/png;base64,...` QR code back to its text, as a phone camera would. */
export function decodeQrDataUrl(dataUrl: string): string {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (!match) throw new Error('Not a base64 PNG data URL');
  const png = PNG.sync.read(Buffer.from(match[1], 'base64')); // always decoded to 8-bit RGBA
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const qr = jsQR(pixels, png.width, png.height);
  if (!qr) throw new Error('No QR code found in the image');
  return qr.data;
}

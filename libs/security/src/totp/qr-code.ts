import { toDataURL } from 'qrcode';

/**
 * The otpauth URI as a PNG data URL (`data:image/png;base64,...`) for the enrolment page. Error
 * correction M (15% of the symbol recoverable) is the usual balance for codes read off a screen:
 * sturdier than L, while a ~150-character URI stays a small, easily scanned symbol. The 4-module
 * quiet zone is what the QR standard requires around the code; scale 6 (px per module) gives a
 * ~340 px image for a typical otpauth URI, sharp on high-density screens.
 */
export function qrCodeDataUrl(text: string): Promise<string> {
  return toDataURL(text, { type: 'image/png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}

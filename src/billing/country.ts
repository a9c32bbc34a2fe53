import { bsuidCountry } from '../whatsapp/customer-ids.ts';

// Meta prices a message by the recipient's country calling code. A phone number's country is read from
// its calling code (longest match); a business-scoped id starts with its country (`CO.1349…`). The +1 zone
// is priced as North America here; its Caribbean members have their own codes (1 809…) only in Meta's card.

const CALLING_CODES: Record<string, string> = {
  1: 'US', 7: 'RU', 20: 'EG', 27: 'ZA', 30: 'GR', 31: 'NL', 32: 'BE', 33: 'FR', 34: 'ES', 36: 'HU', 39: 'IT', 40: 'RO', 41: 'CH',
  43: 'AT', 44: 'GB', 45: 'DK', 46: 'SE', 47: 'NO', 48: 'PL', 49: 'DE', 51: 'PE', 52: 'MX', 53: 'CU', 54: 'AR', 55: 'BR', 56: 'CL',
  57: 'CO', 58: 'VE', 60: 'MY', 61: 'AU', 62: 'ID', 63: 'PH', 64: 'NZ', 65: 'SG', 66: 'TH', 81: 'JP', 82: 'KR', 84: 'VN', 86: 'CN',
  90: 'TR', 91: 'IN', 92: 'PK', 93: 'AF', 94: 'LK', 95: 'MM', 98: 'IR', 212: 'MA', 213: 'DZ', 216: 'TN', 218: 'LY', 221: 'SN',
  233: 'GH', 234: 'NG', 254: 'KE', 255: 'TZ', 256: 'UG', 351: 'PT', 352: 'LU', 353: 'IE', 354: 'IS', 358: 'FI', 359: 'BG',
  370: 'LT', 371: 'LV', 372: 'EE', 380: 'UA', 381: 'RS', 385: 'HR', 386: 'SI', 420: 'CZ', 421: 'SK', 501: 'BZ', 502: 'GT',
  503: 'SV', 504: 'HN', 505: 'NI', 506: 'CR', 507: 'PA', 509: 'HT', 591: 'BO', 592: 'GY', 593: 'EC', 595: 'PY', 597: 'SR',
  598: 'UY', 852: 'HK', 880: 'BD', 886: 'TW', 966: 'SA', 971: 'AE', 972: 'IL', 974: 'QA', 965: 'KW', 962: 'JO', 961: 'LB',
};

/** `573001234567` → `CO`; undefined when the calling code is not in the table. */
export function countryOfPhone(digits: string): string | undefined {
  for (const length of [3, 2, 1]) {
    const country = CALLING_CODES[digits.slice(0, length)];
    if (country) return country;
  }
  return undefined;
}

/** The recipient's country from what a status names them by: the number first, else the business-scoped id. */
export function recipientCountry(ids: { phone?: string; bsuid?: string }): string | undefined {
  return (ids.phone ? countryOfPhone(ids.phone) : undefined) ?? (ids.bsuid ? bsuidCountry(ids.bsuid) : undefined);
}

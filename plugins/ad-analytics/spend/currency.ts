/** ISO codes a report may name outright. */
const ISO = new Set(['RUB', 'USD', 'EUR', 'KZT', 'BYN', 'UAH', 'UZS', 'TRY', 'CHF', 'GBP', 'CNY', 'AMD', 'GEL', 'KGS', 'AZN']);

// Words and signs in headers such as "Расход (руб.)", "Расход, ₽", "Потрачено (USD)", "Расход (тенге)".
// Order matters: "бел. руб." is BYN before "руб" is RUB. Cyrillic has no \b, hence the look-arounds.
const WORDS: [RegExp, string][] = [
  [/(?<!\p{L})(бел\.?\s*руб|byr)/iu, 'BYN'],
  [/₽|(?<!\p{L})(руб|rub|rur)(?!\p{L})|(?<!\p{L})руб\.|(?<!\p{L})р\.(?!\p{L})|(?<!\p{L})рубл/iu, 'RUB'],
  [/\$|(?<!\p{L})(usd|долл)/iu, 'USD'],
  [/€|(?<!\p{L})(eur|евро)(?!\p{L})/iu, 'EUR'],
  [/₸|(?<!\p{L})(kzt|тенге|тг\.?)(?!\p{L})/iu, 'KZT'],
  [/₴|(?<!\p{L})(uah|грн)/iu, 'UAH'],
  [/(?<!\p{L})(uzs|сум)(?!\p{L})/iu, 'UZS'],
  [/(?<!\p{L})(byn)(?!\p{L})/iu, 'BYN'],
];

/** The currency a header names, e.g. "Расход (руб.)" → RUB; undefined when it names none. */
export function currencyFromHeader(header: string): string | undefined {
  for (const token of header.match(/(?<!\p{L})[A-Z]{3}(?!\p{L})/gu) ?? []) if (ISO.has(token)) return token;
  for (const [re, code] of WORDS) if (re.test(header)) return code;
  return undefined;
}

/** A currency cell or sign: "RUB", "rub", "руб.", "₽", "USD", "$". Undefined when it is not one. */
export function currencyFromValue(value: string): string | undefined {
  const s = value.trim();
  if (/^[A-Za-z]{3}$/.test(s)) {
    const up = s.toUpperCase();
    if (up === 'RUR') return 'RUB';
    return ISO.has(up) ? up : undefined;
  }
  if (s.length > 12) return undefined;
  return currencyFromHeader(s);
}

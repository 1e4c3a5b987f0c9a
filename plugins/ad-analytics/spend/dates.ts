import type { Parsed } from './money.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const RU = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * A calendar day from the forms reports use: 2026-03-01, 01.03.2026, 01.03.26 (two-digit years are
 * 2000–2099). A time after the day is allowed and dropped. Days that do not exist are refused.
 */
export function parseDay(raw: string): Parsed<string> {
  const s = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO.exec(s);
  const ru = iso ? null : RU.exec(s);
  if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else if (ru) {
    const year = ru[3] ?? '';
    y = year.length === 2 ? 2000 + Number(year) : Number(year);
    m = Number(ru[2]);
    d = Number(ru[1]);
  } else if (/\d[.-]\d+[.-]\d+\s*[-–—]\s*\d/u.test(s)) {
    return { ok: false, reason: `"${raw}" is a period, not a day: export the report by day` };
  } else {
    return { ok: false, reason: `"${raw}" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or DD.MM.YY)` };
  }
  if (y < 1990 || y > 2100) return { ok: false, reason: `"${raw}": year ${y} is out of range` };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, reason: `"${raw}" is not a real calendar day` };
  }
  return { ok: true, value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** A spreadsheet serial day number (1900 system, or 1904 when the workbook says so) as YYYY-MM-DD. */
export function serialToDay(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < (date1904 ? 0 : 1)) return undefined;
  const whole = Math.floor(serial);
  // 1900 system: day 1 is 1900-01-01 and Excel counts a 29 February 1900 that never was (day 60).
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
  const offset = date1904 ? whole : whole > 59 ? whole - 1 : whole;
  const ms = epoch + offset * 86_400_000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

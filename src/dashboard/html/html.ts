/** Markup that is already escaped: only `html` makes it, so every interpolated value is escaped once. */
export class Safe {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Safe | string | number | boolean | null | undefined | readonly Value[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => entities[c]!);

function render(v: Value): string {
  if (v instanceof Safe) return v.text;
  if (Array.isArray(v)) return (v as readonly Value[]).map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escape(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Safe {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Safe(out);
}

/** JSON for a `<script type="application/json">` block: no "<" can close the tag early. */
export const jsonBlock = (id: string, data: unknown): Safe =>
  new Safe(`<script type="application/json" id="${escape(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
